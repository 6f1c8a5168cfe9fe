"""Handling figures of resident reports, computed in PostgreSQL: one aggregate query per
table (by month, grid, category or worker), with percentile_cont for the median.

Definitions (reports are counted in the month they were submitted, China time):

- received: reports submitted;
- accepted (立案): reports that were accepted (rejected ones never are);
- closed (结案): reports closed now (a disputed closure reopens the report);
- closure rate (结案率) = closed / accepted;
- due (应结案): accepted reports whose handling deadline has passed, or that are closed;
- deferred (延期): due reports whose deadline was extended (report_defer);
- closed on time (按期结案): closed, not deferred, handled by the handling deadline;
- on-time closure rate (按期结案率) = closed on time / (due − deferred);
- rework: times reports were sent back (failed verification, resident's dispute);
- median time to close: median hours from submission to closure of closed reports.

Rates are null where the denominator is 0. The worker of a report is whom it was
dispatched to, else its grid's duty grid worker.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Aggregate,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Round, TruncMonth
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.regions.models import Community

from ..models import Report
from ..states import OPEN_STATUSES, Status

DIMENSIONS = ("month", "grid", "category", "worker")
FIGURE_ROLES = (Role.COMMUNITY_ADMIN, Role.PLANNER)


def figure_communities(user: Any) -> QuerySet:
    """Ids of the communities whose figures `user` may see: where they are a community
    admin or planner (all for a superuser). The role and the user are matched on the same
    membership row (one filter() call)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Community.objects.none().values_list("pk", flat=True)
    if user.is_superuser:
        return Community.objects.values_list("pk", flat=True)
    return Community.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role__in=FIGURE_ROLES
    ).values_list("pk", flat=True)


class HoursBetween(Func):
    """(later − earlier) in hours, as double precision."""

    template = "(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600.0)::double precision"
    arg_joiner = " - "
    output_field = FloatField()


class Median(Aggregate):
    """percentile_cont(0.5) WITHIN GROUP (ORDER BY expression): the interpolated median."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _ratio(numerator: str, denominator: Any) -> Any:
    return Round(
        Cast(F(numerator), FloatField()) / NullIf(Cast(denominator, FloatField()), Value(0.0)),
        4,
    )


@dataclass(frozen=True)
class Period:
    """Months first..last inclusive (1st day of each), as submission-time bounds."""

    first: datetime.date
    last: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.first, datetime.time()))

    @property
    def end(self) -> datetime.datetime:
        after = (self.last.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return timezone.make_aware(datetime.datetime.combine(after, datetime.time()))


def reports_in(
    community_ids: Any, period: Period, *, community: int | None = None
) -> QuerySet[Report]:
    """Reports of the communities, submitted within the period."""
    rows = Report.objects.filter(
        community__in=community_ids,
        submitted_at__gte=period.start,
        submitted_at__lt=period.end,
    )
    if community is not None:
        rows = rows.filter(community_id=community)
    return rows


def _figures(rows: QuerySet[Any, Any], now: datetime.datetime) -> QuerySet[Any, Any]:
    """The figures of each group of `rows` (already .values()-grouped)."""
    accepted = Q(accepted_at__isnull=False)
    closed = Q(status=Status.CLOSED)
    due = accepted & (closed | Q(handle_due__lte=now))
    return rows.annotate(
        received=Count("pk"),
        accepted=Count("pk", filter=accepted),
        closed=Count("pk", filter=closed),
        due=Count("pk", filter=due),
        deferred=Count("pk", filter=due & Q(deferred_hours__gt=0)),
        on_time=Count("pk", filter=closed & Q(deferred_hours=0, handled_at__lte=F("handle_due"))),
        rework=Coalesce(Sum("rework_count"), 0),
        median_hours=Median(HoursBetween("closed_at", "submitted_at"), filter=closed),
    ).annotate(
        closure_rate=_ratio("closed", F("accepted")),
        on_time_rate=_ratio(
            "on_time",
            ExpressionWrapper(F("due") - F("deferred"), output_field=FloatField()),
        ),
    )


def figures_by(
    dimension: str, rows: QuerySet[Report], *, now: datetime.datetime | None = None
) -> list[dict[str, Any]]:
    """One row of figures per month, grid, category or worker, with a `label`."""
    now = now or timezone.now()
    zone = ZoneInfo(settings.TIME_ZONE)
    grouped: QuerySet[Any, Any]
    if dimension == "month":
        grouped = rows.annotate(month=TruncMonth("submitted_at", tzinfo=zone)).values("month")
        out = list(_figures(grouped, now).order_by("month"))
        for row in out:
            row["label"] = f"{row['month']:%Y-%m}"
        return out
    if dimension == "grid":
        grouped = rows.values("grid_id", "grid__code", "grid__name", "community__name")
        out = list(_figures(grouped, now).order_by("community__name", "grid__code"))
        for row in out:
            row["label"] = " ".join(p for p in (row["grid__code"], row["grid__name"]) if p) or "—"
        return out
    if dimension == "category":
        grouped = rows.values(
            "category_id", "category__code", "category__name", "category__sort_order"
        )
        out = list(_figures(grouped, now).order_by("category__sort_order", "category__code"))
        for row in out:
            row["label"] = row["category__name"]
        return out
    if dimension == "worker":
        grouped = rows.annotate(
            worker_id=Coalesce("dispatched_to_user_id", "duty_worker_id")
        ).values("worker_id")
        out = list(_figures(grouped, now).order_by("worker_id"))
        names = _names(row["worker_id"] for row in out)
        for row in out:
            row["label"] = names.get(row["worker_id"], "—")
        out.sort(key=lambda row: (row["worker_id"] is None, row["label"]))
        return out
    raise ValueError(f"Unknown dimension {dimension!r}; expected one of {DIMENSIONS}.")


def _names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    return {user.pk: str(user) for user in User.objects.filter(pk__in=wanted)}


def totals(rows: QuerySet[Report], *, now: datetime.datetime | None = None) -> dict[str, Any]:
    """The figures of all `rows` together."""
    grouped: QuerySet[Any, Any] = rows.annotate(whole=Value(1)).values("whole")
    found = list(_figures(grouped, now or timezone.now()).order_by())
    if found:
        return found[0]
    counts = ("received", "accepted", "closed", "due", "deferred", "on_time", "rework")
    return {
        **dict.fromkeys(counts, 0),
        **dict.fromkeys(("closure_rate", "on_time_rate", "median_hours")),
    }


def open_counts_by_grid(community_ids: Any, *, community: int | None = None) -> dict[int, int]:
    """How many reports are open now in each grid (for the shaded map)."""
    rows = Report.objects.filter(
        community__in=community_ids, status__in=OPEN_STATUSES, grid__isnull=False
    )
    if community is not None:
        rows = rows.filter(community_id=community)
    return dict(rows.values("grid_id").annotate(n=Count("pk")).values_list("grid_id", "n"))
