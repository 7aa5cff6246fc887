"""An image or audio fragment with a story: type by content (never by the name or the
browser's word for it), size limited, and cleaned before it is stored.

Images are decoded and written anew with Pillow: that drops EXIF (place, camera, time)
and any other metadata, applies the EXIF orientation first, and turns a file that only
pretends to be an image into a refusal. Audio (MP3) loses its ID3 tags, which often carry
names. Files get a random name: the name someone gave a file can carry their own.
"""

from __future__ import annotations

import io
import uuid

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from journeys.services import RuleViolation

IMAGE_TYPES = {
    "image/jpeg": ("JPEG", "jpg"),
    "image/png": ("PNG", "png"),
    "image/webp": ("WEBP", "webp"),
}
AUDIO_TYPES = {"audio/mpeg": "mp3"}
MAX_IMAGE_SIDE = 2400
MAX_IMAGE_PIXELS = 50_000_000


def max_image_bytes() -> int:
    return getattr(settings, "STORY_MAX_IMAGE_BYTES", 8 * 1024 * 1024)


def max_audio_bytes() -> int:
    return getattr(settings, "STORY_MAX_AUDIO_BYTES", 20 * 1024 * 1024)


def _megabytes(size: int) -> str:
    return str(size // (1024 * 1024))


def _sniff(upload: UploadedFile) -> str:
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else ""


def clean_image(upload: UploadedFile) -> tuple[ContentFile, str]:
    """(the cleaned file, its content type), or RuleViolation with a Dutch message."""
    if upload.size > max_image_bytes():
        raise RuleViolation(
            _("The image is larger than %(max)s MB.") % {"max": _megabytes(max_image_bytes())}
        )
    mime = _sniff(upload)
    if mime not in IMAGE_TYPES:
        raise RuleViolation(_("This file is not an image we accept: use JPEG, PNG or WebP."))
    pil_format, extension = IMAGE_TYPES[mime]
    try:
        with Image.open(upload) as probe:
            if probe.format != pil_format:
                raise RuleViolation(
                    _("This file is not an image we accept: use JPEG, PNG or WebP.")
                )
            if probe.width * probe.height > MAX_IMAGE_PIXELS:
                raise RuleViolation(_("The image has too many pixels; make it smaller."))
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            if pil_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # No exif=, no icc/xmp/comment: Pillow writes only the pixels.
            options = {"quality": 88} if pil_format in ("JPEG", "WEBP") else {"optimize": True}
            image.save(out, format=pil_format, **options)
    except RuleViolation:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise RuleViolation(
            _("This image could not be read. Try another file (JPEG, PNG or WebP).")
        ) from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}"), mime


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def strip_id3(data: bytes) -> bytes:
    """An MP3 without its ID3v2 tags (at the start, possibly several) and ID3v1 tag."""
    while data[:3] == b"ID3" and len(data) >= 10:
        footer = 10 if data[5] & 0x10 else 0
        data = data[10 + footer + _syncsafe(data[6:10]) :]
    if len(data) >= 128 and data[-128:-125] == b"TAG":
        data = data[:-128]
    return data


def clean_audio(upload: UploadedFile) -> tuple[ContentFile, str]:
    if upload.size > max_audio_bytes():
        raise RuleViolation(
            _("The audio file is larger than %(max)s MB.") % {"max": _megabytes(max_audio_bytes())}
        )
    mime = _sniff(upload)
    if mime not in AUDIO_TYPES:
        raise RuleViolation(_("This file is not audio we accept: use MP3."))
    data = strip_id3(upload.read())
    upload.seek(0)
    if not data:
        raise RuleViolation(_("This audio file is empty."))
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{AUDIO_TYPES[mime]}"), mime
