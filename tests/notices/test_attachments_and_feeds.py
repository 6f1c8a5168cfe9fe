"""Attachments checked by content and served only when their notice may be seen; feeds."""

import io

import pytest
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from apps.notices.attachments import attachment_check
from apps.notices.models import Notice, NoticeAttachment
from apps.notices.services import notice_create, notice_transition

from .conftest import client_for

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
ATOM = "{http://www.w3.org/2005/Atom}"


def png_bytes(color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def notice(world, *, publish=True, title="联席会议议定事项", files=()):
    created = notice_create(
        actor=world.grid_worker,
        community=world.community,
        section=Notice.Section.GOVERNMENT,
        title=title,
        body="议定事项如下。",
        attachments=[attachment_check(f) for f in files],
    )
    if publish:
        notice_transition(notice=created, action="submit", actor=world.grid_worker)
        created = notice_transition(notice=created, action="approve", actor=world.admin)
    return created


def test_a_pdf_is_recognised_by_its_signature():
    checked = attachment_check(upload("会议纪要.pdf", PDF))
    assert (checked.kind, checked.content_type, checked.original_name) == (
        "pdf",
        "application/pdf",
        "会议纪要.pdf",
    )


def test_a_file_named_pdf_that_is_not_one_is_refused_naming_it():
    with (
        translation.override("en"),
        pytest.raises(ValidationError, match="fake.pdf.*neither a PDF nor"),
    ):
        attachment_check(upload("fake.pdf", b"MZ\x90\x00 this is a program", "application/pdf"))


def test_an_image_is_decoded_and_reencoded():
    checked = attachment_check(upload("photo.jpg", png_bytes(), "image/jpeg"))
    # The name said JPEG; the content is PNG, and PNG is what is stored and served.
    assert (checked.kind, checked.content_type) == ("image", "image/png")
    assert Image.open(checked.file).size == (40, 30)


def test_a_truncated_image_is_refused():
    with translation.override("en"), pytest.raises(ValidationError, match="neither a PDF nor"):
        attachment_check(upload("broken.png", png_bytes()[:60]))


def test_uploading_through_the_desk_saves_checked_files_and_refuses_bad_ones(world):
    client = client_for(world.grid_worker, language="en")
    data = {
        "community": world.community.pk,
        "section": "government",
        "title": "有附件的通知",
        "body": "见附件。",
    }
    bad = client.post("/notices/desk/new/", {**data, "attachments": [upload("x.pdf", b"hello")]})
    assert bad.status_code == 400
    assert "neither a PDF nor" in bad.content.decode()
    assert not Notice.objects.filter(title="有附件的通知").exists()
    good = client.post(
        "/notices/desk/new/",
        {**data, "attachments": [upload("a.pdf", PDF), upload("b.png", png_bytes())]},
    )
    assert good.status_code == 302
    saved = Notice.objects.get(title="有附件的通知")
    assert sorted(saved.attachments.values_list("kind", flat=True)) == ["image", "pdf"]


def test_attachments_of_published_notices_are_served_with_their_type(world):
    published = notice(world, files=[upload("a.pdf", PDF)])
    attachment = published.attachments.get()
    response = client_for(None).get(f"/notices/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_attachments_of_drafts_are_hidden_from_the_public_but_not_from_staff(world):
    drafted = notice(world, publish=False, files=[upload("a.pdf", PDF)])
    attachment = drafted.attachments.get()
    url = f"/notices/attachments/{attachment.pk}/"
    assert client_for(None).get(url).status_code == 404
    assert client_for(world.resident).get(url).status_code == 404
    assert client_for(world.other_admin).get(url).status_code == 404
    assert client_for(world.admin).get(url).status_code == 200


def test_a_removed_attachment_is_kept_but_no_longer_served(world):
    drafted = notice(world, publish=False, files=[upload("a.pdf", PDF)])
    attachment = drafted.attachments.get()
    client = client_for(world.grid_worker)
    assert client.post(f"/notices/desk/attachments/{attachment.pk}/remove/").status_code == 302
    assert NoticeAttachment.objects.filter(pk=attachment.pk, removed=True).exists()
    assert client.get(f"/notices/attachments/{attachment.pk}/").status_code == 404
    assert drafted.events.last().action == "detach"


def test_the_rss_feed_is_valid_xml_with_published_notices_and_their_enclosures(world):
    published = notice(world, title="已发布的通知", files=[upload("a.pdf", PDF)])
    notice(world, publish=False, title="尚未批准的通知")
    response = client_for(None).get(f"/notices/{world.community.code}/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    items = channel.findall("item")
    # A feed reader sends no Accept-Language: the site's language, Chinese, it is.
    assert [item.findtext("title") for item in items] == ["[政务] 已发布的通知"]
    assert items[0].findtext("link").endswith(f"/notices/{world.community.code}/{published.pk}/")
    enclosure = items[0].find("enclosure")
    assert enclosure.get("type") == "application/pdf"
    assert enclosure.get("url").startswith("http://testserver/notices/attachments/")


def test_the_atom_feed_is_valid_xml_with_published_notices_only(world):
    notice(world, title="已发布的通知")
    notice(world, publish=False, title="尚未批准的通知")
    response = client_for(None).get(f"/notices/{world.community.code}/atom/")
    feed = ElementTree.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["[政务] 已发布的通知"]  # "Government affairs", as a feed reader sees it


def test_the_feed_of_an_unknown_community_is_a_404(world):
    assert client_for(None).get("/notices/NOPE/rss/").status_code == 404


def test_feeds_read_a_constant_number_of_queries(world, django_assert_max_num_queries):
    for n in range(12):
        notice(world, title=f"通知 {n}", files=[upload("a.pdf", PDF)])
    with django_assert_max_num_queries(4):
        response = client_for(None).get(f"/notices/{world.community.code}/rss/")
    assert response.content.count(b"<item>") == 12
