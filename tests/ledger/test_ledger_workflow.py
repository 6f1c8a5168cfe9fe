"""The ledger's one transition table, applied by one service, every change recorded."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from apps.ledger.models import LEDGER_TRANSITIONS, LedgerEntry
from apps.ledger.services import (
    ledger_entry_create,
    ledger_entry_transition,
    ledger_entry_update,
)
from apps.ledger.workflow import (
    ActionForbiddenError,
    NoteRequiredError,
    TransitionNotAllowedError,
)
from tests.factories import make_community, make_facility

DAY = datetime.date(2024, 6, 30)


def draft(world, **kwargs):
    values = {
        "actor": world.company_user,
        "compound": world.compound,
        "kind": LedgerEntry.Kind.INCOME,
        "date": DAY,
        "amount": Decimal("18600.00"),
        "purpose": "停车费收益",
    }
    return ledger_entry_create(**{**values, **kwargs})


def test_property_staff_enter_a_draft_with_its_creation_recorded(world):
    entry = draft(world)
    assert entry.status == "draft"
    assert entry.community == world.community
    (event,) = entry.events.all()
    assert (event.action, event.actor, event.actor_role) == (
        "create",
        world.company_user,
        "property_staff",
    )


def test_submit_then_approve_makes_an_entry_public_and_records_both_steps(world):
    entry = draft(world, submit=True)
    entry = ledger_entry_transition(entry=entry, action="approve", actor=world.admin)
    assert entry.status == "approved"
    assert entry.approved_at is not None
    steps = [(e.action, e.from_status, e.to_status, e.actor_role) for e in entry.events.all()]
    assert steps == [
        ("create", "", "draft", "property_staff"),
        ("submit", "draft", "submitted", "property_staff"),
        ("approve", "submitted", "approved", "community_admin"),
    ]


def test_returning_an_entry_needs_a_note_saying_what_to_fix(world):
    entry = draft(world, submit=True)
    with pytest.raises(NoteRequiredError):
        ledger_entry_transition(entry=entry, action="return", actor=world.admin)
    entry = ledger_entry_transition(
        entry=entry, action="return", actor=world.admin, note="金额与票据不符"
    )
    assert entry.status == "returned"
    assert entry.events.last().note == "金额与票据不符"


def test_a_draft_cannot_be_approved_before_it_is_submitted(world):
    entry = draft(world)
    with pytest.raises(TransitionNotAllowedError) as refused:
        ledger_entry_transition(entry=entry, action="approve", actor=world.admin)
    assert refused.value.status == 409


@pytest.mark.parametrize("role", ["resident", "grid_worker", "other_admin", "company_user"])
def test_only_the_community_admin_approves(world, role):
    entry = draft(world, submit=True)
    with pytest.raises(ActionForbiddenError) as refused:
        ledger_entry_transition(entry=entry, action="approve", actor=getattr(world, role))
    assert refused.value.status == 403
    entry.refresh_from_db()
    assert entry.status == "submitted"


@pytest.mark.parametrize("role", ["admin", "resident", "grid_worker", "other_company_user"])
def test_only_the_compounds_own_property_staff_enter_its_ledger(world, role):
    with pytest.raises(ActionForbiddenError):
        draft(world, actor=getattr(world, role))
    assert not LedgerEntry.objects.filter(compound=world.compound).exists()


def test_an_edit_keeps_the_old_values_in_the_history(world):
    entry = draft(world)
    ledger_entry_update(entry=entry, actor=world.company_user, amount=Decimal("18800.00"))
    event = entry.events.last()
    assert event.action == "edit"
    assert "18600.00 → 18800.00" in event.note


def test_an_approved_entry_can_no_longer_be_edited(world):
    entry = draft(world, submit=True)
    ledger_entry_transition(entry=entry, action="approve", actor=world.admin)
    with pytest.raises(TransitionNotAllowedError):
        ledger_entry_update(entry=entry, actor=world.company_user, amount=Decimal("1.00"))
    entry.refresh_from_db()
    assert entry.amount == Decimal("18600.00")


def test_a_returned_entry_is_fixed_and_submitted_again(world):
    entry = draft(world, submit=True)
    ledger_entry_transition(entry=entry, action="return", actor=world.admin, note="日期有误")
    ledger_entry_update(entry=entry, actor=world.company_user, date=datetime.date(2024, 6, 29))
    entry = ledger_entry_transition(entry=entry, action="submit", actor=world.company_user)
    assert entry.status == "submitted"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", Decimal("0")),
        ("amount", Decimal("-5")),
        ("amount", Decimal("10.005")),
        ("date", datetime.date.today() + datetime.timedelta(days=30)),
    ],
)
def test_bad_values_are_refused_with_a_message_on_the_field(world, field, value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        draft(world, **{field: value})
    assert field in refused.value.message_dict


def test_a_facility_of_another_community_is_refused(world):
    from django.core.exceptions import ValidationError

    elsewhere = make_facility(make_community(x=113.0))
    with pytest.raises(ValidationError) as refused:
        draft(world, facility=elsewhere)
    assert "facility" in refused.value.message_dict


def test_the_database_refuses_a_non_positive_amount_however_it_comes(world):
    entry = draft(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("0"))


def test_every_status_reachable_from_draft_is_in_the_table():
    targets = {move.target for move in LEDGER_TRANSITIONS.transitions}
    assert targets == {"submitted", "approved", "returned"}
    assert {s for move in LEDGER_TRANSITIONS.transitions for s in move.sources} <= set(
        LedgerEntry.Status.values
    )
