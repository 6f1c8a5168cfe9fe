"""Service-level times (时限): due times on submission and overdue flags per stage."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from .states import Stage, Status

# Statuses in which each stage is still waiting to be done.
WAITING_FOR: dict[str, tuple[str, ...]] = {
    Stage.ACCEPT: (Status.SUBMITTED,),
    Stage.DISPATCH: (Status.SUBMITTED, Status.ACCEPTED),
    Stage.HANDLE: (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS),
}
DUE_FIELDS: dict[str, str] = {
    Stage.ACCEPT: "accept_due",
    Stage.DISPATCH: "dispatch_due",
    Stage.HANDLE: "handle_due",
}


def due_times(category: Any, submitted_at: datetime.datetime) -> dict[str, datetime.datetime]:
    """accept_due, dispatch_due and handle_due of a report of `category` submitted then."""
    return {
        "accept_due": submitted_at + datetime.timedelta(hours=category.accept_hours),
        "dispatch_due": submitted_at + datetime.timedelta(hours=category.dispatch_hours),
        "handle_due": submitted_at + datetime.timedelta(hours=category.handle_hours),
    }


def rework_handle_due(category: Any, report: Any, at: datetime.datetime) -> datetime.datetime:
    """Work sent back gets the category's handling time again, never less than it had."""
    span = max(category.handle_hours - category.dispatch_hours, 1)
    return max(report.handle_due, at + datetime.timedelta(hours=span))


def overdue_q(stage: str, now: datetime.datetime) -> Q:
    """Reports still waiting for `stage` after its due time."""
    return Q(status__in=WAITING_FOR[stage], **{f"{DUE_FIELDS[stage]}__lt": now})


def with_overdue(reports: QuerySet, now: datetime.datetime | None = None) -> QuerySet:
    """Annotate accept_overdue, dispatch_overdue, handle_overdue and is_overdue (any stage)."""
    now = now or timezone.now()
    flags = {f"{stage}_overdue": overdue_q(stage, now) for stage in Stage}
    return reports.annotate(
        **{name: ExpressionWrapper(q, output_field=BooleanField()) for name, q in flags.items()},
        is_overdue=ExpressionWrapper(
            flags["accept_overdue"] | flags["dispatch_overdue"] | flags["handle_overdue"],
            output_field=BooleanField(),
        ),
    )


def overdue_filter(now: datetime.datetime | None = None) -> Q:
    now = now or timezone.now()
    return (
        overdue_q(Stage.ACCEPT, now) | overdue_q(Stage.DISPATCH, now) | overdue_q(Stage.HANDLE, now)
    )
