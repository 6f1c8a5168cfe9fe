"""What "my area" (/me/) lists for one person: the reports sent to them, the other open
reports of their grids, and their patrols of today and tonight, each dated.

Reads only; spatial work is not needed here (a report's grid is assigned in SQL when it is
filed). Reports are read through the app registry so that patrols works without them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.accounts.models import Membership
from apps.accounts.roles import Role

from .models import PatrolInstance, PatrolTeamMember
from .schedule import local_zone
from .workflow import Status

# People a report can be dispatched to in person or through their organisation.
_DISPATCHABLE_ROLES = (
    Role.GRID_WORKER,
    Role.PROPERTY_STAFF,
    Role.POLICE_OFFICER,
    Role.PARTY_MEMBER,
    Role.COMMUNITY_ADMIN,
)
# A night shift belongs to the day it starts on until this hour of the next morning.
NIGHT_ENDS_HOUR = 6
# A patrol starting at or after this hour is an evening (night) patrol: "tonight".
EVENING_STARTS_HOUR = 18


def _report_model() -> Any:
    try:
        return apps.get_model("reports", "Report")
    except LookupError:
        return None


def _open_reports() -> QuerySet | None:
    """Open reports annotated with `next_due`, the deadline of the stage each waits in."""
    report_model = _report_model()
    if report_model is None:
        return None
    from apps.reports.states import OPEN_STATUSES
    from apps.reports.states import Status as ReportStatus

    next_due = Case(
        When(status=ReportStatus.SUBMITTED, then=F("accept_due")),
        When(status=ReportStatus.ACCEPTED, then=F("dispatch_due")),
        default=F("handle_due"),
    )
    return (
        report_model.objects.filter(status__in=OPEN_STATUSES)
        .annotate(next_due=next_due)
        .select_related("category", "grid", "community", "dispatched_to_organisation")
        .order_by("next_due", "pk")
    )


def sent_to_me_q(user: Any) -> Q:
    """Reports dispatched to `user` in person, or to their organisation (in a community
    where they belong to it) without naming someone else: in their grids or not."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    pairs = sorted(
        set(
            Membership.objects.filter(
                user=user,
                is_active=True,
                role__in=_DISPATCHABLE_ROLES,
                organisation__isnull=False,
            ).values_list("community_id", "organisation_id")
        )
    )
    q = Q(dispatched_to_user=user)
    for community_id, organisation_id in pairs:
        q |= Q(
            community_id=community_id,
            dispatched_to_organisation_id=organisation_id,
            dispatched_to_user__isnull=True,
        )
    return q


def reports_sent_to_me(user: Any, *, limit: int = 50) -> list[Any]:
    """Open reports dispatched to `user` (see `sent_to_me_q`), the soonest due first."""
    reports = _open_reports()
    if reports is None or not getattr(user, "is_authenticated", False):
        return []
    return list(reports.filter(sent_to_me_q(user))[:limit])


def open_reports_in_my_grids(grid_ids: Any, *, leave_out: Any = (), limit: int = 50) -> list[Any]:
    """Open reports of `grid_ids` except those in `leave_out` (already listed above), the
    soonest due first."""
    reports = _open_reports()
    if reports is None or not grid_ids:
        return []
    return list(reports.filter(grid__in=grid_ids).exclude(pk__in=list(leave_out))[:limit])


# --- patrols ----------------------------------------------------------------------------------


def _local(at: dt.datetime) -> dt.datetime:
    return at.astimezone(local_zone())


def patrol_window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """From `now` to the end of the night after today (tomorrow 06:00, local)."""
    local = _local(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return now, midnight + dt.timedelta(days=1, hours=NIGHT_ENDS_HOUR)


def my_patrols_now_and_tonight(user: Any, now: dt.datetime | None = None) -> QuerySet:
    """The user's patrols still to do today and tonight: running now or starting before
    tomorrow 06:00 (local), and any patrol left in progress. Finished ones (last night's
    at noon) are not listed. One row per patrol, soonest first."""
    now = now or timezone.now()
    if not getattr(user, "is_authenticated", False):
        return PatrolInstance.objects.none()
    start, end = patrol_window(now)
    on_team = PatrolTeamMember.objects.filter(plan=OuterRef("plan_id"), person=user)
    current = Q(starts_at__lt=end, ends_at__gt=start) & ~Q(
        status__in=[Status.COMPLETED, Status.CANCELLED, Status.MISSED]
    )
    return (
        PatrolInstance.objects.filter(Exists(on_team))
        .filter(current | Q(status=Status.IN_PROGRESS))
        .select_related("plan")
        .order_by("starts_at", "pk")
    )


@dataclass(frozen=True)
class PatrolWhen:
    """How a patrol's time reads on a phone: "今晚" and "12月7日 22:00 – 12月8日 06:00"."""

    relative: str  # "Now", "Tonight", "Today", "Tomorrow night"...; "" for other days
    start: str  # "12月7日 22:00"
    end: str  # "12月8日 06:00", or "11:00" when it ends on the day it starts

    @property
    def span(self) -> str:
        return f"{self.start} – {self.end}"


def _day(value: dt.datetime) -> str:
    # "12月7日" / "Dec 7": the month and day, in the reader's language.
    return formats.date_format(value, pgettext("month and day", "M j"))


def patrol_when(patrol: Any, now: dt.datetime | None = None) -> PatrolWhen:
    """The patrol's day and hours in words, relative to `now` (local time)."""
    now = now or timezone.now()
    starts, ends, here = _local(patrol.starts_at), _local(patrol.ends_at), _local(now)
    start = f"{_day(starts)} {starts:%H:%M}"
    end = f"{ends:%H:%M}" if ends.date() == starts.date() else f"{_day(ends)} {ends:%H:%M}"
    evening = starts.hour >= EVENING_STARTS_HOUR
    days = (starts.date() - here.date()).days
    if patrol.starts_at <= now < patrol.ends_at:
        relative = _("Now")
    elif days == 0:
        relative = _("Tonight") if evening else _("Today")
    elif days == 1:
        relative = _("Tomorrow night") if evening else _("Tomorrow")
    elif days == -1:
        relative = _("Last night") if evening else _("Yesterday")
    else:
        relative = ""
    return PatrolWhen(relative=relative, start=start, end=end)
