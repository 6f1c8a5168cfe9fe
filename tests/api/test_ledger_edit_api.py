"""Editing a ledger entry through PATCH /api/v1/ledger-entries/{id}/ (the web desk's rules)."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from apps.ledger.models import LedgerEntry, LedgerEntryEvent
from tests.api.test_ledger_api import _entry
from tests.ledger.conftest import world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/ledger-entries/"


def test_property_staff_correct_a_draft_and_the_history_keeps_old_and_new(api, openapi, world):
    entry = _entry(world, status="draft", amount="100.00")
    api.force_authenticate(world.company_user)
    url = f"{ENTRIES}{entry.pk}/"
    response = api.patch(url, {"amount": "120.50", "purpose": "停车费（五月）"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 200
    assert response.json()["amount"] == "120.50" and response.json()["status"] == "draft"
    later = api.get(url)
    assert later.json()["purpose"] == "停车费（五月）"
    entry.refresh_from_db()
    assert entry.amount == Decimal("120.50") and entry.kind == "income"  # the rest kept
    edit = LedgerEntryEvent.objects.get(entry=entry, action="edit")
    assert edit.actor == world.company_user and edit.actor_role == "property_staff"
    assert "amount: 100.00 → 120.50" in edit.note


def test_a_returned_entry_can_be_fixed_too(api, openapi, world):
    entry = _entry(world, status="submitted")
    api.force_authenticate(world.admin)
    api.post(f"{ENTRIES}{entry.pk}/transitions/", {"action": "return", "note": "日期不对"})
    api.force_authenticate(world.company_user)
    url = f"{ENTRIES}{entry.pk}/"
    response = api.patch(url, {"date": "2024-04-30"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 200 and response.json()["date"] == "2024-04-30"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"amount": "0.00"}, "amount", "The amount must be more than zero."),
        ({"date": "2999-01-01"}, "date", None),
        ({"facility": 987654}, "facility", "No such facility."),
        ({"kind": "gift"}, "kind", None),
    ],
)
def test_bad_values_are_refused_field_by_field_and_nothing_changes(
    api, openapi, world, body, field, message
):
    entry = _entry(world, status="draft", amount="100.00")
    api.force_authenticate(world.company_user)
    url = f"{ENTRIES}{entry.pk}/"
    response = api.patch(url, body, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    entry.refresh_from_db()
    assert entry.amount == Decimal("100.00") and entry.date == datetime.date(2024, 5, 1)
    assert not LedgerEntryEvent.objects.filter(entry=entry, action="edit").exists()


def test_the_error_is_in_the_users_language(world, openapi):
    entry = _entry(world, status="draft")
    zh = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.force_authenticate(world.company_user)
    url = f"{ENTRIES}{entry.pk}/"
    response = zh.patch(url, {"amount": "-5"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 400
    message = response.json()["errors"]["amount"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message


def test_an_approved_entry_cannot_be_edited_any_more(api, openapi, world):
    entry = _entry(world, status="approved", amount="100.00")
    api.force_authenticate(world.company_user)
    url = f"{ENTRIES}{entry.pk}/"
    response = api.patch(url, {"amount": "1.00"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only draft or returned entries can be changed; this one is “Approved and public”."
    )
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 403),
        ("resident", 404),
        ("other_community_admin", 404),
        ("community_admin", 403),  # approves entries, does not write them
    ],
)
def test_only_the_compounds_property_staff_edit_its_entries(api, openapi, world, who, expected):
    entry = _entry(world, status="draft", amount="100.00")
    person = world.people()[who]
    if person is not None:
        api.force_authenticate(person)
    url = f"{ENTRIES}{entry.pk}/"
    response = api.patch(url, {"amount": "999.00"}, format="json")
    openapi.check("patch", url, response)
    assert response.status_code in (expected, 401) if who == "anonymous" else expected
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")
