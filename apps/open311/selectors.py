"""Reads of the Open311 API: keys, services, the requests a client may see, and addresses.

Every question is one SQL query: visibility and filters are ORM lookups, status notes and
update times are subqueries, and an address string is matched against building numbers
and names in PostgreSQL (strpos over the buildings of the key's area).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length, Lower, Replace, StrIndex

from apps.regions.models import Building
from apps.reports.models import Category, Report, ReportTransition
from apps.reports.selectors import public_reports
from apps.reports.states import Status

from .models import ApiKey, Open311Submission, ServiceAttribute

# GeoReport v2 knows two statuses; a rejected report is closed too (with its reason).
CLOSED_STATUSES: tuple[str, ...] = (Status.CLOSED, Status.REJECTED)
# Shorter building numbers ("1栋" → "1") would match almost any address.
MIN_MATCH_LENGTH = 2


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def api_key_for(raw: str | None) -> ApiKey | None:
    """The active key whose hash matches `raw`, or None."""
    raw = (raw or "").strip()
    if not raw:
        return None
    return (
        ApiKey.objects.select_related("community")
        .filter(key_hash=key_hash(raw), is_active=True)
        .first()
    )


# --- services -----------------------------------------------------------------------------


def services() -> QuerySet[Category]:
    """Active categories with `has_attributes` (GeoReport v2 `metadata`)."""
    return (
        Category.objects.filter(is_active=True)
        .annotate(has_attributes=Exists(ServiceAttribute.objects.filter(category=OuterRef("pk"))))
        .order_by("sort_order", "code")
    )


def service(code: str) -> Category | None:
    """An active category with its attributes in order (`attribute_list`)."""
    return (
        Category.objects.filter(is_active=True, code=code)
        .prefetch_related(
            Prefetch(
                "open311_attributes",
                queryset=ServiceAttribute.objects.order_by("order", "code"),
                to_attr="attribute_list",
            )
        )
        .first()
    )


# --- requests -----------------------------------------------------------------------------


def visible_requests(api_key: ApiKey | None = None) -> QuerySet[Report]:
    """What GET requests may show: the public reports (accepted, of public categories) and,
    for a client that sends its api_key, every report it filed itself."""
    if api_key is None:
        return public_reports()
    public = Q(pk__in=public_reports().values("pk"))
    return Report.objects.filter(public | Q(open311__api_key=api_key))


def with_api_fields(reports: QuerySet[Report]) -> QuerySet[Report]:
    """Everything a request's representation needs, in the same query: the latest public
    note (status_notes), the address parts and the Open311 media URL."""
    latest_note = (
        ReportTransition.objects.filter(report=OuterRef("pk"), note_is_public=True)
        .exclude(note="")
        .order_by("-at", "-pk")
        .values("note")[:1]
    )
    return reports.select_related(
        "category",
        "building__compound",
        "grid",
        "community__subdistrict__district",
        "dispatched_to_organisation",
        "open311",
    ).annotate(status_notes=Subquery(latest_note))


def closed_q() -> Q:
    return Q(status__in=CLOSED_STATUSES)


def submission_for_token(token: str, api_key: ApiKey | None) -> list[Open311Submission]:
    """Submissions with this token (of this key when given); at most two, to see clashes."""
    rows = Open311Submission.objects.filter(token=token)
    if api_key is not None:
        rows = rows.filter(api_key=api_key)
    return list(rows.order_by("pk")[:2])


# --- addresses ----------------------------------------------------------------------------


def _normalised(text: str) -> str:
    # Lower case, without blanks: "中交中央公园 D4-2 栋" and "中交中央公园d4-2栋" are one.
    return "".join((text or "").lower().split())


def _core(expression: Any) -> Any:
    """A building number without its "栋"/"号楼" suffix, lower case, without blanks."""
    lowered = Replace(Lower(expression), Value(" "), Value(""))
    return Replace(Replace(lowered, Value("号楼"), Value("")), Value("栋"), Value(""))


def buildings_matching(address: str, *, community_ids: Any = None) -> list[Any]:
    """Buildings whose number (or name) appears in `address`, best first: those whose
    compound and community are named too, then the longest (most specific) number.
    At most two, so that a caller can tell a clear match from an ambiguous one."""
    text = _normalised(address)
    if len(text) < MIN_MATCH_LENGTH:
        return []
    haystack = Value(text)
    rows = Building.objects.all()
    if community_ids is not None:
        rows = rows.filter(community__in=community_ids)

    def named(field: str) -> Case:
        return Case(
            When(**{f"{field}__isnull": True}, then=Value(0)),
            When(
                **{f"{field}_core_hit__gt": 0, f"{field}_core_len__gte": MIN_MATCH_LENGTH},
                then=Value(1),
            ),
            default=Value(0),
            output_field=IntegerField(),
        )

    rows = (
        rows.annotate(
            number_core=_core("number"),
            name_core=_core("name"),
            compound_core=_core("compound__name"),
            community_core=_core("community__name"),
        )
        .annotate(
            number_len=Length("number_core"),
            name_len=Length("name_core"),
            number_hit=StrIndex(haystack, F("number_core")),
            name_hit=StrIndex(haystack, F("name_core")),
            compound_core_hit=StrIndex(haystack, F("compound_core")),
            compound_core_len=Length("compound_core"),
            community_core_hit=StrIndex(haystack, F("community_core")),
            community_core_len=Length("community_core"),
        )
        .filter(
            Q(number_hit__gt=0, number_len__gte=MIN_MATCH_LENGTH)
            | Q(name_hit__gt=0, name_len__gte=MIN_MATCH_LENGTH)
        )
        .annotate(
            score=named("compound") + named("community"),
            spot=PointOnSurface("footprint"),
        )
        .select_related("compound", "community")
        .order_by("-score", "-number_len", "pk")
    )
    return list(rows[:2])


def building_by_id(building_id: int, *, community_ids: Any = None) -> Any:
    rows = Building.objects.filter(pk=building_id)
    if community_ids is not None:
        rows = rows.filter(community__in=community_ids)
    return rows.annotate(spot=PointOnSurface("footprint")).first()
