"""Uploads: every place a member can send a file (story image and audio, board card image,
forum attachments, the Padlet board import, the indicator CSV import) refuses what is too
big, too many, too many pixels (decompression bombs) or not the type its content says,
with a Dutch message and never a 500; images come out without their EXIF (GPS); and what
is stored is never served as a page: its own checked type, nosniff, a download where it is
not an image, and no public media path outside the CMS's images (dev and Caddy alike)."""

from __future__ import annotations

import importlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import clear_url_caches, reverse
from PIL import Image

from community.models import Board, ForumCategory
from community.services import boards as board_services
from community.services import forum as forum_services
from community.services.boards import BoardDetails
from journeys.models import Story
from journeys.services import RuleViolation
from journeys.stories import services as story_services
from journeys.stories.services import StoryDetails

pytestmark = [
    pytest.mark.django_db,
    # Pillow warns before it refuses: the bombs here are meant to be refused.
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

HTML = b"<!doctype html><html><body><script>window.__xss=1</script></body></html>"
GPS_IFD = 0x8825


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Telefoonmerk"  # Make
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 5.0, 31.0)  # Utrecht
    gps[3] = "E"
    gps[4] = (5.0, 7.0, 10.0)
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, "JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)  # the fixture has GPS
    return data


def png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims to be width x height: what a decompression bomb looks like
    to the code that opens it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def png(width: int = 10, height: int = 10) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "orange").save(out, "PNG")
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def hostile_images() -> dict[str, SimpleUploadedFile]:
    """What every image upload must refuse: HTML renamed .png, bytes that only start like
    a PNG, and two decompression bombs (above our limit, and above Pillow's own)."""
    return {
        "html": upload("foto.png", HTML),
        "truncated": upload("half.png", png()[:40]),
        "bomb": upload("bom.png", png_header_only(12_000, 12_000)),
        "huge bomb": upload("grote-bom.png", png_header_only(100_000, 100_000)),
    }


def assert_no_exif(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif(), dict(image.getexif())
    assert b"Telefoonmerk" not in data


@pytest.fixture
def board(make_journey, reisbegeleider):
    journey = make_journey()
    board = board_services.create_board(
        reisbegeleider, journey, BoardDetails(title="Bord"), template="perspectieven"
    )
    board_services.set_state(reisbegeleider, board, Board.State.OPEN)
    return board


def _post_card(actor, board, image):
    return board_services.post_card(
        actor,
        board,
        body="Kaart met beeld",
        column_id=board.columns.first().pk,
        row_id=getattr(board.rows.first(), "pk", None),
        image=image,
        image_alt="Een beeld",
    )


def test_story_media_refuse_bad_files_strip_exif_and_are_served_as_their_own_type(
    client, inwoner, settings
):
    settings.STORY_MAX_IMAGE_BYTES = 50_000

    def tell(**media):
        return story_services.tell_story(
            inwoner,
            StoryDetails(
                title="Met beeld",
                text="Tekst",
                perspective=Story.Perspective.INWONER,
                visibility=Story.Visibility.NETWERK,
                image_description="Een foto" if "image" in media else "",
                **media,
            ),
        )

    refusals = {
        **hostile_images(),
        "too big": upload("groot.png", png(400, 400) + b"\x00" * 60_000),
        "gif": upload("bewegend.gif", b"GIF89a" + b"\x00" * 40, "image/gif"),
    }
    for what, bad in refusals.items():
        with pytest.raises(RuleViolation) as refused:
            tell(image=bad)
        assert str(refused.value), what
    with pytest.raises(RuleViolation):
        tell(audio=upload("lied.mp3", HTML, "audio/mpeg"))
    assert not Story.objects.exists()

    story = tell(image=upload("vakantie.JPG", jpeg_with_gps(), "image/jpeg"))
    assert "vakantie" not in story.image.name
    story.image.open("rb")
    assert_no_exif(story.image.read())

    client.force_login(inwoner)
    response = client.get(reverse("stories:image", kwargs={"pk": story.pk}))
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert_no_exif(b"".join(response.streaming_content))

    # Through the page: a Dutch message with status 400, not a 500.
    response = client.post(
        reverse("stories:tell"),
        {
            "told_by": Story.ToldBy.TELLER,
            "title": "Via het formulier",
            "text": "Tekst",
            "perspective": Story.Perspective.INWONER,
            "display": Story.Display.FIRST_NAME,
            "visibility": Story.Visibility.NETWERK,
            "image": upload("foto.png", HTML),
            "image_description": "Een foto",
        },
    )
    assert response.status_code in (200, 400)
    assert "Dit bestand is geen afbeelding" in response.content.decode()
    assert Story.objects.count() == 1


def test_card_images_refuse_bad_files_strip_exif_and_are_served_as_images(
    client, board, reisbegeleider, settings
):
    settings.BOARD_MAX_IMAGE_BYTES = 50_000
    refusals = {**hostile_images(), "too big": upload("groot.png", b"\x89PNG" + b"0" * 60_000)}
    for what, bad in refusals.items():
        with pytest.raises(RuleViolation) as refused:
            _post_card(reisbegeleider, board, bad)
        assert str(refused.value), what
    assert not board.cards.filter(body="Kaart met beeld").exists()

    card = _post_card(reisbegeleider, board, upload("IMG_0001.jpg", jpeg_with_gps(), "image/jpeg"))
    assert "IMG_0001" not in card.image.name
    client.force_login(reisbegeleider)
    url = reverse(
        "community:card_image",
        kwargs={"slug": board.journey.slug, "board_id": board.pk, "card_id": card.pk},
    )
    response = client.get(url)
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_no_exif(b"".join(response.streaming_content))

    # Through the page: HTML named .png is refused with a Dutch message, not a 500.
    response = client.post(
        reverse("community:card_post", kwargs={"slug": board.journey.slug, "board_id": board.pk}),
        {
            "body": "Met een nepbeeld",
            "column": board.columns.first().pk,
            "row": getattr(board.rows.first(), "pk", ""),
            "image": upload("foto.png", HTML),
        },
    )
    assert response.status_code == 400
    assert "PNG, JPEG, WebP of GIF" in response.content.decode()


def test_forum_attachments_refuse_bad_files_strip_exif_and_are_always_downloads(
    client, trainer, settings
):
    settings.FORUM_MAX_ATTACHMENT_BYTES = 50_000
    plein = ForumCategory.objects.create(name="Algemeen", slug="algemeen")

    def start(*files):
        return forum_services.start_thread(
            trainer, category=plein, title="Bijlagen", body="Zie bijlage", attachments=files
        )

    refusals = {
        **hostile_images(),
        "too big": upload("groot.pdf", b"%PDF-1.4 " + b"0" * 60_000, "application/pdf"),
        "too many": [upload(f"{n}.png", png()) for n in range(6)],
        "script": upload("macro.js", b"alert(1)", "application/pdf"),
    }
    for what, bad in refusals.items():
        with pytest.raises(RuleViolation) as refused:
            start(*(bad if isinstance(bad, list) else [bad]))
        assert str(refused.value), what
    assert not plein.threads.exists()

    thread = start(
        upload("vakantie.jpg", jpeg_with_gps(), "image/jpeg"),
        upload("verslag.html", b"%PDF-1.4\n<html><script>alert(1)</script>", "text/html"),
    )
    photo, pdf = thread.posts.get().attachments.order_by("pk")
    assert (photo.name, photo.content_type) == ("vakantie.jpg", "image/jpeg")
    assert (pdf.name, pdf.content_type) == ("verslag.html", "application/pdf")
    # Stored under a name of our own, with the extension of the checked type.
    assert photo.file.name.endswith("/bijlage.jpg")
    assert pdf.file.name.endswith("/bijlage.pdf")
    photo.file.open("rb")
    assert_no_exif(photo.file.read())

    client.force_login(trainer)
    for attachment, content_type in ((photo, "image/jpeg"), (pdf, "application/pdf")):
        response = client.get(
            reverse("community:attachment", kwargs={"attachment_id": attachment.pk})
        )
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        b"".join(response.streaming_content)


def test_imports_refuse_big_and_binary_files_with_a_dutch_message(
    client, make_journey, reisbegeleider
):
    journey = make_journey()
    client.force_login(reisbegeleider)
    board_import = reverse("community:board_import", kwargs={"slug": journey.slug})
    indicators = reverse("journeys:indicators_import", kwargs={"slug": journey.slug})
    cases = [
        (board_import, b"a,b\n" + b"x" * (2 * 1024 * 1024 + 10), "2 MB"),
        (board_import, png(), ""),
        (board_import, HTML, ""),
        (indicators, b"indicator;waarde\n" + b"1;2\n" * 300_000, "1 MB"),
        (indicators, b"\xff\xfe\x00\x00" + bytes(range(256)) * 10, ""),
        (indicators, HTML, ""),
    ]
    boards_before = Board.objects.count()
    for url, data, message in cases:
        response = client.post(
            url, {"file": upload("export.csv", data, "text/csv"), "anonymity": "keuze"}
        )
        assert response.status_code in (200, 400), (url, response.status_code)
        if message:
            assert message in response.content.decode()
    assert Board.objects.count() == boards_before


def test_uploaded_files_are_not_public_media_in_dev_or_behind_caddy(settings, tmp_path):
    """In dev (DEBUG) only the CMS's images are served from MEDIA_ROOT, as Caddy does in
    production: forum attachments, board images and story media go through the views
    above, which check permission and the type."""
    settings.MEDIA_ROOT = tmp_path
    for path in ("forum/1/abc/evil.html", "boards/1/x.png", "verhalen/beeld/y.jpg"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(HTML)
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(png())

    import config.urls

    try:
        with override_settings(DEBUG=True):
            importlib.reload(config.urls)
            clear_url_caches()
            from django.test import Client

            client = Client()
            assert client.get("/media/images/logo.png").status_code == 200
            for path in ("forum/1/abc/evil.html", "boards/1/x.png", "verhalen/beeld/y.jpg"):
                assert client.get(f"/media/{path}").status_code == 404, path
    finally:
        importlib.reload(config.urls)
        clear_url_caches()

    caddyfile = (Path(__file__).resolve().parents[2] / "docker" / "Caddyfile").read_text()
    assert "@public_media path /media/images/* /media/original_images/*" in caddyfile
    assert "respond 404" in caddyfile
    assert "X-Content-Type-Options nosniff" in caddyfile
    assert "max_size" in caddyfile
