"""Patrol demo data for Dongrui (apps.patrols.demo_case): grid assignments, duty rosters,
the nightly joint patrol with a few completed nights (tracks and check-ins), a weekly
day patrol. Idempotent: rows are found by natural keys and past nights that already have
an outcome are left alone, so a second run the same day changes nothing.

Dates are relative to today (Asia/Shanghai), so the coverage map and "tonight" always
have something to show; a run on a later day adds that day's past nights.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import LineString, Point
from django.db import transaction

from apps.accounts.models import Membership, Organisation, User
from apps.accounts.roles import Role
from apps.core.demo import demo_clock
from apps.regions.models import Community, Grid

from . import demo_case as case
from .models import DutyShift, PatrolInstance, PatrolPlan, PatrolSettings, PatrolTransition
from .schedule import shift_window
from .services import (
    CheckpointData,
    PlanData,
    TeamSeat,
    grid_assignment_set,
    patrol_check_in,
    patrol_instance_transition,
    patrol_plan_generate,
    patrol_plan_save,
    patrol_track_append,
)
from .views.serial import plan_json
from .workflow import Actor, Status


class _PatrolDemo:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.community = Community.objects.get(code=case.COMMUNITY)
        self.grids = {g.code: g for g in Grid.objects.filter(community=self.community)}
        self.admin = User.objects.get(username=case.ADMIN)
        clock = demo_clock()  # the demo's today (apps.core.demo), normally the real one
        self.today, self.now = clock.today, clock.now()

    def user(self, username: str) -> User:
        return User.objects.get(username=username)

    # --- people on grids ---------------------------------------------------------------
    def people(self) -> None:
        for entry in case.PEOPLE:
            user, _created = User.objects.get_or_create(
                username=str(entry["username"]),
                defaults={
                    "display_name": str(entry["display_name"]),
                    "password": make_password(None),
                },
            )
            organisation = Organisation.objects.filter(name=str(entry["organisation"])).first()
            Membership.objects.get_or_create(
                user=user,
                community=self.community,
                role=str(entry["role"]),
                defaults={"organisation": organisation, "is_active": True},
            )
            self.assign(user, list(entry["grids"]))
        for username, codes in case.BUILDING_HEADS.items():
            self.assign(self.user(username), codes)

    def assign(self, user: User, codes: list[str]) -> None:
        wanted = {self.grids[code].pk for code in codes}
        current = set(
            Grid.objects.filter(
                memberships__user=user, memberships__community=self.community
            ).values_list("pk", flat=True)
        )
        if current != wanted:
            grid_assignment_set(
                community=self.community, person=user, grid_ids=wanted, by=self.admin
            )
        self.counts["GridAssignment"] += len(wanted)

    def roster(self) -> None:
        for codes, username, weekdays, start, end in case.ROSTER:
            person = self.user(username)
            for code in codes:
                for weekday in weekdays:
                    DutyShift.objects.get_or_create(
                        community=self.community,
                        grid=self.grids[code],
                        person=person,
                        weekday=weekday,
                        start_time=start,
                        defaults={"end_time": end},
                    )
                    self.counts["DutyShift"] += 1

    # --- plans -------------------------------------------------------------------------
    def plan(
        self, spec: dict[str, Any], *, recurrence: str, starts_on: dt.date, until: dt.date
    ) -> PatrolPlan:
        route = spec["route"]
        data = PlanData(
            community=self.community,
            name=spec["name"],
            start_time=spec["start_time"],
            end_time=spec["end_time"],
            recurrence=recurrence,
            weekdays=spec.get("weekdays", []),
            starts_on=starts_on,
            until=until,
            grids=[self.grids[code] for code in spec["grids"]],
            route=LineString(route, srid=4326) if route else None,
            checkpoints=[
                CheckpointData(name, Point(xy[0], xy[1], srid=4326))
                for name, xy in spec["checkpoints"]
            ],
            team=[TeamSeat(self.user(username), role) for username, role in spec["team"]],
            notes=spec["notes"],
        )
        plan = PatrolPlan.objects.filter(community=self.community, name=spec["name"]).first()
        if plan is None or not self._same(plan, data):
            plan = patrol_plan_save(data=data, by=self.admin, plan=plan)
        else:
            patrol_plan_generate(plan=plan, by=self.admin)
        self.counts["PatrolPlan"] += 1
        return plan

    @staticmethod
    def _same(plan: PatrolPlan, data: PlanData) -> bool:
        current = plan_json(plan)
        route = plan.route.coords if plan.route else None
        wanted_route = data.route.coords if data.route else None
        return (
            current["starts_on"] == data.starts_on.isoformat()
            and current["until"] == data.until.isoformat()
            and current["notes"] == data.notes
            and sorted(current["grids"]) == sorted(g.pk for g in data.grids)
            and route == wanted_route
            and [c["name"] for c in current["checkpoints"]] == [c.name for c in data.checkpoints]
            and sorted((s["person"], s["role"]) for s in current["team"])
            == sorted((s.person.pk, s.role) for s in data.team)
        )

    # --- nights already over -------------------------------------------------------------
    def past_night(self, plan: PatrolPlan, days_back: int, outcome: str) -> None:
        day = self.today - dt.timedelta(days=days_back)
        starts, ends = shift_window(day, plan.start_time, plan.end_time)
        instance = PatrolInstance.objects.filter(plan=plan, service_date=day).first()
        self.counts["PatrolInstance"] += 1
        if instance is not None and instance.status != Status.PLANNED:
            return  # this night already has its outcome
        if ends > self.now:
            return  # still under way (before 06:00): it stays planned
        if instance is None:
            instance = PatrolInstance.objects.create(
                community=self.community,
                plan=plan,
                service_date=day,
                starts_at=starts,
                ends_at=ends,
            )
            PatrolTransition.objects.create(
                community=self.community,
                instance=instance,
                from_status="",
                to_status=Status.PLANNED,
                by=self.admin,
                actor=Actor.STAFF,
                at=starts - dt.timedelta(days=7),
                note="",
            )
        if outcome == "missed":
            patrol_instance_transition(
                instance=instance,
                to_status=Status.MISSED,
                by=None,
                actor=Actor.SYSTEM,
                note="班次结束，巡逻未开始。",
                at=ends,
            )
            return
        worker, property_staff = self.user("gridworker"), self.user("property")
        begin = starts + dt.timedelta(minutes=5)
        finish = (
            starts + dt.timedelta(hours=2, minutes=40)
            if outcome == "early"
            else ends - dt.timedelta(minutes=10)
        )
        patrol_instance_transition(
            instance=instance, to_status=Status.IN_PROGRESS, by=worker, actor=Actor.TEAM, at=begin
        )
        checkpoints = list(plan.checkpoints.order_by("position"))
        for number, checkpoint in enumerate(checkpoints):
            at = begin + dt.timedelta(minutes=6 * number + 2)
            # A few metres off the checkpoint (phone GPS); on the "remote" night the car-park
            # check-in was made by property staff from about 130 m away.
            remote = outcome == "remote" and number == 2
            dx, dy = (0.0013, 0.0003) if remote else (0.00004 * (1 + number % 3), -0.00003)
            patrol_check_in(
                instance=instance,
                checkpoint=checkpoint,
                person=property_staff if remote else worker,
                lon=checkpoint.location.x + dx,
                lat=checkpoint.location.y + dy,
                accuracy_m=8.0,
                at=at,
            )
            self.counts["CheckIn"] += 1
        patrol_track_append(
            instance=instance, person=worker, points=self.walk(plan, begin, days_back)
        )
        patrol_instance_transition(
            instance=instance, to_status=Status.COMPLETED, by=worker, actor=Actor.TEAM, at=finish
        )

    def walk(self, plan: PatrolPlan, begin: dt.datetime, seed: int) -> list[dict[str, Any]]:
        """Positions every ~20 m along the route, a few metres off it like real GPS."""
        coords = list(plan.route.coords) if plan.route else []
        points: list[dict[str, Any]] = []
        minute = 0.0
        for (x0, y0), (x1, y1) in zip(coords, coords[1:], strict=False):
            steps = max(1, int(math.hypot((x1 - x0) * 98_000, (y1 - y0) * 111_000) / 20))
            for step in range(steps):
                f = step / steps
                wobble = 0.00002 * math.sin(len(points) * 1.7 + seed)
                points.append(
                    {
                        "lng": x0 + (x1 - x0) * f + wobble,
                        "lat": y0 + (y1 - y0) * f - wobble,
                        "time": (begin + dt.timedelta(minutes=minute)).isoformat(),
                        "accuracy": 6,
                    }
                )
                minute += 0.3
        if coords:
            points.append(
                {
                    "lng": coords[-1][0],
                    "lat": coords[-1][1],
                    "time": (begin + dt.timedelta(minutes=minute)).isoformat(),
                }
            )
        return points

    def run(self) -> dict[str, int]:
        PatrolSettings.objects.get_or_create(
            community=self.community,
            defaults={"required_roles": [Role.GRID_WORKER.value, Role.PROPERTY_STAFF.value]},
        )
        self.people()
        self.roster()
        anchor = self.today
        night = self.plan(
            case.NIGHT_PATROL,
            recurrence="daily",
            starts_on=anchor - dt.timedelta(days=max(case.PAST_NIGHTS)),
            until=anchor + dt.timedelta(days=27),
        )
        self.plan(
            case.DAY_PATROL,
            recurrence="weekly",
            starts_on=anchor - dt.timedelta(days=7),
            until=anchor + dt.timedelta(days=27),
        )
        for days_back, outcome in sorted(case.PAST_NIGHTS.items(), reverse=True):
            self.past_night(night, days_back, outcome)
        return dict(self.counts)


def load_demo_data(*, verbosity: int = 0, out: Any = None) -> dict[str, int]:
    """Load the patrol demo for Dongrui; returns how many rows of each kind it covers."""
    with transaction.atomic():
        counts = _PatrolDemo().run()
    if verbosity >= 1 and out is not None:
        out.write(
            f"Patrol demo: {counts.get('PatrolPlan', 0)} plans, "
            f"{counts.get('PatrolInstance', 0)} past nights.\n"
        )
    return counts
