"""Time slots of a bookable service and loan periods of tools, in the station's local time.

Pure date arithmetic (no database): a day's slots start at `opens_at` and step by
`slot_minutes` while they end by `closes_at`. The station keeps Asia/Shanghai time
whatever language or time zone a visitor's browser has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from .models import BookableService, Tool


def station_tz() -> datetime.tzinfo:
    return timezone.get_default_timezone()


def local_today() -> datetime.date:
    return timezone.localdate(timezone=station_tz())


def at_local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=station_tz())


@dataclass(frozen=True)
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def bookable_days(
    bookable: BookableService, *, today: datetime.date | None = None
) -> list[datetime.date]:
    """Days one may book: today … today + days_ahead, on the service's weekdays."""
    today = today or local_today()
    days = (today + datetime.timedelta(days=n) for n in range(bookable.days_ahead + 1))
    return [day for day in days if str(day.isoweekday()) in bookable.weekdays]


def day_slots(bookable: BookableService, day: datetime.date) -> list[Slot]:
    """All slots of `day` (none on a day the service is not offered)."""
    if str(day.isoweekday()) not in bookable.weekdays:
        return []
    step = datetime.timedelta(minutes=bookable.slot_minutes)
    start = at_local(day, bookable.opens_at)
    close = at_local(day, bookable.closes_at)
    slots = []
    while start + step <= close:
        slots.append(Slot(start, start + step))
        start += step
    return slots


def find_slot(bookable: BookableService, starts_at: datetime.datetime) -> Slot | None:
    """The slot starting exactly at `starts_at`, or None if there is no such slot."""
    local = timezone.localtime(starts_at, station_tz())
    for slot in day_slots(bookable, local.date()):
        if slot.starts_at == local:
            return slot
    return None


def loan_period(start: datetime.date, days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, start + days 00:00): the tool is the borrower's for whole days."""
    lower = at_local(start, datetime.time(0, 0))
    upper = at_local(start + datetime.timedelta(days=days), datetime.time(0, 0))
    return lower, upper


def loan_days(tool: Tool, *, today: datetime.date | None = None) -> list[datetime.date]:
    today = today or local_today()
    return [today + datetime.timedelta(days=n) for n in range(tool.days_ahead + 1)]
