"""The transition table: every allowed step moves the report and is recorded; every other
(action, status) pair is refused with nothing changed."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.reports.errors import TransitionNotAllowedError
from apps.reports.models import ReportTransition
from apps.reports.states import Action, ActorRole, Status
from apps.reports.workflow import RULES
from tests.reports.report_helpers import perform

pytestmark = pytest.mark.django_db

S = Status
# The workflow as the issue states it, written out independently of apps.reports.workflow.
EXPECTED: dict[str, dict[str, str]] = {
    Action.ACCEPT: {S.SUBMITTED: S.ACCEPTED},
    Action.REJECT: {S.SUBMITTED: S.REJECTED},
    Action.DISPATCH: {
        S.ACCEPTED: S.DISPATCHED,
        S.DISPATCHED: S.DISPATCHED,
        S.IN_PROGRESS: S.DISPATCHED,
    },
    Action.START: {S.DISPATCHED: S.IN_PROGRESS},
    Action.HANDLE: {S.DISPATCHED: S.HANDLED, S.IN_PROGRESS: S.HANDLED},
    Action.VERIFY: {S.HANDLED: S.VERIFIED},
    Action.FAIL_VERIFICATION: {S.HANDLED: S.IN_PROGRESS},
    Action.CLOSE: {S.VERIFIED: S.CLOSED},
    Action.DISPUTE: {S.HANDLED: S.DISPATCHED, S.VERIFIED: S.DISPATCHED, S.CLOSED: S.DISPATCHED},
    Action.CONFIRM: {S.HANDLED: S.VERIFIED, S.VERIFIED: S.VERIFIED, S.CLOSED: S.CLOSED},
    Action.DEFER: {S.DISPATCHED: S.DISPATCHED, S.IN_PROGRESS: S.IN_PROGRESS},
    # Feedback from outside the handling (a completed work) never moves the report.
    Action.FEEDBACK: {status: status for status in S.values},
}
ALLOWED = [(a, f, t) for a, moves in EXPECTED.items() for f, t in moves.items()]
REFUSED = [(a, f) for a in EXPECTED for f in Status.values if f not in EXPECTED[a]]
RESIDENT_ACTIONS = {Action.DISPUTE, Action.CONFIRM}


def actor_for(action, area):
    # The community admin is a party to every staff step; residents act by tracking code.
    return None if action in RESIDENT_ACTIONS else area.people.admin


def test_the_table_is_the_workflow_of_the_issue():
    assert {action: dict(rule.moves) for action, rule in RULES.items()} == EXPECTED


@pytest.mark.parametrize(("action", "from_status", "to_status"), ALLOWED)
def test_an_allowed_step_moves_the_report_and_records_who_when_and_what(
    area, make_report, action, from_status, to_status
):
    report = make_report(from_status)
    before = ReportTransition.objects.filter(report=report).count()

    moved = perform(action, report, actor_for(action, area), area)

    assert moved.status == to_status
    report.refresh_from_db()
    assert report.status == to_status
    step = ReportTransition.objects.filter(report=report).latest("pk")
    assert ReportTransition.objects.filter(report=report).count() == before + 1
    assert (step.action, step.from_status, step.to_status) == (action, from_status, to_status)
    assert step.note == "测试说明"
    if action in RESIDENT_ACTIONS:
        assert step.actor_role == ActorRole.RESIDENT
    else:
        assert step.actor == area.people.admin
        assert step.actor_role == ActorRole.COMMUNITY_ADMIN


@pytest.mark.parametrize(("action", "from_status"), REFUSED)
def test_a_step_the_table_does_not_allow_is_refused_and_changes_nothing(
    area, make_report, action, from_status
):
    report = make_report(from_status)

    with pytest.raises(TransitionNotAllowedError) as refused:
        perform(action, report, actor_for(action, area), area)

    report.refresh_from_db()
    assert report.status == from_status
    assert not ReportTransition.objects.filter(report=report).exists()
    assert str(Status(from_status).label) in refused.value.message


@pytest.mark.parametrize(
    ("action", "from_status"),
    [(Action.FAIL_VERIFICATION, S.HANDLED), (Action.DISPUTE, S.HANDLED),
     (Action.DISPUTE, S.CLOSED)],
)  # fmt: skip
def test_sending_work_back_counts_as_rework_and_clears_the_closure(
    area, make_report, action, from_status
):
    report = make_report(from_status, handled_at=None)

    moved = perform(action, report, actor_for(action, area), area)

    assert moved.rework_count == 1
    assert moved.closed_at is None
    assert moved.dispatched_to_organisation == area.company  # back to the same people


def test_a_closed_report_can_no_longer_be_disputed_after_the_window(area, make_report):
    import datetime

    from django.utils import timezone

    closed = make_report(S.CLOSED, closed_at=timezone.now() - datetime.timedelta(days=15))

    with (
        translation.override("en"),
        pytest.raises(TransitionNotAllowedError, match="more than 14 days"),
    ):
        perform(Action.DISPUTE, closed, None, area)


def test_a_report_moves_through_all_seven_steps_to_closure(area, make_report):
    people = area.people
    report = make_report(S.SUBMITTED)

    for action, actor in [
        (Action.ACCEPT, people.worker),
        (Action.DISPATCH, people.admin),
        (Action.START, people.property),
        (Action.HANDLE, people.property),
        (Action.VERIFY, people.worker),
        (Action.CLOSE, people.admin),
    ]:
        report = perform(action, report, actor, area)

    assert report.status == S.CLOSED
    roles = list(report.transitions.order_by("at", "pk").values_list("action", "actor_role"))
    assert roles == [
        (Action.ACCEPT, ActorRole.GRID_WORKER),
        (Action.DISPATCH, ActorRole.COMMUNITY_ADMIN),
        (Action.START, ActorRole.PROPERTY_STAFF),
        (Action.HANDLE, ActorRole.PROPERTY_STAFF),
        (Action.VERIFY, ActorRole.GRID_WORKER),
        (Action.CLOSE, ActorRole.COMMUNITY_ADMIN),
    ]
    assert report.accepted_at and report.dispatched_at and report.handled_at and report.closed_at
