"""Reads of programmes and works: progress against target and deadline, forecasts, risk.

Every selector takes `today` (a date in Asia/Shanghai) so results do not depend on the wall
clock; views pass `timezone.localdate()`.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.db import models
from django.db.models import Count, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .access import planner_communities
from .models import Programme, Work, WorkFunder, WorkProgress, WorkStatusChange
from .workflow import ACTIVE_STATUSES, DONE_STATUSES, PUBLIC_STATUSES, WorkStatus


@dataclass(frozen=True)
class ProgrammeProgress:
    """Where a programme stands on `today`.

    The forecast follows the sites' own schedules when every site still to build has a
    planned end and there are enough of them to reach the target: the target is reached when
    the last of them is planned to end (or today, if that is past). Sites built in parallel
    finish together, so the pace of the sites done so far says little about them; the sites
    that trail their schedule are counted in `at_risk`. Otherwise the forecast is linear: the
    pace so far is `done` sites over the days since the start; at that pace the `remaining`
    sites take `remaining × elapsed / done` more days (rounded up). No forecast before the
    start or before the first site is done.
    """

    programme: Programme
    today: datetime.date
    done: int
    target: int
    in_progress: int
    cancelled: int
    days_left: int  # negative once the deadline has passed
    elapsed_days: int
    projected_completion: datetime.date | None
    finished_on: datetime.date | None  # the day the target was reached, if it was
    forecast_basis: str = ""  # "schedule", "pace" or "" (no forecast)
    at_risk: int = 0  # sites still to build that are overdue, behind or planned too late

    @property
    def remaining(self) -> int:
        return max(self.target - self.done, 0)

    @property
    def percent(self) -> int:
        """Share of the target done, in whole percent (rounded down, at most 100)."""
        return min(self.done * 100 // self.target, 100)

    @property
    def complete(self) -> bool:
        return self.done >= self.target

    @property
    def overdue(self) -> bool:
        """The deadline has passed and the target is not reached."""
        return not self.complete and self.today > self.programme.deadline

    @property
    def on_track(self) -> bool | None:
        """Will the target be reached by the deadline at the pace so far? None: no pace yet."""
        if self.complete:
            return self.finished_on is None or self.finished_on <= self.programme.deadline
        if self.projected_completion is None:
            return None
        return self.projected_completion <= self.programme.deadline

    @property
    def needed_per_week(self) -> float | None:
        """Sites a week still needed to meet the deadline (None once it has passed)."""
        if self.complete or self.days_left <= 0:
            return None
        return round(self.remaining * 7 / self.days_left, 1)


def programme_progress(programme: Programme, *, today: datetime.date) -> ProgrammeProgress:
    """Done / target, days left, forecast of a programme as of `today` (one query)."""
    counts = Work.objects.filter(programme=programme).aggregate(**_COUNTS)
    at_risk = programme_sites_at_risk(programme, today=today).count()
    return _progress(programme, today, {**counts, "at_risk": at_risk})


_ACTIVE = Q(status__in=ACTIVE_STATUSES)
_COUNTS = {
    "done": Count("pk", filter=Q(status__in=DONE_STATUSES)),
    "cancelled": Count("pk", filter=Q(status=WorkStatus.CANCELLED)),
    "total": Count("pk"),
    "last_done": Max("actual_end", filter=Q(status__in=DONE_STATUSES)),
    "open": Count("pk", filter=_ACTIVE),
    "open_undated": Count("pk", filter=_ACTIVE & Q(planned_end__isnull=True)),
    "last_planned": Max("planned_end", filter=_ACTIVE),
}


def _progress(programme: Programme, today: datetime.date, counts: dict) -> ProgrammeProgress:
    done = counts["done"] or 0
    elapsed = (today - programme.start_date).days
    projected = None
    basis = ""
    remaining = programme.target_count - done
    if remaining > 0 and done > 0 and elapsed > 0:
        scheduled = (counts.get("open") or 0) >= remaining and not counts.get("open_undated")
        if scheduled and counts.get("last_planned"):
            projected, basis = max(counts["last_planned"], today), "schedule"
        else:
            days = math.ceil(remaining * elapsed / done)
            projected, basis = today + datetime.timedelta(days=days), "pace"
    finished = counts["last_done"] if done >= programme.target_count else None
    return ProgrammeProgress(
        programme=programme,
        today=today,
        done=done,
        target=programme.target_count,
        in_progress=(counts["total"] or 0) - done - (counts["cancelled"] or 0),
        cancelled=counts["cancelled"] or 0,
        days_left=(programme.deadline - today).days,
        elapsed_days=elapsed,
        projected_completion=projected,
        finished_on=finished,
        forecast_basis=basis,
        at_risk=counts.get("at_risk") or 0,
    )


def programmes_progress(
    programmes: models.QuerySet, *, today: datetime.date
) -> list[ProgrammeProgress]:
    """Progress of several programmes in one query."""
    active = Q(works__status__in=ACTIVE_STATUSES)
    rows = programmes.select_related("owner", "district").annotate(
        done=Count("works", filter=Q(works__status__in=DONE_STATUSES)),
        cancelled=Count("works", filter=Q(works__status=WorkStatus.CANCELLED)),
        total=Count("works"),
        last_done=Max("works__actual_end", filter=Q(works__status__in=DONE_STATUSES)),
        open=Count("works", filter=active),
        open_undated=Count("works", filter=active & Q(works__planned_end__isnull=True)),
        last_planned=Max("works__planned_end", filter=active),
    )
    # The sites at risk of each programme, in the same query.
    risky = (
        Work.objects.filter(programme=OuterRef("pk"))
        .with_schedule(today)
        .filter(is_at_risk=True)
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = rows.annotate(at_risk=Coalesce(Subquery(risky[:1]), Value(0)))
    names = (
        "done", "cancelled", "total", "last_done", "open", "open_undated", "last_planned",
        "at_risk",
    )  # fmt: skip
    return [_progress(p, today, {n: getattr(p, n) for n in names}) for p in rows]


def programme_sites_at_risk(programme: Programme, *, today: datetime.date) -> models.QuerySet:
    """The programme's works that are overdue, behind schedule, or planned past its deadline."""
    return (
        Work.objects.filter(programme=programme)
        .with_schedule(today)
        .filter(is_at_risk=True)
        .select_related("community")
        .order_by("planned_end", "name")
    )


def programmes_for(user: Any) -> models.QuerySet:
    """Programmes of the districts the user plans in, or that have works in their scope."""
    communities = planner_communities(user)
    # A subselect of ids: joins here would multiply the rows that counts over works see.
    ids = Programme.objects.filter(
        Q(district__subdistricts__communities__in=communities) | Q(works__community__in=communities)
    ).values("pk")
    return Programme.objects.filter(pk__in=ids)


def works_for_planner(user: Any, *, today: datetime.date) -> models.QuerySet:
    """Every work of the communities the user plans in, with schedule flags and the names a
    table needs (no per-row queries)."""
    return (
        Work.objects.in_communities(planner_communities(user))
        .with_schedule(today)
        .select_related("community", "programme", "contractor", "facility")
        .annotate(funder_names=funder_names())
        .order_by("planned_end", "name", "pk")
    )


def funder_names() -> Coalesce:
    """The work's funders' names, largest amount first, as one text (a subquery per row)."""
    names = (
        WorkFunder.objects.filter(work=OuterRef("pk"))
        .order_by()
        .values("work")
        .annotate(
            names=StringAgg(
                "organisation__name", delimiter="、", order_by=("-amount", "organisation__name")
            )
        )
        .values("names")
    )
    return Coalesce(Subquery(names[:1]), Value(""), output_field=models.TextField())


def public_works() -> models.QuerySet:
    """Works anybody may see: decided ones (approved or later), never proposals or cancelled."""
    return Work.objects.filter(status__in=PUBLIC_STATUSES)


def work_history(work: Work) -> list[dict[str, Any]]:
    """Status changes and progress updates of a work, oldest first, each with its photos.

    Entries are dicts with `kind` ("status" or "progress"), `when` (a date), and `item`.
    """
    changes = (
        WorkStatusChange.objects.filter(work=work)
        .select_related("changed_by")
        .prefetch_related("photos")
    )
    updates = (
        WorkProgress.objects.filter(work=work)
        .select_related("recorded_by")
        .prefetch_related("photos")
    )
    entries = [
        {
            "kind": "status",
            "when": c.changed_at,
            "sort": (timezone.localdate(c.changed_at), 1, c.pk),
            "item": c,
        }
        for c in changes
    ] + [{"kind": "progress", "when": u.on, "sort": (u.on, 0, u.pk), "item": u} for u in updates]
    return sorted(entries, key=lambda entry: entry["sort"])
