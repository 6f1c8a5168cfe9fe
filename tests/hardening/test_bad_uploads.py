"""Disguised, hostile and oversized uploads (tests/data/bad/uploads/): refused with a clear
4xx, or, for a real image carrying a payload, stored re-encoded without it. Surfaces: a
report's photos (web form) and a notice's attachments (REST API)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from apps.notices.models import Notice, NoticeAttachment
from apps.regions.models import Community
from apps.reports.models import Report, ReportPhoto

from .fuzzkit import changed_tables, corpus, refused_in_both_languages, rolled_back, row_counts

pytestmark = pytest.mark.django_db
PAYLOADS = (b"<?php", b"<script")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _report_form(photo: SimpleUploadedFile) -> dict:
    pin = Community.objects.get(code="DR").boundary.point_on_surface
    return {
        "category": "repair",
        "description": "楼道灯坏了",
        "lon": f"{pin.x:.6f}",
        "lat": f"{pin.y:.6f}",
        "photos": [photo],
    }


def _upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _post_report(name: str, data: bytes, language: str):
    return Client().post(
        "/report/",
        _report_form(_upload(name, data)),
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _oversized_jpeg() -> bytes:
    """A real JPEG padded past the 10 MB limit (made here: the corpus stays small)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "JPEG")
    return buffer.getvalue() + b"\x00" * (11 * 1024 * 1024)


@pytest.mark.parametrize(("path", "repaired"), corpus("uploads"))
def test_a_disguised_or_hostile_report_photo_is_refused_or_cleaned(path, repaired):
    data = path.read_bytes()
    before = row_counts()
    if repaired:
        with rolled_back():
            response = _post_report(path.name, data, "en")
            assert response.status_code == 201, response.content
            report = Report.objects.get(code=response.json()["code"])
            [photo] = ReportPhoto.objects.filter(report=report)
            stored = photo.file.read()
            assert stored[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xdb")
            assert not any(payload in stored for payload in PAYLOADS)
        return
    response, message = refused_in_both_languages(
        lambda language: _post_report(path.name, data, language)
    )
    assert response.status_code == 400
    assert "photos" in response.json()["errors"]
    assert not changed_tables(before, row_counts())


def test_an_oversized_report_photo_is_refused():
    data = _oversized_jpeg()
    before = row_counts()
    response, message = refused_in_both_languages(
        lambda language: _post_report("big.jpg", data, language)
    )
    assert "10" in message
    assert not changed_tables(before, row_counts())


# --- notice attachments (REST) --------------------------------------------------------------


@pytest.fixture
def draft():
    """A draft notice of Dongrui and an API token of its author (a community admin)."""
    from rest_framework.authtoken.models import Token

    from apps.accounts.models import User

    author = User.objects.get(username="communityadmin")
    notice = Notice.objects.create(
        community=Community.objects.get(code="DR"),
        section=Notice.Section.values[0],
        title="停水通知",
        body="明日停水。",
        author=author,
    )
    token, _created = Token.objects.get_or_create(user=author)
    return notice, token.key


def _attach(draft, name: str, data: bytes, language: str):
    notice, token = draft
    return Client().post(
        "/api/v1/notice-attachments/",
        {"notice": notice.pk, "files": [_upload(name, data)]},
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_ACCEPT_LANGUAGE=language,
    )


# A PDF named .jpg is a PDF: it is kept as one (stored as .pdf, served as application/pdf).
ATTACHED_AS_PDF = {"pdf_named.jpg"}


@pytest.mark.parametrize(("path", "repaired"), corpus("uploads"))
def test_a_disguised_or_hostile_notice_attachment_is_refused_or_cleaned(draft, path, repaired):
    data = path.read_bytes()
    before = row_counts()
    if repaired or path.name in ATTACHED_AS_PDF:
        with rolled_back():
            response = _attach(draft, path.name, data, "en")
            assert response.status_code == 201, response.content
            attachment = NoticeAttachment.objects.filter(notice=draft[0]).latest("pk")
            stored = attachment.file.read()
            assert not any(payload in stored for payload in PAYLOADS)
            assert attachment.file.name.rsplit(".", 1)[-1] in ("pdf", "png", "jpg", "webp")
        return
    response, message = refused_in_both_languages(
        lambda language: _attach(draft, path.name, data, language)
    )
    assert response.status_code == 400
    assert not changed_tables(before, row_counts())


def test_an_oversized_notice_attachment_is_refused(draft):
    data = _oversized_jpeg()
    before = row_counts()
    response, message = refused_in_both_languages(
        lambda language: _attach(draft, "big.jpg", data, language)
    )
    assert "10 MB" in message
    assert not changed_tables(before, row_counts())
