"""Uploaded images written anew: the pixels only, so EXIF (place, camera, time) and other
metadata never reach readers. Shared by forum attachments and board cards."""

from __future__ import annotations

import io

from PIL import Image, ImageOps, UnidentifiedImageError

from journeys.services import RuleViolation

# Saving without exif=, xmp=, icc_profile= or text chunks drops the metadata; a GIF would
# still write its comment from info: keep only what draws the image.
INFO_KEPT = {"transparency", "background", "duration", "loop"}


def reencode(
    upload,
    image_format: str,
    *,
    max_pixels: int,
    too_many_pixels: str,
    unreadable: str,
    expect_format: bool = False,
) -> bytes:
    """The image saved again in image_format (a Pillow format name), or RuleViolation with
    the given message. expect_format: refuse a file Pillow reads as another format."""
    try:
        with Image.open(upload) as probe:
            if expect_format and probe.format != image_format:
                raise RuleViolation(unreadable)
            if probe.width * probe.height > max_pixels:
                raise RuleViolation(too_many_pixels)
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            image = ImageOps.exif_transpose(original)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.info = {k: v for k, v in image.info.items() if k in INFO_KEPT}
            out = io.BytesIO()
            image.save(out, format=image_format)
    except Image.DecompressionBombError:
        # Pillow refuses far too large images itself, before our own check can.
        raise RuleViolation(too_many_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise RuleViolation(unreadable) from None
    return out.getvalue()
