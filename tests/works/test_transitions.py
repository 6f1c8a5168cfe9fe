"""The one transition table, applied by the one service: every allowed move and every
refused one, the record each leaves, and resuming a suspended work."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.works.models import WorkStatusChange
from apps.works.services import TransitionRefusedError, work_transition
from apps.works.workflow import MOVES, MOVES_BY_ACTION, WorkStatus

from .conftest import make_work

pytestmark = pytest.mark.django_db
S = WorkStatus

ALLOWED = {
    S.PROPOSED: {"approve", "cancel"},
    S.APPROVED: {"start", "suspend", "cancel"},
    S.UNDER_CONSTRUCTION: {"complete", "suspend", "cancel"},
    S.SUSPENDED: {"resume", "cancel"},
    S.COMPLETED: {"accept", "open"},
    S.ACCEPTED: {"open"},
    S.OPEN_TO_PUBLIC: set(),
    S.CANCELLED: set(),
}
ACTIONS = [move.action for move in MOVES]
EVERY_PAIR = list(itertools.product(S.values, ACTIONS))


def test_the_table_is_the_one_written_down_here():
    table = {status: {m.action for m in MOVES if status in m.sources} for status in S.values}
    assert table == {str(k): v for k, v in ALLOWED.items()}


@pytest.mark.parametrize(("status", "action"), [p for p in EVERY_PAIR if p[1] in ALLOWED[p[0]]])
def test_an_allowed_move_changes_the_status_and_is_recorded(world, status, action):
    work = make_work(world.here, status=status)
    if status == S.SUSPENDED:
        WorkStatusChange.objects.create(
            work=work, from_status=S.APPROVED, to_status=S.SUSPENDED, action="suspend"
        )
    change = work_transition(work=work, action=action, by=world.planner, note=" why ")
    work.refresh_from_db()
    expected = MOVES_BY_ACTION[action].target or S.APPROVED
    assert work.status == expected
    assert (change.from_status, change.to_status, change.action) == (status, expected, action)
    assert (change.changed_by, change.role, change.note) == (world.planner, "planner", "why")


@pytest.mark.parametrize(("status", "action"), [p for p in EVERY_PAIR if p[1] not in ALLOWED[p[0]]])
def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(world, status, action):
    work = make_work(world.here, status=status)
    before = work.status_changes.count()
    with pytest.raises(TransitionRefusedError) as refused:
        work_transition(work=work, action=action, by=world.planner)
    work.refresh_from_db()
    assert work.status == status
    assert work.status_changes.count() == before
    assert str(MOVES_BY_ACTION[action].label) in refused.value.message


def test_an_unknown_action_is_refused(world):
    work = make_work(world.here)
    with pytest.raises(TransitionRefusedError, match="demolish"):
        work_transition(work=work, action="demolish", by=world.planner)


def test_resuming_returns_a_work_to_the_status_it_was_suspended_from(world):
    work = make_work(world.here, status=S.UNDER_CONSTRUCTION)
    work_transition(work=work, action="suspend", by=world.planner, note="rain")
    work_transition(work=work, action="resume", by=world.admin_here)
    work.refresh_from_db()
    assert work.status == S.UNDER_CONSTRUCTION
    actions = list(work.status_changes.values_list("action", "to_status", "role"))
    assert actions[-2:] == [
        ("suspend", S.SUSPENDED, "planner"),
        ("resume", S.UNDER_CONSTRUCTION, "community_admin"),
    ]


def test_starting_and_completing_set_the_actual_dates(world):
    work = make_work(world.here, status=S.APPROVED)
    today = timezone.localdate()
    work_transition(
        work=work, action="start", by=world.planner, on=today - datetime.timedelta(days=3)
    )
    work_transition(work=work, action="complete", by=world.planner)
    work.refresh_from_db()
    assert (work.actual_start, work.actual_end) == (today - datetime.timedelta(days=3), today)


def test_a_date_in_the_future_is_refused(world):
    from django.core.exceptions import ValidationError

    work = make_work(world.here, status=S.APPROVED)
    with pytest.raises(ValidationError):
        work_transition(
            work=work,
            action="start",
            by=world.planner,
            on=timezone.localdate() + datetime.timedelta(days=1),
        )
    work.refresh_from_db()
    assert work.status == S.APPROVED


@pytest.mark.parametrize("who", ["admin_other", "grid_worker", "resident"])
def test_people_outside_the_works_planners_cannot_move_it(world, who):
    work = make_work(world.here, status=S.PROPOSED)
    with pytest.raises(PermissionDenied):
        work_transition(work=work, action="approve", by=getattr(world, who))
    work.refresh_from_db()
    assert work.status == S.PROPOSED


def test_a_new_work_starts_proposed_with_its_creation_recorded(world):
    from apps.works.services import work_create

    work = work_create(
        by=world.admin_here,
        community=world.here,
        name="新工程",
        work_type="repair",
        status=S.OPEN_TO_PUBLIC,
        geom=make_work(world.here).geom,
    )
    assert work.status == S.PROPOSED  # a status cannot be chosen at birth
    [created] = work.status_changes.all()
    assert (created.action, created.to_status, created.role) == (
        "create",
        S.PROPOSED,
        "community_admin",
    )


def test_a_work_with_a_self_crossing_site_is_refused_saying_where(world):
    from django.core.exceptions import ValidationError

    from apps.works.services import work_create
    from tests.factories import bowtie

    with pytest.raises(ValidationError) as error:
        work_create(
            by=world.planner,
            community=world.here,
            name="坏形状",
            work_type="repair",
            geom=bowtie(*world.here.boundary.extent[:2]),
        )
    assert "geom" in error.value.message_dict
