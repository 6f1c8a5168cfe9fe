"""Tool loans: lifecycle, no double lending of an item, overdue flags."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import translation

from apps.station.errors import (
    ActionForbiddenError,
    NoItemFreeError,
    NotBookableError,
    TooLateError,
)
from apps.station.models import ToolLoan
from apps.station.selectors import loans_overdue, tool_availability
from apps.station.services import loan_create, loan_is_overdue, loan_transition
from apps.station.slots import loan_period, local_today

TODAY = local_today


def borrow(world, who=None, *, start=None, days=1):
    return loan_create(
        tool=world.tool, borrower=who or world.resident, start=start or TODAY(), days=days
    )


def make_overdue(loan, *, last_day_ago=2):
    """Move a picked-up loan into the past: its one day was `last_day_ago` days ago."""
    lower, upper = loan_period(TODAY() - datetime.timedelta(days=last_day_ago), 1)
    ToolLoan.objects.filter(pk=loan.pk).update(period=DateTimeTZRange(lower, upper, "[)"))
    loan.refresh_from_db()
    return loan


def test_a_loan_holds_one_item_for_whole_days_and_gives_a_code(world):
    loan = borrow(world, days=2)
    assert loan.code.startswith("L") and len(loan.code) == 8
    assert loan.first_day == TODAY()
    assert loan.last_day == TODAY() + datetime.timedelta(days=1)
    assert loan.item.tool == world.tool


def test_the_full_lifecycle_is_recorded_step_by_step(world):
    loan = borrow(world)
    loan_transition(loan=loan, action="confirm", actor=world.staff)
    loan_transition(loan=loan, action="pick_up", actor=world.staff)
    loan = loan_transition(loan=loan, action="return", actor=world.admin)
    assert loan.status == "returned"
    assert loan.picked_up_at is not None and loan.returned_at is not None
    assert [(e.action, e.from_status, e.to_status) for e in loan.events.all()] == [
        ("create", "", "requested"),
        ("confirm", "requested", "confirmed"),
        ("pick_up", "confirmed", "picked_up"),
        ("return", "picked_up", "returned"),
    ]


def test_two_items_lend_twice_and_the_third_borrower_is_told_none_is_free(world):
    borrow(world, world.resident)
    borrow(world, world.neighbour)
    with pytest.raises(NoItemFreeError) as refused:
        borrow(world, world.staff)
    assert refused.value.status == 409
    assert "电钻" in str(refused.value)


def test_the_database_refuses_overlapping_loans_of_one_item(world):
    loan = borrow(world, days=2)
    with pytest.raises(IntegrityError, match="loan_item_no_overlap"), transaction.atomic():
        ToolLoan.objects.create(
            community=world.community,
            tool=world.tool,
            item=loan.item,
            borrower=world.neighbour,
            period=DateTimeTZRange(
                loan.period.lower + datetime.timedelta(days=1),
                loan.period.upper + datetime.timedelta(days=1),
                "[)",
            ),
            code="LTESTAAA",
        )


def test_back_to_back_loans_of_one_item_do_not_overlap(world):
    world.tool.items.filter(label="2号").update(is_active=False)
    first = borrow(world, world.resident, days=1)
    second = borrow(world, world.neighbour, start=TODAY() + datetime.timedelta(days=1))
    assert first.item == second.item


def test_a_cancelled_loan_frees_the_item(world):
    first = borrow(world, world.resident)
    borrow(world, world.neighbour)
    loan_transition(loan=first, action="cancel", actor=world.resident)
    assert borrow(world, world.staff).item == first.item


def test_availability_shows_free_pieces_per_day(world):
    borrow(world, world.resident, start=TODAY() + datetime.timedelta(days=1), days=2)
    days = {a.day: a.free for a in tool_availability(world.tool)}
    assert days[TODAY()] == 2
    assert days[TODAY() + datetime.timedelta(days=1)] == 1
    assert days[TODAY() + datetime.timedelta(days=2)] == 1
    assert days[TODAY() + datetime.timedelta(days=3)] == 2


@pytest.mark.parametrize(
    ("start_offset", "days"),
    [(0, 3), (0, 0), (-1, 1), (15, 1)],
    ids=["longer-than-allowed", "zero-days", "in-the-past", "too-far-ahead"],
)
def test_periods_outside_the_rules_are_refused(world, start_offset, days):
    with pytest.raises(NotBookableError):
        borrow(world, start=TODAY() + datetime.timedelta(days=start_offset), days=days)


def test_a_tool_is_not_handed_out_before_the_first_day(world):
    loan = borrow(world, start=TODAY() + datetime.timedelta(days=2))
    with translation.override("en"), pytest.raises(TooLateError, match="hand the tool out from"):
        loan_transition(loan=loan, action="pick_up", actor=world.staff)


def test_a_loan_out_past_its_last_day_is_flagged_overdue(world):
    loan = borrow(world)
    loan_transition(loan=loan, action="pick_up", actor=world.staff)
    assert not loan_is_overdue(loan)
    loan = make_overdue(loan)
    assert loan_is_overdue(loan)
    assert list(loans_overdue(communities=[world.community.pk])) == [loan]


def test_a_late_return_says_how_late_in_the_history(world):
    loan = borrow(world)
    loan_transition(loan=loan, action="pick_up", actor=world.staff)
    make_overdue(loan, last_day_ago=2)  # due back the day before yesterday
    with translation.override("en"):  # the note is written in the language of the desk
        loan = loan_transition(loan=loan, action="return", actor=world.staff)
    # Late yesterday and today: every started day counts.
    assert loan.events.last().note == "Returned 2 days late."
    assert not loans_overdue(communities=[world.community.pk]).exists()


def test_an_overdue_item_is_not_lent_again_until_it_is_back(world):
    world.tool.items.filter(label="2号").update(is_active=False)
    loan = borrow(world)
    loan_transition(loan=loan, action="pick_up", actor=world.staff)
    make_overdue(loan)
    with pytest.raises(NoItemFreeError):
        borrow(world, world.neighbour)
    assert tool_availability(world.tool)[0].free == 0


def test_only_the_desk_hands_tools_out(world):
    loan = borrow(world)
    for who in (world.resident, world.neighbour, world.grid_worker, world.other_admin):
        with pytest.raises(ActionForbiddenError):
            loan_transition(loan=loan, action="pick_up", actor=who)
