"""Query and form parameters of the Open311 API, refused with descriptions a person can act on."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from ..errors import BadRequestError
from ..services import ServiceRequestInput

# GeoReport v2: a date range may not span more than 90 days; the default is the last 90.
MAX_SPAN = datetime.timedelta(days=90)
DEFAULT_MAX_REQUESTS = 1000
MAX_IDS = 1000
STATUSES = ("open", "closed")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def max_requests() -> int:
    """At most this many requests in one answer (the spec's 1,000; a setting for tests)."""
    return int(getattr(settings, "GRIDMAP_OPEN311_MAX_REQUESTS", DEFAULT_MAX_REQUESTS))


def _values(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]


def parse_moment(name: str, raw: str) -> datetime.datetime:
    """A w3 date-time (2010-01-01T00:00:00Z, with an offset) or a date (midnight, China
    time). A "+" left unencoded in a query string arrives as a space: taken back."""
    text = raw.strip()
    candidates = [text]
    if " " in text:
        candidates.append(text.replace(" ", "+"))
    for candidate in candidates:
        try:
            moment = parse_datetime(candidate)
            if moment is None and (day := parse_date(candidate)) is not None:
                moment = datetime.datetime.combine(day, datetime.time())
        except ValueError:
            moment = None
        if moment is not None and not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
            # Far dates overflow the 90-day arithmetic below (year 1 - 90 days): refuse them.
            raise BadRequestError(
                _("%(name)s “%(value)s” is out of range: give a year from %(min)d to %(max)d.")
                % {"name": name, "value": raw[:40], "min": EARLIEST_YEAR, "max": LATEST_YEAR}
            )
        if moment is not None:
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment
    raise BadRequestError(
        _("%(name)s “%(value)s” is not a w3 date-time such as 2024-05-01T00:00:00+08:00.")
        % {"name": name, "value": raw[:40]}
    )


@dataclass(frozen=True)
class RequestQuery:
    """GET requests' filters. With `ids`, every other filter is ignored (the spec)."""

    ids: list[int]
    service_codes: list[str]
    start: datetime.datetime
    end: datetime.datetime
    statuses: list[str]


def parse_request_query(query: QueryDict, now: datetime.datetime | None = None) -> RequestQuery:
    now = now or timezone.now()
    ids: list[int] = []
    for raw in _values(query.get("service_request_id")):
        if not (raw.isascii() and raw.isdigit() and int(raw) < 2**63):
            raise BadRequestError(
                _("service_request_id “%(value)s” is not a request id (a whole number).")
                % {"value": raw[:40]}
            )
        ids.append(int(raw))
    if len(ids) > MAX_IDS:
        raise BadRequestError(
            _("Ask for at most %(max)d service_request_id values at once.") % {"max": MAX_IDS}
        )
    start_raw, end_raw = query.get("start_date", "").strip(), query.get("end_date", "").strip()
    given_start = parse_moment("start_date", start_raw) if start_raw else None
    given_end = parse_moment("end_date", end_raw) if end_raw else None
    # Either bound alone reaches 90 days from it; neither means the last 90 days.
    if given_start is not None:
        start = given_start
        end = given_end if given_end is not None else start + MAX_SPAN
    else:
        end = given_end if given_end is not None else now
        start = end - MAX_SPAN
    if end < start:
        raise BadRequestError(_("end_date is before start_date."))
    if end - start > MAX_SPAN and not ids:
        raise BadRequestError(
            _(
                "start_date and end_date may be at most 90 days apart; these are %(days)d "
                "days apart. Ask for the range in parts."
            )
            % {"days": (end - start).days}
        )
    statuses = [s.lower() for s in _values(query.get("status"))]
    wrong = [s for s in statuses if s not in STATUSES]
    if wrong:
        raise BadRequestError(
            _("status must be open, closed or both (comma-separated); got “%(value)s”.")
            % {"value": ", ".join(wrong)[:40]}
        )
    return RequestQuery(
        ids=ids,
        service_codes=_values(query.get("service_code")),
        start=start,
        end=end,
        statuses=statuses,
    )


def parse_attributes(data: QueryDict) -> dict[str, list[str]]:
    """attribute[code]=value and attribute[code][]=value (several, for multivaluelist)."""
    out: dict[str, list[str]] = {}
    for key in data:
        match = _ATTRIBUTE.match(key)
        if match:
            out.setdefault(match.group(1), []).extend(data.getlist(key))
    return out


def parse_service_request(data: QueryDict, headers: Mapping[str, str]) -> ServiceRequestInput:
    """POST requests' form, as the service takes it. The idempotency key (our extension:
    the `Idempotency-Key` header or an `idempotency_key` field) doubles as the token."""
    token = headers.get("Idempotency-Key", "") or data.get("idempotency_key", "")
    return ServiceRequestInput(
        service_code=data.get("service_code", ""),
        lat=data.get("lat", ""),
        long=data.get("long", ""),
        address_string=data.get("address_string", ""),
        address_id=data.get("address_id", ""),
        description=data.get("description", ""),
        attributes=parse_attributes(data),
        media_url=data.get("media_url", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        first_name=data.get("first_name", ""),
        last_name=data.get("last_name", ""),
        account_id=data.get("account_id", ""),
        device_id=data.get("device_id", ""),
        token=token,
    )
