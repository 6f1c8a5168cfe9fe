"""Query parameters of OGC API – Features, refused with messages a person can act on.

Every parser raises `OgcParameterError`, which the views turn into HTTP 400 with the OGC
exception body {"code": "InvalidParameterValue", "description": ...}.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.layers import Layer
from apps.maps.api.params import BadParameterError, parse_bbox

DEFAULT_LIMIT = 100
MAX_LIMIT = 10_000
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84H = "http://www.opengis.net/def/crs/OGC/0/CRS84h"
# Parameters of /items besides the layer's property names.
ITEMS_PARAMETERS = ("f", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime")
FORMATS = ("json", "html")


class OgcParameterError(ValueError):
    """A query parameter that cannot be used; `message` is translated and shown as is."""

    code = "InvalidParameterValue"

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.message = message


class UnknownParameterError(OgcParameterError):
    code = "InvalidParameter"


@dataclass(frozen=True)
class TimeFilter:
    """A datetime instant or interval; None on a side means open (`..`)."""

    start: dt.datetime | dt.date | None
    end: dt.datetime | dt.date | None
    instant: bool


@dataclass(frozen=True)
class ItemsQuery:
    bbox: tuple[float, float, float, float] | None
    limit: int
    offset: int
    time: TimeFilter | None
    properties: dict[str, str]


def check_known(query: QueryDict, allowed: tuple[str, ...] | set[str]) -> None:
    """Refuse parameters the resource does not know, naming the ones it does."""
    unknown = sorted(name for name in query if name not in allowed)
    if unknown:
        raise UnknownParameterError(
            unknown[0],
            _("Unknown parameter “%(name)s”. Parameters here: %(known)s.")
            % {"name": unknown[0], "known": ", ".join(sorted(allowed))},
        )


def parse_format(query: QueryDict) -> str | None:
    """`f=json|html` (also `geojson`), or None when not given (the Accept header decides)."""
    value = query.get("f")
    if value is None or value.strip() == "":
        return None
    value = value.strip().lower()
    if value in ("json", "geojson"):
        return "json"
    if value == "html":
        return "html"
    raise OgcParameterError("f", _("f must be json or html; got “%(value)s”.") % {"value": value})


def parse_items_query(query: QueryDict, layer: Layer) -> ItemsQuery:
    check_known(query, {*ITEMS_PARAMETERS, *layer.fields})
    for name in query:
        if len(query.getlist(name)) > 1:
            raise OgcParameterError(name, _("Give “%(name)s” only once.") % {"name": name})
    for crs_parameter in ("bbox-crs", "crs"):
        value = query.get(crs_parameter)
        if value not in (None, "", CRS84, CRS84H):
            raise OgcParameterError(
                crs_parameter,
                _("Only %(crs)s (longitude, latitude in WGS 84) is offered; got “%(value)s”.")
                % {"crs": CRS84, "value": value},
            )
    return ItemsQuery(
        bbox=_bbox(query.get("bbox")),
        limit=parse_limit(query.get("limit")),
        offset=parse_offset(query.get("offset")),
        time=parse_datetime(query.get("datetime")),
        properties={name: str(query.get(name)) for name in layer.fields if name in query},
    )


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is not None and value.count(",") == 5:
        # A 3D box (minlon,minlat,minh,maxlon,maxlat,maxh): heights do not apply here.
        parts = value.split(",")
        value = ",".join([parts[0], parts[1], parts[3], parts[4]])
    try:
        return parse_bbox(value)
    except BadParameterError as error:
        raise OgcParameterError("bbox", error.message) from None


def parse_limit(value: str | None) -> int:
    """1 or more; DEFAULT_LIMIT when not given; above MAX_LIMIT served at MAX_LIMIT."""
    if value is None or value.strip() == "":
        return DEFAULT_LIMIT
    number = _whole_number(value)
    if number is None or number < 1:
        raise OgcParameterError(
            "limit",
            _(
                "limit must be a whole number of at least 1 (at most %(max)d are served); "
                "got “%(value)s”."
            )
            % {"max": MAX_LIMIT, "value": value},
        )
    return min(number, MAX_LIMIT)


def parse_offset(value: str | None) -> int:
    if value is None or value.strip() == "":
        return 0
    number = _whole_number(value)
    if number is None or number < 0:
        raise OgcParameterError(
            "offset",
            _("offset must be a whole number, 0 or more; got “%(value)s”.") % {"value": value},
        )
    return number


def _whole_number(value: str) -> int | None:
    value = value.strip()
    if not value.isascii() or not value.lstrip("-").isdigit() or len(value) > 18:
        return None
    return int(value)


def parse_datetime(value: str | None) -> TimeFilter | None:
    """An RFC 3339 date or date-time, or an interval `start/end` with `..` (or nothing)
    for an open end."""
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    if "/" not in value:
        instant = _instant(value)
        return TimeFilter(instant, instant, instant=True)
    if value.count("/") > 1:
        raise _bad_datetime(value)
    start_text, end_text = (part.strip() for part in value.split("/"))
    start = None if start_text in ("", "..") else _instant(start_text)
    end = None if end_text in ("", "..") else _instant(end_text)
    if start is not None and end is not None and _as_start(start) > _as_start(end):
        raise OgcParameterError(
            "datetime",
            _("The datetime interval starts after it ends: “%(value)s”.") % {"value": value},
        )
    return TimeFilter(start, end, instant=False)


def _instant(text: str) -> dt.datetime | dt.date:
    try:
        if "T" in text.upper() or " " in text:
            moment = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return moment
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad_datetime(text) from None


def _bad_datetime(text: str) -> OgcParameterError:
    return OgcParameterError(
        "datetime",
        _(
            "datetime must be a date or date-time (RFC 3339, e.g. 2024-06-28 or "
            "2024-06-28T08:00:00Z) or an interval start/end, with “..” for an open end; "
            "got “%(value)s”."
        )
        % {"value": text},
    )


def _as_start(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return timezone.make_aware(dt.datetime.combine(value, dt.time.min))


def _next_day_start(value: dt.date) -> dt.datetime:
    return _as_start(value + dt.timedelta(days=1))


def time_condition(rows: models.QuerySet, field: str, time: TimeFilter) -> models.Q:
    """The Q object selecting rows whose `field` (a date or date-time) meets `time`.

    Dates are whole days in the site's time zone: a date instant on a date-time field is
    that day; a date-time on a date field is the local date it falls on.
    """
    output = output_field(rows, field)
    if isinstance(output, models.DateTimeField):
        if time.instant and isinstance(time.start, dt.datetime):
            return models.Q(**{field: time.start})
        condition = models.Q(**{f"{field}__isnull": False})
        if time.start is not None:
            condition &= models.Q(**{f"{field}__gte": _as_start(time.start)})
        if time.end is not None:
            end = time.end
            if isinstance(end, dt.datetime):
                condition &= models.Q(**{f"{field}__lte": end})
            else:
                condition &= models.Q(**{f"{field}__lt": _next_day_start(end)})
        return condition
    condition = models.Q(**{f"{field}__isnull": False})
    if time.start is not None:
        condition &= models.Q(**{f"{field}__gte": _local_date(time.start)})
    if time.end is not None:
        condition &= models.Q(**{f"{field}__lte": _local_date(time.end)})
    return condition


def _local_date(value: dt.datetime | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def output_field(rows: models.QuerySet, name: str) -> models.Field:
    """The type of a field, lookup or annotation as the queryset resolves it."""
    resolved = rows.values(gm_probe=F(name)).query.annotations["gm_probe"]
    return resolved.output_field  # type: ignore[no-any-return]


def property_condition(rows: models.QuerySet, name: str, value: str) -> models.Q:
    """`name = value`, the text converted to the property's type (400 if it does not fit)."""
    field = output_field(rows, name)
    text = value.strip()
    try:
        converted: Any
        if isinstance(field, models.BooleanField):
            lowered = text.lower()
            if lowered not in ("true", "false", "1", "0"):
                raise ValidationError("not a boolean")
            converted = lowered in ("true", "1")
        else:
            converted = field.to_python(text)
    except (ValidationError, ValueError, TypeError):
        raise OgcParameterError(
            name,
            _("“%(value)s” is not a valid value for %(name)s.") % {"value": value, "name": name},
        ) from None
    if converted is None or converted == "":
        # An empty value asks for the rows without one.
        missing = models.Q(**{f"{name}__isnull": True})
        if isinstance(field, models.CharField | models.TextField):
            missing |= models.Q(**{name: ""})
        return missing
    return models.Q(**{name: converted})
