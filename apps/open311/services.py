"""Business rules of the Open311 API: issuing keys and filing service requests.

A service request becomes a report through apps.reports.services.report_submit, the very
service behind the web form: the same area check, grid and duty-worker assignment, nearest
building, SLA due times, rate limit per phone number, and idempotency. This module adds
only what Open311 brings: the API key (its area and hourly allowance), a location given as
an address, attribute answers and a media URL (kept as text, never fetched).
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation, User
from apps.regions.models import Community
from apps.reports import selectors as report_selectors
from apps.reports.errors import RateLimitedError
from apps.reports.models import Category, Report
from apps.reports.services import report_submit

from . import selectors
from .attribute_defaults import DEFAULT_ATTRIBUTES, attribute_values
from .attributes import clean_attributes
from .errors import BadRequestError, Open311Error
from .models import KEY_PREFIX_LENGTH, ApiKey, Open311Submission, ServiceAttribute

KEY_SCHEME = "gm311_"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
MEDIA_URL_MAX = 1000
# report_submit's ValidationError keys → the Open311 parameter a client should fix.
PARAMETER_NAMES = {
    "category": "service_code",
    "description": "description",
    "location": "lat/long",
    "contact_phone": "phone",
    "contact_email": "email",
    "idempotency_key": "idempotency_key",
}


# --- keys ---------------------------------------------------------------------------------


@transaction.atomic
def api_key_create(
    *,
    name: str,
    owner: Organisation,
    community: Community | None = None,
    created_by: User | None = None,
    contact_email: str = "",
    hourly_limit: int = 600,
    raw_key: str | None = None,
) -> tuple[ApiKey, str]:
    """Issue a key; returns the row and the key itself, which is stored only as a hash and
    must be shown to the person now. `raw_key` is for the demo's documented key only."""
    api_key = ApiKey(
        name=name,
        owner=owner,
        community=community,
        created_by=created_by,
        contact_email=contact_email,
        hourly_limit=hourly_limit,
    )
    raw = api_key_assign(api_key=api_key, raw_key=raw_key)
    api_key.full_clean()
    api_key.save()
    return api_key, raw


def api_key_assign(*, api_key: ApiKey, raw_key: str | None = None) -> str:
    """Give `api_key` a fresh key (not saved); returns the key in clear, once."""
    raw = raw_key or KEY_SCHEME + secrets.token_urlsafe(32)
    api_key.prefix = raw[:KEY_PREFIX_LENGTH]
    api_key.key_hash = selectors.key_hash(raw)
    return raw


# --- service attributes -------------------------------------------------------------------


@transaction.atomic
def service_attributes_ensure() -> int:
    """Add the default attributes that are missing (never changes existing ones, and skips
    categories that do not exist); returns how many were added."""
    categories = dict(Category.objects.values_list("code", "pk"))
    existing = set(ServiceAttribute.objects.values_list("category__code", "code"))
    missing = [
        ServiceAttribute(category_id=categories[row[0]], code=row[1], **attribute_values(row))
        for row in DEFAULT_ATTRIBUTES
        if row[0] in categories and (row[0], row[1]) not in existing
    ]
    ServiceAttribute.objects.bulk_create(missing)
    return len(missing)


# --- service requests ---------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRequestInput:
    """A POST requests call, parsed but not yet checked against the rules."""

    service_code: str
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    media_url: str = ""
    email: str = ""
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    account_id: str = ""
    device_id: str = ""
    token: str = ""


@dataclass(frozen=True)
class Filed:
    submission: Open311Submission
    created: bool  # False: the same token came again and got the same request


@transaction.atomic
def service_request_create(
    *, api_key: ApiKey, data: ServiceRequestInput, at: datetime.datetime | None = None
) -> Filed:
    """File a report for an Open311 client (POST requests).

    Raises NotFoundError for an unknown service_code, BadRequestError (400) for anything
    else the client must fix (every problem at once where possible), and RateLimitedError
    (429) when the key's hourly allowance or the phone number's is used up. A call with a
    token the key already used returns the first request, untouched.
    """
    now = at or timezone.now()
    token = (data.token or "").strip()
    if token and not TOKEN.match(token):
        raise BadRequestError(
            _(
                "idempotency_key must be 16 to 64 letters, digits, “-” or “_”; "
                "make a random one for each new request."
            )
        )
    if token:
        found = Open311Submission.objects.filter(api_key=api_key, token=token).first()
        if found is not None:
            return Filed(found, created=False)

    category = _category(data.service_code)
    errors: list[str] = []
    attributes = clean_attributes(category, data.attributes, errors)
    media_url = _clean_media_url(data.media_url, errors)
    if not (data.description or "").strip():
        errors.append(_("description was not provided: describe the problem in a few words."))
    lon, lat = _location(api_key, data, errors)
    if errors:
        raise BadRequestError(*errors)

    _key_allowance(api_key, now)
    report_key = _report_key(api_key, token) if token else None
    try:
        submission = report_submit(
            category=category,
            description=data.description,
            lon=lon,
            lat=lat,
            reporter=None,
            contact_phone=data.phone,
            contact_email=data.email,
            idempotency_key=report_key,
            # The client's server address says nothing about the resident: the key's own
            # allowance above stands in for the per-client limit; the phone's still applies.
            client_ip=None,
            source=Report.Source.OPEN311,
            at=now,
        )
    except ValidationError as error:
        raise BadRequestError(*_described(error)) from None
    report = submission.report
    if not submission.created:
        # A concurrent call with the same token filed it a moment ago.
        existing = Open311Submission.objects.filter(report=report).first()
        if existing is not None:
            return Filed(existing, created=False)
    row = Open311Submission.objects.create(
        report=report,
        community_id=report.community_id,
        api_key=api_key,
        token=token or uuid.uuid4().hex,
        attributes=attributes,
        media_url=media_url,
        address_string=(data.address_string or "").strip()[:500],
        first_name=(data.first_name or "").strip()[:100],
        last_name=(data.last_name or "").strip()[:100],
        account_id=(data.account_id or "").strip()[:100],
        device_id=(data.device_id or "").strip()[:100],
        submitted_at=now,
    )
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return Filed(row, created=True)


def _category(code: str) -> Category:
    code = (code or "").strip()
    if not code:
        raise BadRequestError(_("service_code was not provided: pick one from services.json."))
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Open311Error(
            404, _("service_code “%(code)s” was not found: see services.json.") % {"code": code}
        )
    return category


def _report_key(api_key: ApiKey, token: str) -> str:
    # Namespaced by key, so two clients choosing the same token never share a report.
    digest = hashlib.sha256(f"{api_key.pk}:{token}".encode()).hexdigest()
    return f"o311-{digest[:48]}"


def _key_allowance(api_key: ApiKey, now: datetime.datetime) -> None:
    """Refuse (429) once the key filed `hourly_limit` reports in the last hour. The key is
    locked first, so that parallel calls cannot all take the last place."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"o311-key:{api_key.pk}"])
    window = now - datetime.timedelta(hours=1)
    recent = Open311Submission.objects.filter(api_key=api_key, submitted_at__gt=window)
    times = list(
        recent.order_by("-submitted_at").values_list("submitted_at", flat=True)[
            : api_key.hourly_limit
        ]
    )
    if len(times) < api_key.hourly_limit:
        return
    free_at = times[-1] + datetime.timedelta(hours=1)
    wait = max(1, math.ceil((free_at - now).total_seconds()))
    raise RateLimitedError(
        retry_after=wait,
        message=_(
            "This api_key has filed %(count)d reports in the last hour, its limit. Try again "
            "in %(seconds)d seconds."
        )
        % {"count": api_key.hourly_limit, "seconds": wait},
    )


def _location(api_key: ApiKey, data: ServiceRequestInput, errors: list[str]) -> tuple[Any, Any]:
    """(lon, lat) from lat & long, else address_id, else address_string (in that order)."""
    area = [api_key.community_id] if api_key.community_id else None
    lat, lon = (data.lat or "").strip(), (data.long or "").strip()
    if lat or lon:
        if not (lat and lon):
            errors.append(_("lat and long must be sent together."))
            return None, None
        try:
            point = Point(float(lon), float(lat), srid=4326)
        except ValueError:
            errors.append(_("lat and long must be decimal degrees (WGS 84), e.g. 28.19, 112.98."))
            return None, None
        if not (math.isfinite(point.x) and math.isfinite(point.y)):
            errors.append(_("lat and long must be decimal degrees (WGS 84), e.g. 28.19, 112.98."))
            return None, None
        if area and -180 <= point.x <= 180 and -90 <= point.y <= 90:
            _check_area(api_key, point, errors)
        return point.x, point.y
    if (data.address_id or "").strip():
        raw = data.address_id.strip()
        building = (
            selectors.building_by_id(int(raw), community_ids=area)
            if raw.isascii() and raw.isdigit() and int(raw) < 2**63
            else None
        )
        if building is None:
            errors.append(
                _("address_id “%(id)s” is not a building this key may report at.") % {"id": raw}
            )
            return None, None
        return building.spot.x, building.spot.y
    if (data.address_string or "").strip():
        return _address(data.address_string, area, errors)
    errors.append(
        _("A location was not provided: send lat and long, address_string or address_id.")
    )
    return None, None


def _check_area(api_key: ApiKey, point: Point, errors: list[str]) -> None:
    community = report_selectors.community_at(point)
    if community is not None and community.pk != api_key.community_id:
        errors.append(
            _("This api_key files reports in %(community)s only; this place is in %(other)s.")
            % {"community": api_key.community, "other": community}
        )


def _address(text: str, area: Any, errors: list[str]) -> tuple[Any, Any]:
    matches = selectors.buildings_matching(text, community_ids=area)
    if not matches:
        errors.append(
            _(
                "address_string “%(text)s” names no building we know: give a building number "
                "such as “D4-2栋” (with its compound), or send lat and long."
            )
            % {"text": text.strip()[:100]}
        )
        return None, None
    best = matches[0]
    if len(matches) > 1:
        other = matches[1]
        if (other.score, other.number_len) == (best.score, best.number_len):
            errors.append(
                _(
                    "address_string “%(text)s” could be %(one)s or %(two)s: add the compound or "
                    "community name, or send lat and long."
                )
                % {
                    "text": text.strip()[:100],
                    "one": _building_label(best),
                    "two": _building_label(other),
                }
            )
            return None, None
    return best.spot.x, best.spot.y


def _building_label(building: Any) -> str:
    parts = [building.number]
    if building.compound_id:
        parts.append(building.compound.name)
    parts.append(building.community.name)
    return " · ".join(parts)


def _clean_media_url(value: str, errors: list[str]) -> str:
    url = (value or "").strip()
    if not url:
        return ""
    try:
        if len(url) > MEDIA_URL_MAX:
            raise ValidationError("too long")
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        errors.append(
            _("media_url must be an http(s) address of at most %(max)d characters.")
            % {"max": MEDIA_URL_MAX}
        )
        return ""
    return url


def _described(error: ValidationError) -> list[str]:
    """report_submit's messages, each prefixed with the Open311 parameter to fix."""
    if not hasattr(error, "error_dict"):
        return [str(m) for m in error.messages]
    out = []
    for name, errs in error.error_dict.items():
        parameter = PARAMETER_NAMES.get(name, name)
        for message in ValidationError(errs).messages:
            out.append(f"{parameter}: {message}")
    return out
