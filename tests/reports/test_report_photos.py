"""Photos with a report: decoded for real, re-encoded without metadata, thumbnailed; bad,
oversized, disguised and dangerous files refused with a message naming the file."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from apps.reports.models import Report, ReportPhoto
from apps.reports.services import report_submit
from tests.reports.report_helpers import jpeg_bytes, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # The refusals are read in English, whatever language an earlier test left active.
    from django.utils import translation

    with translation.override("en"):
        yield


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def submit_with(area, *photos):
    lon, lat = area.west
    return report_submit(
        category="repair",
        description="墙面脱落",
        lon=lon,
        lat=lat,
        photos=list(photos),
        client_ip="10.9.9.9",
    ).report


def refusal(area, *photos) -> str:
    with pytest.raises(ValidationError) as refused:
        submit_with(area, *photos)
    assert not Report.objects.filter(community=area.community).exists()
    return " ".join(refused.value.message_dict["photos"])


def files_in(media_root) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def jpeg_with_metadata() -> bytes:
    """A phone-like JPEG: camera make, owner and GPS position in EXIF, lying on its side."""
    exif = Image.Exif()
    exif[0x010F] = "TestPhoneMaker"  # Make
    exif[0x013B] = "Owner Name"  # Artist
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (28.0, 11.0, 30.0)  # GPSLatitudeRef, GPSLatitude
    return jpeg_bytes((64, 48), exif=exif.tobytes())


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )  # fmt: skip


def test_a_photo_is_stored_re_encoded_upright_without_metadata_with_a_thumbnail(area):
    report = submit_with(area, upload("IMG_0001.jpg", jpeg_with_metadata()))

    photo = ReportPhoto.objects.get(report=report)
    assert photo.stage == ReportPhoto.Stage.SUBMISSION
    assert photo.original_name == "IMG_0001.jpg"
    stored = photo.file.read()
    assert b"TestPhoneMaker" not in stored and b"Owner Name" not in stored
    image = Image.open(io.BytesIO(stored))
    assert image.format == "JPEG"
    assert not image.getexif()  # no EXIF at all: no GPS position, no camera, no owner
    assert image.size == (48, 64) == (photo.width, photo.height)  # turned upright
    thumbnail = Image.open(photo.thumbnail.open("rb"))
    assert thumbnail.format == "JPEG" and max(thumbnail.size) <= 480


def test_png_and_webp_photos_are_accepted(area):
    buffer = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 128, 0)).save(buffer, "WEBP")
    report = submit_with(
        area,
        upload("plan.png", png_bytes(), "image/png"),
        upload("street.webp", buffer.getvalue(), "image/webp"),
    )
    assert report.photos.count() == 2


def test_a_script_renamed_to_jpg_is_refused_naming_the_file(area, media_root):
    message = refusal(area, upload("photo.jpg", b"#!/bin/sh\nrm -rf / --no-preserve-root\n"))
    assert "“photo.jpg” is not a readable image" in message
    assert files_in(media_root) == []


def test_a_truncated_jpeg_is_refused(area):
    whole = jpeg_bytes((400, 300))
    message = refusal(area, upload("cut.jpg", whole[: len(whole) // 2]))
    assert "“cut.jpg” is not a readable image" in message


def test_an_svg_is_refused_even_when_it_calls_itself_an_image(area):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    message = refusal(area, upload("drawing.svg", svg, "image/svg+xml"))
    assert "“drawing.svg” is not a readable image" in message


def test_a_gif_is_refused_as_the_wrong_kind_of_image(area):
    buffer = io.BytesIO()
    Image.new("P", (10, 10)).save(buffer, "GIF")
    message = refusal(area, upload("anim.jpg", buffer.getvalue()))
    assert "“anim.jpg” is a GIF image: upload a JPEG, PNG or WebP photo." in message


def test_a_decompression_bomb_is_refused_before_it_is_decoded(area):
    bomb = png_declaring(30_000, 30_000)
    assert len(bomb) < 200  # tiny on disk, 900 megapixels when decoded
    message = refusal(area, upload("bomb.png", bomb, "image/png"))
    assert "bomb.png" in message and ("pixels" in message)


def test_a_photo_over_10_mb_is_refused_with_its_size(area):
    padded = jpeg_bytes() + b"\0" * (11 * 1024 * 1024)  # valid JPEG, then 11 MB of padding
    message = refusal(area, upload("huge.jpg", padded))
    assert "“huge.jpg” is 11.0 MB; a photo may be at most 10.0 MB." in message


def test_more_than_three_photos_are_refused(area):
    photos = [upload(f"p{n}.jpg", jpeg_bytes()) for n in range(4)]
    message = refusal(area, *photos)
    assert "at most 3 photos" in message and "you chose 4" in message


def test_one_bad_photo_refuses_the_whole_report_and_names_it(area, media_root):
    message = refusal(
        area, upload("good.jpg", jpeg_bytes()), upload("notes.jpg", b"just text, not an image")
    )
    assert "notes.jpg" in message and "good.jpg" not in message
    assert files_in(media_root) == []


def test_the_page_shows_a_photo_refusal_beside_the_photo_field(area, client):
    from apps.reports.models import Category

    lon, lat = area.west
    response = client.post(
        "/report/",
        {
            "category": Category.objects.get(code="repair").pk,
            "description": "x",
            "lon": lon,
            "lat": lat,
            "photos": [upload("virus.jpg", b"MZ\x90\x00 not a photo")],
        },
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "“virus.jpg” is not a readable image" in response.json()["errors"]["photos"][0]


def test_photos_are_served_only_with_the_reports_tracking_code(area, client):
    report = submit_with(area, upload("a.jpg", jpeg_bytes()))
    photo = report.photos.get()

    ok = client.get(f"/r/{report.code}/photos/{photo.pk}/thumb/")
    wrong = client.get(f"/r/ZZZZZZZZ/photos/{photo.pk}/thumb/")

    assert ok.status_code == 200 and ok["Content-Type"] == "image/jpeg"
    assert b"".join(ok.streaming_content)[:2] == b"\xff\xd8"
    assert wrong.status_code == 404
