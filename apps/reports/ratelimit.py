"""Rate limiting of anonymous submissions, per client address and per phone number.

Attempts are rows in the database (SubmissionAttempt), so every gunicorn worker and every
app server counts the same. Keys are HMACs of the address or number under SECRET_KEY:
the table never holds an IP address or a phone number. Limits come from the setting
GRIDMAP_REPORT_RATE_LIMITS = {"client": (count, seconds), "phone": (count, seconds)}.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import math
import re

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import RateLimitedError
from .models import SubmissionAttempt

# Many residents share one address behind a mobile carrier's NAT: be generous per client.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    SubmissionAttempt.Scope.CLIENT: (20, 3600),
    SubmissionAttempt.Scope.PHONE: (5, 24 * 3600),
}


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "GRIDMAP_REPORT_RATE_LIMITS", {})}


def normalise_phone(phone: str) -> str:
    """Digits only, without the +86 / 0086 country prefix: one number, one key."""
    digits = re.sub(r"\D", "", phone or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) >= 11:
            return digits[len(prefix) :]
    return digits


def attempt_key(scope: str, value: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()


def _keys(client_ip: str | None, phone: str) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if client_ip:
        keys.append((SubmissionAttempt.Scope.CLIENT, attempt_key("client", client_ip)))
    number = normalise_phone(phone)
    if number:
        keys.append((SubmissionAttempt.Scope.PHONE, attempt_key("phone", number)))
    return keys


def rate_limit_check(
    *, client_ip: str | None, phone: str = "", at: datetime.datetime | None = None, lock: bool
) -> None:
    """Raise RateLimitedError when the client or the phone number has used up its allowance.

    With `lock` (inside a transaction) the keys are locked first, so that two requests at
    the same moment cannot both take the last place.
    """
    now = at or timezone.now()
    configured = limits()
    for scope, key in _keys(client_ip, phone):
        count, seconds = configured[scope]
        if lock:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"rl:{key}"])
        window_start = now - datetime.timedelta(seconds=seconds)
        recent = SubmissionAttempt.objects.filter(scope=scope, key=key, at__gt=window_start)
        times = list(recent.order_by("-at").values_list("at", flat=True)[:count])
        if len(times) < count:
            continue
        # The oldest of the last `count` attempts leaves the window first.
        free_at = times[-1] + datetime.timedelta(seconds=seconds)
        raise RateLimitedError(
            retry_after=max(1, math.ceil((free_at - now).total_seconds())),
            message=_message(scope, free_at, now),
        )


def rate_limit_record(
    *, client_ip: str | None, phone: str = "", at: datetime.datetime | None = None
) -> None:
    """Count one submission; forget attempts older than the longest window."""
    now = at or timezone.now()
    longest = max(seconds for _count, seconds in limits().values())
    for scope, key in _keys(client_ip, phone):
        SubmissionAttempt.objects.filter(
            scope=scope, key=key, at__lt=now - datetime.timedelta(seconds=longest)
        ).delete()
        SubmissionAttempt.objects.create(scope=scope, key=key, at=now)


def _message(scope: str, free_at: datetime.datetime, now: datetime.datetime) -> str:
    local = timezone.localtime(free_at)
    minutes = max(1, math.ceil((free_at - now).total_seconds() / 60))
    when = time_format(local, "H:i")
    if local.date() != timezone.localtime(now).date():
        when = local.strftime("%Y-%m-%d ") + when
    wait = ngettext("in about %(n)d minute", "in about %(n)d minutes", minutes) % {"n": minutes}
    if scope == SubmissionAttempt.Scope.PHONE:
        text = _(
            "Too many reports with this phone number. You can report again at %(when)s "
            "(%(wait)s), or call your grid worker now."
        )
    else:
        text = _(
            "Too many reports from this connection. You can report again at %(when)s "
            "(%(wait)s), or call your grid worker now."
        )
    return text % {"when": when, "wait": wait}
