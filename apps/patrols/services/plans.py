"""Planning patrols: saving a plan with its team and checkpoints, generating its patrols."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.gis.geos import LineString, Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, Organisation, User
from apps.regions.models import Community, Grid

from ..access import acting_role, is_staff_of
from ..errors import ForbiddenError
from ..models import Checkpoint, PatrolInstance, PatrolPlan, PatrolTeamMember, PatrolTransition
from ..schedule import occurrence_days, shift_window
from ..workflow import Actor, Status
from .runs import patrol_instance_transition


@dataclass(frozen=True)
class TeamSeat:
    person: User
    role: str
    organisation: Organisation | None = None


@dataclass(frozen=True)
class CheckpointData:
    name: str
    location: Point


@dataclass
class PlanData:
    """A plan as the planning form sends it, already validated (apps.patrols.forms)."""

    community: Community
    name: str
    start_time: dt.time
    end_time: dt.time
    recurrence: str
    starts_on: dt.date
    until: dt.date
    weekdays: list[int] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    route: LineString | None = None
    checkpoints: list[CheckpointData] = field(default_factory=list)
    team: list[TeamSeat] = field(default_factory=list)
    notes: str = ""

    def windows(self) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
        """(day, start, end) of every patrol this plan asks for."""
        days = occurrence_days(
            recurrence=self.recurrence,
            starts_on=self.starts_on,
            until=self.until,
            weekdays=self.weekdays,
        )
        return [(day, *shift_window(day, self.start_time, self.end_time)) for day in days]


@transaction.atomic
def patrol_plan_save(*, data: PlanData, by: User, plan: PatrolPlan | None = None) -> PatrolPlan:
    """Create a plan, or replace the contents of one, then (re)generate its patrols.

    Grids, team and checkpoints are replaced as a whole. Checkpoints are updated in place
    in list order, so past check-ins keep pointing at them; a checkpoint that has been
    visited is never deleted (it is kept at the end of the list).
    """
    if not is_staff_of(by, data.community.pk):
        raise ForbiddenError(_("Only the community's staff may plan its patrols."))
    if plan is not None and plan.community_id != data.community.pk:
        raise ForbiddenError(_("A plan cannot move to another community."))
    plan = plan or PatrolPlan(community=data.community, created_by=by)
    plan.name = data.name
    plan.route = data.route
    plan.start_time = data.start_time
    plan.end_time = data.end_time
    plan.recurrence = data.recurrence
    plan.weekdays = sorted(set(data.weekdays)) if data.recurrence == "weekly" else []
    plan.starts_on = data.starts_on
    plan.until = data.until
    plan.notes = data.notes
    plan.full_clean()
    plan.save()
    plan.grids.set(data.grids)
    _save_checkpoints(plan, data.checkpoints)
    _save_team(plan, data.team)
    patrol_plan_generate(plan=plan, by=by)
    return plan


def _save_checkpoints(plan: PatrolPlan, wanted: list[CheckpointData]) -> None:
    # Update existing checkpoints in place, in order, so that past check-ins keep their
    # checkpoint; extra old ones without check-ins are removed, extra new ones created.
    existing = list(plan.checkpoints.order_by("position", "pk"))
    for position, item in enumerate(wanted):
        if position < len(existing):
            checkpoint = existing[position]
            checkpoint.name, checkpoint.location, checkpoint.position = (
                item.name,
                item.location,
                position,
            )
            checkpoint.save(update_fields=["name", "location", "position"])
        else:
            Checkpoint.objects.create(
                community_id=plan.community_id,
                plan=plan,
                name=item.name,
                location=item.location,
                position=position,
            )
    for checkpoint in existing[len(wanted) :]:
        if checkpoint.checkins.exists():
            # Visited before: kept for the record, moved to the end of the list.
            checkpoint.position = len(wanted) + checkpoint.position
            checkpoint.save(update_fields=["position"])
        else:
            checkpoint.delete()


def _save_team(plan: PatrolPlan, seats: list[TeamSeat]) -> None:
    wanted = {seat.person.pk: seat for seat in seats}
    plan.team.exclude(person_id__in=wanted).delete()
    current = {member.person_id: member for member in plan.team.all()}
    for person_id, seat in wanted.items():
        organisation = seat.organisation or _organisation_of(plan.community_id, seat)
        member = current.get(person_id)
        if member is None:
            PatrolTeamMember.objects.create(
                community_id=plan.community_id,
                plan=plan,
                person=seat.person,
                role=seat.role,
                organisation=organisation,
            )
        elif member.role != seat.role or member.organisation_id != getattr(
            organisation, "pk", None
        ):
            member.role, member.organisation = seat.role, organisation
            member.save(update_fields=["role", "organisation"])


def _organisation_of(community_id: int, seat: TeamSeat) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=seat.person, community_id=community_id, role=seat.role)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


@transaction.atomic
def patrol_plan_generate(
    *, plan: PatrolPlan, by: User | None = None, now: dt.datetime | None = None
) -> dict[str, int]:
    """Make the plan's patrols match its schedule, from now on; idempotent.

    Creates the patrols of every day still to come (or under way), moves planned ones
    whose shift times changed, cancels planned future patrols the schedule no longer has
    (recorded as a system transition, never deleted), and restores ones the schedule
    cancelled earlier. Patrols already started, completed or missed are never touched.
    Returns counts of created / updated / cancelled / restored patrols.
    """
    now = now or timezone.now()
    counts = {"created": 0, "updated": 0, "cancelled": 0, "restored": 0}
    wanted: dict[dt.date, tuple[dt.datetime, dt.datetime]] = {}
    if plan.is_active:
        days = occurrence_days(
            recurrence=plan.recurrence,
            starts_on=plan.starts_on,
            until=plan.until,
            weekdays=plan.weekdays,
        )
        for day in days:
            starts, ends = shift_window(day, plan.start_time, plan.end_time)
            if ends > now:
                wanted[day] = (starts, ends)
    existing = {instance.service_date: instance for instance in plan.instances.all()}
    for day, (starts, ends) in wanted.items():
        instance = existing.get(day)
        if instance is None:
            instance = PatrolInstance.objects.create(
                community_id=plan.community_id,
                plan=plan,
                service_date=day,
                starts_at=starts,
                ends_at=ends,
            )
            PatrolTransition.objects.create(
                community_id=plan.community_id,
                instance=instance,
                from_status="",
                to_status=Status.PLANNED,
                by=by,
                actor=Actor.STAFF if by else Actor.SYSTEM,
                role=acting_role(by, plan.community_id) if by else "",
                at=now,
                note=_("Scheduled by the plan."),
            )
            counts["created"] += 1
            continue
        if instance.status == Status.CANCELLED and _cancelled_by_schedule(instance):
            patrol_instance_transition(
                instance=instance,
                to_status=Status.PLANNED,
                by=None,
                actor=Actor.SYSTEM,
                note=_("Back in the plan's schedule."),
                at=now,
            )
            counts["restored"] += 1
        if instance.status == Status.PLANNED and (instance.starts_at, instance.ends_at) != (
            starts,
            ends,
        ):
            instance.starts_at, instance.ends_at = starts, ends
            instance.save(update_fields=["starts_at", "ends_at"])
            counts["updated"] += 1
    for day, instance in existing.items():
        if day in wanted or instance.status != Status.PLANNED or instance.starts_at <= now:
            continue
        patrol_instance_transition(
            instance=instance,
            to_status=Status.CANCELLED,
            by=None,
            actor=Actor.SYSTEM,
            note=_("No longer in the plan's schedule."),
            at=now,
        )
        counts["cancelled"] += 1
    return counts


def _cancelled_by_schedule(instance: PatrolInstance) -> bool:
    last = instance.transitions.order_by("-at", "-pk").first()
    return last is not None and last.actor == Actor.SYSTEM


@transaction.atomic
def patrol_plan_archive(*, plan: PatrolPlan, by: User) -> PatrolPlan:
    """Stop a plan: its future planned patrols are cancelled, its history stays."""
    if not is_staff_of(by, plan.community_id):
        raise ForbiddenError(_("Only the community's staff may plan its patrols."))
    plan.is_active = False
    plan.save(update_fields=["is_active"])
    patrol_plan_generate(plan=plan, by=by)
    return plan
