"""Attachments of notice drafts through /api/v1/notice-attachments/: uploads are checked for
what they really are, removals are recorded, and only a draft's editors may do either."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.notices import services
from apps.notices.models import Notice, NoticeAttachment, NoticeEvent
from tests.notices.conftest import media_in_tmp, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

PATH = "/api/v1/notice-attachments/"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _draft(world) -> Notice:
    return services.notice_create(
        actor=world.grid_worker,
        community=world.community,
        section="government",
        title="停水通知",
        body="明天 9:00–12:00 停水。",
    )


def _pdf(name: str = "通知.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _upload(api, notice, *files):
    return api.post(PATH, {"notice": notice.pk, "files": list(files)}, format="multipart")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("grid_worker", 201),  # the author
        ("community_admin", 201),
        ("property_staff", 403),  # staff, but neither the author nor an admin
        ("resident", 400),  # a draft is not found by residents
        ("other_community_admin", 400),
    ],
)
def test_only_a_drafts_author_or_admin_attaches_files(api, openapi, world, who, expected):
    notice = _draft(world)
    api.force_authenticate(world.people()[who])
    response = _upload(api, notice, _pdf())
    openapi.check("post", PATH, response)
    assert response.status_code == expected
    stored = NoticeAttachment.objects.filter(notice=notice).count()
    assert stored == (1 if expected == 201 else 0)


def test_an_attached_pdf_is_listed_on_the_notice_and_recorded(api, openapi, world):
    notice = _draft(world)
    api.force_authenticate(world.grid_worker)
    response = _upload(api, notice, _pdf())
    openapi.check("post", PATH, response)
    [attachment] = response.json()["attachments"]
    assert (attachment["original_name"], attachment["kind"]) == ("通知.pdf", "pdf")
    assert NoticeEvent.objects.filter(notice=notice, action="attach", note="通知.pdf").exists()


def test_a_file_that_only_claims_to_be_a_pdf_is_refused_and_nothing_is_stored(api, openapi, world):
    notice = _draft(world)
    api.force_authenticate(world.grid_worker)
    response = _upload(api, notice, _pdf("good.pdf"), _pdf("fake.pdf", b"MZ\x90\x00 a program"))
    openapi.check("post", PATH, response)
    assert response.status_code == 400
    assert (
        "fake.pdf" in response.json()["detail"] and "neither a PDF nor" in response.json()["detail"]
    )
    assert not NoticeAttachment.objects.filter(notice=notice).exists()


def test_attaching_to_a_published_notice_is_a_conflict(api, openapi, world):
    notice = _draft(world)
    services.notice_transition(notice=notice, action="submit", actor=world.grid_worker)
    services.notice_transition(notice=notice, action="approve", actor=world.admin)
    api.force_authenticate(world.admin)
    response = _upload(api, notice, _pdf())
    openapi.check("post", PATH, response)
    assert response.status_code == 409 and "Only drafts" in response.json()["detail"]


def test_removing_an_attachment_hides_it_and_records_the_removal(api, openapi, world):
    notice = _draft(world)
    api.force_authenticate(world.grid_worker)
    attachment_id = _upload(api, notice, _pdf()).json()["attachments"][0]["id"]
    response = api.delete(f"{PATH}{attachment_id}/")
    openapi.check("delete", f"{PATH}{attachment_id}/", response)
    assert response.status_code == 204
    assert NoticeAttachment.objects.get(pk=attachment_id).removed
    assert NoticeEvent.objects.filter(notice=notice, action="detach").exists()


def test_a_resident_cannot_remove_an_attachment(api, world):
    notice = _draft(world)
    api.force_authenticate(world.grid_worker)
    attachment_id = _upload(api, notice, _pdf()).json()["attachments"][0]["id"]
    api.force_authenticate(world.resident)
    assert api.delete(f"{PATH}{attachment_id}/").status_code == 404
    assert not NoticeAttachment.objects.get(pk=attachment_id).removed
