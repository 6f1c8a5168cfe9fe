"""A patrol's lifecycle: one table of moves, applied by one service, every move recorded."""

import datetime as dt

import pytest
from django.core.management import call_command

from apps.patrols.errors import ConflictError, PatrolError
from apps.patrols.models import PatrolTransition
from apps.patrols.services import (
    patrol_cancel,
    patrol_end,
    patrol_instance_transition,
    patrol_plan_save,
    patrol_start,
    patrols_mark_missed,
)
from apps.patrols.workflow import TRANSITIONS, Actor, Status

from .conftest import local, logged_in_client, plan_around_now, plan_data


@pytest.fixture
def patrol(area):
    return (
        patrol_plan_save(data=plan_data(area, until=dt.date(2031, 3, 4)), by=area.admin)
        .instances.order_by("starts_at")
        .first()
    )


def test_starting_and_ending_record_who_in_what_role_and_when(area, patrol):
    patrol_start(instance=patrol, by=area.worker, at=local(2031, 3, 3, 21, 50))
    patrol_end(instance=patrol, by=area.police, note="一切正常", at=local(2031, 3, 4, 5, 55))

    patrol.refresh_from_db()
    assert (patrol.status, patrol.started_at, patrol.ended_at) == (
        Status.COMPLETED,
        local(2031, 3, 3, 21, 50),
        local(2031, 3, 4, 5, 55),
    )
    moves = list(
        patrol.transitions.order_by("at", "pk").values_list(
            "from_status", "to_status", "by", "role", "note"
        )
    )
    assert moves == [
        ("", Status.PLANNED, area.admin.pk, "community_admin", moves[0][4]),
        (Status.PLANNED, Status.IN_PROGRESS, area.worker.pk, "grid_worker", ""),
        (Status.IN_PROGRESS, Status.COMPLETED, area.police.pk, "police_officer", "一切正常"),
    ]


@pytest.mark.parametrize(
    ("before", "target"),
    [
        (Status.PLANNED, Status.COMPLETED),
        (Status.COMPLETED, Status.IN_PROGRESS),
        (Status.MISSED, Status.IN_PROGRESS),
    ],
)
def test_moves_the_table_does_not_list_are_refused_and_leave_no_record(
    area, patrol, before, target
):
    patrol.status = before
    patrol.save()
    records = PatrolTransition.objects.count()
    with pytest.raises(ConflictError):
        patrol_instance_transition(
            instance=patrol, to_status=target, by=area.admin, actor=Actor.STAFF
        )
    patrol.refresh_from_db()
    assert patrol.status == before and PatrolTransition.objects.count() == records


def test_the_table_has_no_way_out_of_completed_or_missed():
    assert not [move for move in TRANSITIONS if move[0] in (Status.COMPLETED, Status.MISSED)]


def test_ending_a_patrol_that_has_not_started_answers_409(area):
    patrol = patrol_plan_save(data=plan_around_now(area), by=area.admin).instances.get()
    response = logged_in_client(area.worker).post(
        f"/patrols/api/patrols/{patrol.pk}/transition/", {"to": "completed"}, "application/json"
    )
    assert response.status_code == 409
    assert response.json()["detail"]


def test_a_patrol_cannot_be_started_the_day_before(area, patrol):
    with pytest.raises(ConflictError, match="2031-03-03 22:00"):
        patrol_start(instance=patrol, by=area.worker, at=local(2031, 3, 2, 22))


def test_cancelling_needs_a_reason(area, patrol):
    with pytest.raises(PatrolError):
        patrol_cancel(instance=patrol, by=area.admin, note="  ")
    patrol_cancel(instance=patrol, by=area.admin, note="台风停巡")
    assert patrol.transitions.order_by("-pk").first().note == "台风停巡"


def test_patrols_never_started_become_missed_by_the_system(area, patrol):
    assert patrols_mark_missed(now=local(2031, 3, 4, 7)) >= 1
    patrol.refresh_from_db()
    last = patrol.transitions.order_by("-pk").first()
    assert (patrol.status, last.actor, last.by) == (Status.MISSED, "system", None)
    # The next night is still to come: untouched.
    assert patrol.plan.instances.filter(status=Status.PLANNED).count() == 1


def test_the_missed_command_reports_how_many(area, patrol, capsys):
    call_command("patrols_mark_missed")
    assert "patrol(s) marked as missed" in capsys.readouterr().out
