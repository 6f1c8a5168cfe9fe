"""Who may open which ledger page and take which action (the permission matrix)."""

import datetime
from decimal import Decimal

import pytest

from apps.ledger.models import LedgerEntry
from apps.ledger.services import ledger_entry_create

from .conftest import client_for

PEOPLE = [
    "anonymous",
    "resident",
    "property_staff",
    "community_admin",
    "other_community_admin",
    "grid_worker",
]


def make_entry(world, *, submit=True):
    return ledger_entry_create(
        actor=world.company_user,
        compound=world.compound,
        kind="income",
        date=datetime.date(2024, 6, 30),
        amount=Decimal("100.00"),
        purpose="停车费",
        submit=submit,
    )


@pytest.mark.parametrize("who", PEOPLE)
def test_public_ledger_pages_are_open_to_everyone(world, who):
    client = client_for(world.people()[who])
    for url in (
        "/ledger/",
        f"/ledger/community/{world.community.code}/",
        f"/ledger/{world.compound.pk}/",
    ):
        assert client.get(url).status_code == 200, url


# who → expected status of GET /ledger/desk/ (302: to the login page)
DESK = {
    "anonymous": 302,
    "resident": 403,
    "property_staff": 200,
    "community_admin": 200,
    "other_community_admin": 200,
    "grid_worker": 403,
}


@pytest.mark.parametrize(("who", "status"), DESK.items())
def test_the_desk_is_for_property_staff_and_admins(world, who, status):
    assert client_for(world.people()[who]).get("/ledger/desk/").status_code == status


# who → expected status of GET and POST /ledger/desk/new/
NEW_ENTRY = {
    "anonymous": 302,
    "resident": 403,
    "property_staff": 200,
    "community_admin": 403,
    "other_community_admin": 403,
    "grid_worker": 403,
}


@pytest.mark.parametrize(("who", "status"), NEW_ENTRY.items())
def test_only_property_staff_enter_new_entries(world, who, status):
    client = client_for(world.people()[who])
    assert client.get("/ledger/desk/new/").status_code == status
    data = {
        "compound": world.compound.pk,
        "kind": "income",
        "date": "2024-06-30",
        "amount": "100.00",
        "purpose": "停车费",
        "submit": "1",
    }
    response = client.post("/ledger/desk/new/", data)
    assert response.status_code == (302 if status == 200 else status)
    assert LedgerEntry.objects.filter(purpose="停车费").exists() == (status == 200)


# who → status of GET of a submitted entry, and of POSTing "approve"
ENTRY = {
    "anonymous": (302, 302),
    "resident": (403, 403),
    "property_staff": (200, 403),
    "community_admin": (200, 302),
    "other_community_admin": (403, 403),
    "grid_worker": (403, 403),
}


@pytest.mark.parametrize(("who", "statuses"), ENTRY.items())
def test_only_the_communitys_admin_approves_a_submitted_entry(world, who, statuses):
    entry = make_entry(world)
    client = client_for(world.people()[who])
    assert client.get(f"/ledger/desk/{entry.pk}/").status_code == statuses[0]
    response = client.post(f"/ledger/desk/{entry.pk}/transition/", {"action": "approve"})
    assert response.status_code == statuses[1]
    entry.refresh_from_db()
    assert (entry.status == "approved") == (who == "community_admin")


def test_approving_twice_answers_409_with_the_current_status(world):
    entry = make_entry(world)
    client = client_for(world.admin, language="en")
    client.post(f"/ledger/desk/{entry.pk}/transition/", {"action": "approve"})
    response = client.post(f"/ledger/desk/{entry.pk}/transition/", {"action": "approve"})
    assert response.status_code == 409
    assert "Approved and public" in response.content.decode()


def test_a_bad_amount_is_a_400_naming_the_problem_and_nothing_is_saved(world):
    client = client_for(world.company_user, language="en")
    data = {
        "compound": world.compound.pk,
        "kind": "income",
        "date": "2024-06-30",
        "amount": "-3",
        "purpose": "x",
    }
    response = client.post("/ledger/desk/new/", data)
    assert response.status_code == 400
    assert "more than zero" in response.content.decode()
    assert not LedgerEntry.objects.filter(compound=world.compound).exists()


def test_returning_without_a_note_is_a_400(world):
    entry = make_entry(world)
    response = client_for(world.admin).post(
        f"/ledger/desk/{entry.pk}/transition/", {"action": "return"}
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.status == "submitted"


def test_an_unknown_action_is_a_400(world):
    entry = make_entry(world)
    response = client_for(world.admin).post(
        f"/ledger/desk/{entry.pk}/transition/", {"action": "explode"}
    )
    assert response.status_code == 400


def test_the_desk_lists_a_compound_managers_entries_with_a_bounded_number_of_queries(
    world, django_assert_max_num_queries
):
    for _ in range(15):
        make_entry(world)
    client = client_for(world.admin)
    with django_assert_max_num_queries(10):
        response = client.get("/ledger/desk/?status=submitted")
    assert response.content.decode().count("停车费") == 15
