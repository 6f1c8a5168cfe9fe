"""Reads of the service station: what stations offer, what is free, what waits at the desk."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from apps.facilities.models import Facility

from .models import (
    STATION_KINDS,
    UNCOLLECTED_AFTER_DAYS,
    BookableService,
    Parcel,
    SlotBooking,
    StationService,
    Tool,
    ToolLoan,
)
from .slots import Slot, day_slots, loan_days, loan_period


def stations() -> QuerySet[Facility]:
    """Service stations and courier rest stations, with their offered services prefetched."""
    offered = StationService.objects.filter(is_active=True).order_by("order", "pk")
    return (
        Facility.objects.filter(kind__in=STATION_KINDS)
        .select_related("community")
        .prefetch_related(Prefetch("station_services", queryset=offered, to_attr="offered"))
        .order_by("community__code", "kind", "name")
    )


def services_for_facilities(ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """Offered services per facility id, for popups on the public facility map.

    One query. Each service: kind, name (in Chinese; `name_en` beside it), description and
    opening hours. Facilities without services are left out of the dict.
    """
    rows = (
        StationService.objects.filter(facility_id__in=list(ids), is_active=True)
        .order_by("facility_id", "order", "pk")
        .values("facility_id", "kind", "name", "name_en", "description", "opening_hours")
    )
    labels = dict(StationService.Kind.choices)
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        service: dict[str, Any] = dict(row)
        facility_id = service.pop("facility_id")
        service["kind_label"] = str(labels.get(service["kind"], service["kind"]))
        service["name"] = service["name"] or service["kind_label"]
        out[facility_id].append(service)
    return dict(out)


@dataclass(frozen=True)
class SlotAvailability:
    slot: Slot
    free: int
    capacity: int
    mine: bool

    @property
    def past(self) -> bool:
        return self.slot.starts_at <= timezone.now()


def slot_availability(
    bookable: BookableService, day: datetime.date, *, user: Any = None
) -> list[SlotAvailability]:
    """Each slot of `day` with its free places (one grouped query for the day)."""
    slots = day_slots(bookable, day)
    if not slots:
        return []
    active = SlotBooking.objects.filter(
        bookable=bookable,
        status__in=SlotBooking.ACTIVE,
        starts_at__gte=slots[0].starts_at,
        starts_at__lt=slots[-1].ends_at,
    )
    taken = dict(active.values_list("starts_at").annotate(n=Count("pk")).order_by())
    mine: set[datetime.datetime] = set()
    if user is not None and user.is_authenticated:
        mine = set(active.filter(resident=user).values_list("starts_at", flat=True))
    return [
        SlotAvailability(
            slot=slot,
            free=max(0, bookable.capacity - taken.get(slot.starts_at, 0)),
            capacity=bookable.capacity,
            mine=slot.starts_at in mine,
        )
        for slot in slots
    ]


@dataclass(frozen=True)
class DayAvailability:
    day: datetime.date
    free: int
    total: int


def tool_availability(tool: Tool) -> list[DayAvailability]:
    """Free pieces of `tool` on each bookable day (two queries, whatever the horizon)."""
    days = loan_days(tool)
    total = tool.items.filter(is_active=True).count()
    window_start, _ = loan_period(days[0], 1)
    _, window_end = loan_period(days[-1], 1)
    now = timezone.now()
    in_window = Q(period__overlap=DateTimeTZRange(window_start, window_end, "[)"))
    still_out = Q(status=ToolLoan.Status.PICKED_UP, period__endswith__lte=now)
    loans = list(
        ToolLoan.objects.filter(in_window | still_out)
        .filter(tool=tool, item__is_active=True, status__in=ToolLoan.ACTIVE)
        .values_list("item_id", "period", "status")
    )
    out = []
    for day in days:
        lower, upper = loan_period(day, 1)
        busy = {
            item
            for item, period, status in loans
            if period.lower < upper
            and (
                period.upper > lower
                # Still out after its due date: not free until it comes back.
                or (status == ToolLoan.Status.PICKED_UP and period.upper <= now)
            )
        }
        out.append(DayAvailability(day=day, free=max(0, total - len(busy)), total=total))
    return out


def bookings_of(user: Any) -> QuerySet[SlotBooking]:
    return (
        SlotBooking.objects.filter(resident=user)
        .select_related("bookable__service__facility")
        .order_by("-starts_at")
    )


def loans_of(user: Any) -> QuerySet[ToolLoan]:
    return (
        ToolLoan.objects.filter(borrower=user)
        .select_related("tool__facility", "item")
        .order_by("-period")
    )


def parcels_of(user: Any) -> QuerySet[Parcel]:
    """The parcels linked to `user`'s account; codes only for ones still waiting."""
    return (
        Parcel.objects.filter(recipient=user)
        .select_related("facility", "building")
        .order_by("-logged_at")
    )


def loans_overdue(
    *, communities: Any = None, now: datetime.datetime | None = None
) -> QuerySet[ToolLoan]:
    """Loans picked up and not back by the end of their last day."""
    loans = ToolLoan.objects.filter(
        status=ToolLoan.Status.PICKED_UP, period__endswith__lte=now or timezone.now()
    )
    if communities is not None:
        loans = loans.filter(community_id__in=communities)
    return loans.select_related("tool", "item", "borrower").order_by("period")


def parcels_uncollected(
    *,
    communities: Any = None,
    days: int = UNCOLLECTED_AFTER_DAYS,
    now: datetime.datetime | None = None,
) -> QuerySet[Parcel]:
    """Parcels still waiting `days` or more days after they were left."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    parcels = Parcel.objects.filter(status__in=Parcel.WAITING, logged_at__lte=cutoff)
    if communities is not None:
        parcels = parcels.filter(community_id__in=communities)
    return parcels.select_related("building").order_by("logged_at")


def desk_bookings(facility: Facility, day: datetime.date) -> QuerySet[SlotBooking]:
    """The station's bookings starting on `day` (all statuses), by time."""
    start, end = loan_period(day, 1)
    return (
        SlotBooking.objects.filter(
            bookable__service__facility=facility, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("bookable", "resident")
        .order_by("starts_at", "seat")
    )


def desk_loans(facility: Facility) -> QuerySet[ToolLoan]:
    """Loans still open at the station: to confirm, to hand out, or out (overdue first)."""
    return (
        ToolLoan.objects.filter(tool__facility=facility, status__in=ToolLoan.ACTIVE)
        .select_related("tool", "item", "borrower")
        .order_by("period")
    )


def desk_parcels(facility: Facility, *, last4: str = "") -> QuerySet[Parcel]:
    """Parcels waiting at the station, oldest first; optionally by phone's last 4 digits."""
    parcels = Parcel.objects.filter(facility=facility, status__in=Parcel.WAITING)
    if last4:
        parcels = parcels.filter(phone_last4=last4)
    return parcels.select_related("building").order_by("logged_at")


def station_counts(facility: Facility) -> dict[str, int]:
    """Numbers for the desk's tabs, in one query per table."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(days=UNCOLLECTED_AFTER_DAYS)
    loans = ToolLoan.objects.filter(tool__facility=facility).aggregate(
        to_confirm=Count("pk", filter=Q(status=ToolLoan.Status.REQUESTED)),
        out=Count("pk", filter=Q(status=ToolLoan.Status.PICKED_UP)),
        overdue=Count("pk", filter=Q(status=ToolLoan.Status.PICKED_UP, period__endswith__lte=now)),
    )
    parcels = Parcel.objects.filter(facility=facility).aggregate(
        waiting=Count("pk", filter=Q(status__in=Parcel.WAITING)),
        uncollected=Count("pk", filter=Q(status__in=Parcel.WAITING, logged_at__lte=cutoff)),
    )
    return {**loans, **parcels}
