"""The ledger through /api/v1/: approved entries, compound balances, entering and approving."""

# `world` is a fixture imported from the app's tests: test parameters shadow it by design.
# ruff: noqa: F811

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from apps.ledger import services
from apps.ledger.models import LedgerEntry, LedgerEntryEvent
from tests.ledger.conftest import world  # noqa: F401 - shared fixture

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/ledger-entries/"
BALANCES = "/api/v1/ledger-balances/"
DAY = datetime.date(2024, 5, 1)


def _entry(world, *, kind="income", amount="100.00", status="approved", purpose="停车费"):
    """An entry entered by the company's staff, moved through the service up to `status`."""
    entry = services.ledger_entry_create(
        actor=world.company_user,
        compound=world.compound,
        kind=kind,
        date=DAY,
        amount=Decimal(amount),
        purpose=purpose,
    )
    if status in ("submitted", "approved"):
        entry = services.ledger_entry_transition(
            entry=entry, action="submit", actor=world.company_user
        )
    if status == "approved":
        entry = services.ledger_entry_transition(entry=entry, action="approve", actor=world.admin)
    return entry


def _transition(api, entry, action, note=""):
    return api.post(f"{ENTRIES}{entry.pk}/transitions/", {"action": action, "note": note})


def test_anyone_reads_a_compounds_approved_entries_but_not_its_drafts(api, openapi, world):
    approved = _entry(world)
    draft = _entry(world, status="draft", purpose="草稿")
    url = f"{ENTRIES}?compound={world.compound.pk}"
    response = api.get(url)
    openapi.check("get", url, response)
    rows = response.json()["results"]
    assert [r["id"] for r in rows] == [approved.pk] and draft.pk not in {r["id"] for r in rows}
    assert rows[0]["amount"] == "100.00" and rows[0]["kind_label"] == "Income"


def test_listing_entries_without_a_compound_says_what_is_missing(api, openapi, world):
    response = api.get(ENTRIES)
    openapi.check("get", ENTRIES, response)
    assert response.status_code == 400
    assert response.json()["errors"]["compound"] == ["Give the id of a compound."]


def test_the_entry_list_takes_a_fixed_number_of_queries(api, world, django_assert_max_num_queries):
    for _ in range(5):
        _entry(world)
    with django_assert_max_num_queries(4):
        response = api.get(f"{ENTRIES}?compound={world.compound.pk}")
    assert len(response.json()["results"]) == 5


def test_compound_balances_sum_approved_entries_only(
    api, openapi, world, django_assert_max_num_queries
):
    _entry(world, amount="1200.50")
    _entry(world, amount="300.00")
    _entry(world, kind="spending", amount="450.25")
    _entry(world, amount="9999.00", status="submitted")  # not public yet: not counted
    url = f"{BALANCES}?community={world.community.code}"
    with django_assert_max_num_queries(4):
        response = api.get(url)
    openapi.check("get", url, response)
    row = next(r for r in response.json()["results"] if r["id"] == world.compound.pk)
    # By hand: income 1200.50 + 300.00 = 1500.50; balance 1500.50 − 450.25 = 1050.25.
    assert (row["income"], row["spending"], row["balance"]) == ("1500.50", "450.25", "1050.25")
    assert row["public_entries"] == 3


def test_compound_balances_need_a_known_community(api, openapi, world):
    response = api.get(f"{BALANCES}?community=NOPE")
    openapi.check("get", BALANCES, response)
    assert response.status_code == 400
    assert response.json()["errors"]["community"] == ["There is no community with that code."]


def test_the_compounds_property_staff_enter_a_draft_entry(api, openapi, world):
    api.force_authenticate(world.company_user)
    body = {
        "compound": world.compound.pk,
        "kind": "spending",
        "date": "2024-05-02",
        "amount": "88.80",
        "purpose": "更换路灯",
    }
    response = api.post(ENTRIES, body, format="json")
    openapi.check("post", ENTRIES, response)
    assert response.status_code == 201
    assert response.json()["status"] == "draft" and response.json()["amount"] == "88.80"
    entry = LedgerEntry.objects.get(pk=response.json()["id"])
    assert LedgerEntryEvent.objects.filter(entry=entry, action="create").exists()


def test_another_companys_staff_may_not_enter_the_compounds_ledger(api, openapi, world):
    api.force_authenticate(world.other_company_user)
    body = {"compound": world.compound.pk, "kind": "income", "date": "2024-05-02"}
    response = api.post(ENTRIES, {**body, "amount": "1.00", "purpose": "x"}, format="json")
    openapi.check("post", ENTRIES, response)
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the compound's property staff may enter its ledger."
    assert not LedgerEntry.objects.filter(compound=world.compound).exists()


def test_an_entry_dated_in_the_future_is_refused_with_the_fields_message(api, openapi, world):
    api.force_authenticate(world.company_user)
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    body = {"compound": world.compound.pk, "kind": "income", "date": tomorrow.isoformat()}
    response = api.post(ENTRIES, {**body, "amount": "1.00", "purpose": "x"}, format="json")
    openapi.check("post", ENTRIES, response)
    assert response.status_code == 400
    assert response.json()["errors"]["date"] == [
        "The date is in the future: enter what was actually earned or spent."
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 403),
        ("resident", 404),
        ("grid_worker", 404),
        ("property_staff", 403),
        ("other_community_admin", 404),
        ("community_admin", 200),
    ],
)
def test_only_the_communitys_admin_approves_a_submitted_entry(api, openapi, world, who, expected):
    entry = _entry(world, status="submitted")
    person = world.people()[who]
    if person is not None:
        api.force_authenticate(person)
    response = _transition(api, entry, "approve")
    openapi.check("post", f"{ENTRIES}{entry.pk}/transitions/", response)
    assert response.status_code == expected
    entry.refresh_from_db()
    assert entry.status == ("approved" if expected == 200 else "submitted")


def test_an_approved_entry_becomes_public_and_the_step_is_recorded(api, openapi, world):
    entry = _entry(world, status="submitted")
    api.force_authenticate(world.admin)
    response = _transition(api, entry, "approve")
    openapi.check("post", f"{ENTRIES}{entry.pk}/transitions/", response)
    assert response.json() == {"id": entry.pk, "status": "approved", "action": "approve"}
    event = LedgerEntryEvent.objects.get(entry=entry, action="approve")
    assert event.actor == world.admin and event.actor_role == "community_admin"
    api.force_authenticate(None)
    assert api.get(f"{ENTRIES}{entry.pk}/").json()["status"] == "approved"


def test_approving_an_approved_entry_again_is_a_conflict(api, openapi, world):
    entry = _entry(world)
    api.force_authenticate(world.admin)
    response = _transition(api, entry, "approve")
    openapi.check("post", f"{ENTRIES}{entry.pk}/transitions/", response)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This cannot be done any more: it is now “Approved and public”."
    )


def test_returning_an_entry_needs_a_note(api, openapi, world):
    entry = _entry(world, status="submitted")
    api.force_authenticate(world.admin)
    response = _transition(api, entry, "return")
    openapi.check("post", f"{ENTRIES}{entry.pk}/transitions/", response)
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Say what needs to change, so the property staff can fix it."
    )
    assert _transition(api, entry, "return", note="金额有误").json()["status"] == "returned"
