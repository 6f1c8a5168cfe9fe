"""Opening hours written as people write them ("08:30–22:00"), and whether a place is open now.

Facilities and station services keep their hours as free text. The common shape, one daily
range, is read here so that a page can say "open now" or "closed, opens at 08:30" in the
visitor's local time (Asia/Shanghai); any other text is shown as written, without a claim.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

# "08:30–22:00", "8:30-22:00", "08:30 ~ 22:00", "08:30至22:00"; a range may cross midnight.
_RANGE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*(?:–|—|-|~|～|至|到)\s*(\d{1,2}):(\d{2})\s*$")
_ALWAYS = {"24h", "24 h", "24小时", "24 小时", "全天", "00:00–24:00", "0:00-24:00"}


@dataclass(frozen=True)
class DailyHours:
    """One daily opening range; `closes` before `opens` means it closes after midnight."""

    opens: datetime.time | None
    closes: datetime.time | None

    @property
    def always(self) -> bool:
        return self.opens is None

    def is_open(self, at: datetime.time) -> bool:
        if self.opens is None or self.closes is None:
            return True
        if self.opens <= self.closes:
            return self.opens <= at < self.closes
        return at >= self.opens or at < self.closes


def parse_daily_hours(text: str) -> DailyHours | None:
    """The daily range that `text` states, or None when it says something else."""
    cleaned = (text or "").strip()
    if cleaned.lower() in _ALWAYS:
        return DailyHours(None, None)
    match = _RANGE.match(cleaned)
    if not match:
        return None
    oh, om, ch, cm = (int(part) for part in match.groups())
    if oh > 23 or om > 59 or cm > 59 or ch > 24 or (ch == 24 and cm):
        return None
    if (ch, cm) in ((24, 0), (0, 0)) and (oh, om) == (0, 0):
        return DailyHours(None, None)
    closes = datetime.time(0, 0) if ch == 24 else datetime.time(ch, cm)
    return DailyHours(datetime.time(oh, om), closes)


def open_now(text: str, *, now: datetime.datetime | None = None) -> bool | None:
    """True/False when `text` is a daily range we can read, None when we cannot tell."""
    hours = parse_daily_hours(text)
    if hours is None:
        return None
    local = timezone.localtime(now or timezone.now())
    return hours.is_open(local.time().replace(second=0, microsecond=0))
