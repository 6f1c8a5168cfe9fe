"""Calendar arithmetic for shifts: which days a plan runs, and each shift's aware window.

Pure functions (no database): the local time zone is settings.TIME_ZONE (Asia/Shanghai).
A shift whose end is not after its start ends on the next day, so 22:00–06:00 on the 3rd
runs from the 3rd 22:00 to the 4th 06:00.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings

# The night the case talks about, and its "second half" (下半夜) that joint patrols guard.
NIGHT_START = dt.time(22, 0)
NIGHT_END = dt.time(6, 0)
SECOND_HALF_START = dt.time(0, 0)

# A recurring plan generates at most this many days of patrols at once.
MAX_SPAN_DAYS = 366


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def shift_window(
    day: dt.date, start: dt.time, end: dt.time, zone: ZoneInfo | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """The aware start and end of a shift that starts on local `day`."""
    zone = zone or local_zone()
    starts = dt.datetime.combine(day, start, tzinfo=zone)
    end_day = day + dt.timedelta(days=1) if end <= start else day
    ends = dt.datetime.combine(end_day, end, tzinfo=zone)
    return starts, ends


def occurrence_days(
    *,
    recurrence: str,
    starts_on: dt.date,
    until: dt.date,
    weekdays: Iterable[int] = (),
) -> list[dt.date]:
    """The local days a plan runs on, from `starts_on` to `until` inclusive.

    `recurrence` is "once" (just `starts_on`), "daily", or "weekly" (the given weekdays,
    0 = Monday).
    """
    if recurrence == "once":
        return [starts_on]
    chosen = set(weekdays) if recurrence == "weekly" else set(range(7))
    days = []
    day = starts_on
    while day <= until:
        if day.weekday() in chosen:
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and the following Monday of the ISO week holding `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)


def parse_week(value: str | None, today: dt.date) -> dt.date:
    """The Monday of an ISO week given as "2024-W23" (or a date in it); this week if empty.

    Raises ValueError for anything else.
    """
    if not value:
        return week_bounds(today)[0]
    value = value.strip()
    if "-W" in value:
        year, week = value.split("-W", 1)
        return dt.date.fromisocalendar(int(year), int(week), 1)
    return week_bounds(dt.date.fromisoformat(value))[0]


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"
