"""Schedule arithmetic of works, in SQL: latest progress, expected progress, overdue, at risk.

Everything is computed against a `today` passed in (Asia/Shanghai date by default), never the
database clock, so the numbers are reproducible and testable.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Least

from .workflow import ACTIVE_STATUSES, DONE_STATUSES

# A work is "behind schedule" when its reported progress trails the share of its planned
# time already elapsed by more than this many percentage points.
BEHIND_MARGIN = 20


class DaysBetween(models.Func):
    """`later - earlier` in whole days (PostgreSQL: date - date is an integer)."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()


def _date(value: datetime.date) -> Value:
    return Value(value, output_field=models.DateField())


class WorkQuerySet(models.QuerySet):
    def in_communities(self, community_ids: Any) -> WorkQuerySet:
        return self.filter(community_id__in=community_ids)

    def with_schedule(self, today: datetime.date) -> WorkQuerySet:
        """Annotate, as of `today`:

        - `progress_percent`: the latest progress update's percent (0 if none; 100 once done);
        - `expected_percent`: share of the planned period elapsed, 0–100 (null without dates);
        - `is_overdue`: not yet built, and the planned end is before today;
        - `is_behind`: not yet built, within its planned period, and progress trails the
          expected share by more than BEHIND_MARGIN points;
        - `misses_deadline`: not yet built, and planned to end after its programme's deadline;
        - `is_at_risk`: any of the three.
        """
        progress = apps.get_model("works", "WorkProgress")
        latest = (
            progress.objects.filter(work=OuterRef("pk")).order_by("-on", "-pk").values("percent")
        )
        done = list(DONE_STATUSES)
        active = list(ACTIVE_STATUSES)
        now = _date(today)
        span = DaysBetween(F("planned_end"), F("planned_start"))
        elapsed = DaysBetween(now, F("planned_start"))
        queryset = self.annotate(
            progress_percent=Case(
                When(status__in=done, then=Value(100)),
                default=Coalesce(Subquery(latest[:1]), Value(0)),
                output_field=IntegerField(),
            ),
            expected_percent=Case(
                When(Q(planned_start__isnull=True) | Q(planned_end__isnull=True), then=None),
                When(planned_start__gte=today, then=Value(0)),
                When(planned_end__lte=today, then=Value(100)),
                # Integer division: whole percentage points, rounded down.
                default=Least(Greatest(elapsed * 100 / span, Value(0)), Value(100)),
                output_field=IntegerField(),
            ),
        )
        queryset = queryset.annotate(
            is_overdue=ExpressionWrapper(
                Q(status__in=active, planned_end__isnull=False, planned_end__lt=today),
                output_field=BooleanField(),
            ),
            is_behind=ExpressionWrapper(
                Q(
                    status__in=active,
                    planned_start__isnull=False,
                    planned_end__isnull=False,
                    planned_end__gte=today,
                    expected_percent__gt=F("progress_percent") + BEHIND_MARGIN,
                ),
                output_field=BooleanField(),
            ),
            misses_deadline=ExpressionWrapper(
                Q(
                    status__in=active,
                    programme__isnull=False,
                    planned_end__isnull=False,
                    programme__deadline__lt=F("planned_end"),
                ),
                output_field=BooleanField(),
            ),
        )
        return queryset.annotate(
            is_at_risk=ExpressionWrapper(
                Q(is_overdue=True) | Q(is_behind=True) | Q(misses_deadline=True),
                output_field=BooleanField(),
            )
        )
