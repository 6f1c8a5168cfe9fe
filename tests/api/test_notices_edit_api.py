"""Editing a notice draft through PATCH /api/v1/notices/{id}/ (the web desk's rules)."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import pytest

from apps.notices.models import Notice, NoticeEvent
from tests.api.test_notices_api import _notice
from tests.notices.conftest import media_in_tmp, world  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db

LIST = "/api/v1/notices/"


def test_the_author_edits_a_draft_and_the_history_keeps_the_previous_text(api, openapi, world):
    notice = _notice(world)
    api.force_authenticate(world.grid_worker)
    url = f"{LIST}{notice.pk}/"
    response = api.patch(url, {"title": "停水通知（更正）", "body": "改为 14:00–16:00 停水。"})
    openapi.check("patch", url, response)
    assert response.status_code == 200
    assert response.json()["title"] == "停水通知（更正）"
    later = api.get(url).json()
    assert (later["title"], later["body"]) == ("停水通知（更正）", "改为 14:00–16:00 停水。")
    assert later["section"] == "government"  # untouched
    edit = NoticeEvent.objects.get(notice=notice, action="edit")
    assert edit.actor == world.grid_worker and edit.note == "body, title"
    assert edit.previous["title"] == "停水通知"


def test_a_community_admin_may_edit_someone_elses_draft(api, openapi, world):
    notice = _notice(world)
    api.force_authenticate(world.admin)
    url = f"{LIST}{notice.pk}/"
    response = api.patch(url, {"section": "finance", "compound": world.compound.pk})
    openapi.check("patch", url, response)
    assert response.status_code == 200
    assert response.json()["compound_id"] == world.compound.pk
    assert Notice.objects.get(pk=notice.pk).section == "finance"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"title": "   "}, "title", "This field may not be blank."),
        ({"compound": 0}, "compound", "There is no such compound."),
        (
            {"section": "party"},
            None,
            None,
        ),  # fine on its own: checked with the compound below
    ],
)
def test_bad_values_are_refused_by_field(api, openapi, world, body, field, message):
    notice = _notice(world)
    api.force_authenticate(world.grid_worker)
    url = f"{LIST}{notice.pk}/"
    response = api.patch(url, body, format="json")
    openapi.check("patch", url, response)
    if field is None:
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert Notice.objects.get(pk=notice.pk).title == "停水通知"


def test_a_compound_on_a_non_finance_notice_is_refused(api, openapi, world):
    notice = _notice(world)
    api.force_authenticate(world.grid_worker)
    url = f"{LIST}{notice.pk}/"
    response = api.patch(url, {"compound": world.compound.pk}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400
    assert response.json()["errors"]["compound"] == [
        "Only finance notices link to a compound's ledger."
    ]
    assert Notice.objects.get(pk=notice.pk).compound_id is None


def test_a_submitted_notice_is_no_longer_a_draft_and_cannot_be_edited(api, openapi, world):
    notice = _notice(world, status="submitted")
    api.force_authenticate(world.grid_worker)
    url = f"{LIST}{notice.pk}/"
    response = api.patch(url, {"title": "偷偷改"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 409
    assert "this one is “" in response.json()["detail"]
    assert Notice.objects.get(pk=notice.pk).title == "停水通知"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("property_staff", 403), ("other_admin", 404), ("resident", 404), ("anonymous", 403)],
)
def test_others_cannot_edit_the_draft(api, openapi, world, who, expected):
    notice = _notice(world)
    person = world.people().get(who) if who != "other_admin" else world.other_admin
    if person is not None:
        api.force_authenticate(person)
    url = f"{LIST}{notice.pk}/"
    response = api.patch(url, {"title": "别人改的"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == expected or (who == "anonymous" and response.status_code == 401)
    assert Notice.objects.get(pk=notice.pk).title == "停水通知"
    assert not NoticeEvent.objects.filter(notice=notice, action="edit").exists()
