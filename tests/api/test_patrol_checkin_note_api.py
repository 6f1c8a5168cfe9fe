"""A check-in's note through /api/v1/patrols/{id}/check-ins/{check_in}/: the person who checked
in writes it (as on the patrol page); the team and staff read it; nobody edits another's."""

# `town` is a fixture imported from the patrol API tests: parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.patrols.models import CheckIn
from tests.api.test_patrols_api import GATE, PATROLS, _start, town  # noqa: F401

pytestmark = pytest.mark.django_db


def _check_in(api, town) -> CheckIn:
    _start(api, town)
    checkpoint = town.joint_plan.checkpoints.get()
    body = {"checkpoint": checkpoint.pk, "lat": GATE[1], "lng": GATE[0]}
    response = api.post(f"{PATROLS}{town.joint.pk}/check-ins/", body, format="json")
    assert response.status_code == 201
    return CheckIn.objects.get(pk=response.json()["id"])


def _url(town, checkin) -> str:
    return f"{PATROLS}{town.joint.pk}/check-ins/{checkin.pk}/"


def test_the_person_who_checked_in_writes_the_note_and_staff_read_it(api, openapi, town):
    checkin = _check_in(api, town)  # by the grid worker
    url = _url(town, checkin)
    response = api.patch(url, {"note": "  东门路灯不亮  "}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 200
    assert response.json()["note"] == "东门路灯不亮" and response.json()["on_site"] is True
    assert CheckIn.objects.get(pk=checkin.pk).note == "东门路灯不亮"
    api.force_authenticate(town.admin)
    later = api.get(url)
    openapi.check("get", url, later)
    assert later.json()["note"] == "东门路灯不亮" and later.json()["person"] == town.worker.pk


def test_a_note_is_cleared_with_an_empty_one_and_a_missing_one_is_refused(api, openapi, town):
    checkin = _check_in(api, town)
    CheckIn.objects.filter(pk=checkin.pk).update(note="旧备注")
    url = _url(town, checkin)
    response = api.patch(url, {}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400 and "note" in response.json()["errors"]
    assert CheckIn.objects.get(pk=checkin.pk).note == "旧备注"
    too_long = api.patch(url, {"note": "长" * 2001}, format="json")
    openapi.check("patch", url, too_long)
    assert too_long.status_code == 400 and "note" in too_long.json()["errors"]
    assert api.patch(url, {"note": ""}, format="json").json()["note"] == ""


@pytest.mark.parametrize(("who", "expected"), [("police", 403), ("admin", 403), ("outsider", 404)])
def test_nobody_edits_another_persons_check_in(api, openapi, town, who, expected):
    checkin = _check_in(api, town)
    api.force_authenticate(getattr(town, who))
    url = _url(town, checkin)
    response = api.patch(url, {"note": "不是我的"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == expected
    if expected == 403:
        assert response.json()["detail"] == "You can only edit your own check-ins."
    assert CheckIn.objects.get(pk=checkin.pk).note == ""


def test_a_check_in_of_another_patrol_is_not_found_through_this_one(api, openapi, town):
    checkin = _check_in(api, town)
    url = f"{PATROLS}{town.property_patrol.pk}/check-ins/{checkin.pk}/"
    response = api.patch(url, {"note": "x"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 404


def test_by_token_and_by_session_with_its_csrf_token(api, town):
    checkin = _check_in(api, town)
    token = Token.objects.create(user=town.worker)
    by_token = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert by_token.patch(_url(town, checkin), {"note": "令牌"}, format="json").status_code == 200
    session = APIClient(enforce_csrf_checks=True)
    session.force_login(town.worker)
    refused = session.patch(_url(town, checkin), {"note": "无CSRF"}, format="json")
    assert refused.status_code == 403
    assert CheckIn.objects.get(pk=checkin.pk).note == "令牌"
