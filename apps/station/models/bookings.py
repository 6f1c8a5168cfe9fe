"""Bookings of time slots and loans of tools, with their transition tables.

No double booking is enforced by PostgreSQL itself, so it holds under concurrent requests:
- a slot booking takes a numbered place (seat) of its slot, and an active booking's
  (service, start, seat) is unique; so is (service, start, resident);
- a tool loan holds one ToolItem for a time range, and active loans of one item may not
  overlap (an exclusion constraint over (item WITH =, period WITH &&), via btree_gist).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel
from apps.ledger.workflow import TransitionTable, register_status_labels, transition

from .catalog import BookableService, Tool, ToolItem
from .history import StationEvent

OWNER = "owner"
ADMIN = "community_admin"
PROPERTY = "property_staff"
STAFF = {ADMIN, PROPERTY}


class SlotBooking(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Booked, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        ATTENDED = "attended", _("Done")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    history = tracked_history()

    ACTIVE = (Status.REQUESTED, Status.CONFIRMED)

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    bookable = models.ForeignKey(
        BookableService,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("service"),
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="station_bookings",
        verbose_name=_("resident"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    seat = models.PositiveSmallIntegerField(_("place"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    code = models.CharField(_("confirmation code"), max_length=8, unique=True)
    note = models.CharField(
        _("note for the staff"),
        max_length=200,
        blank=True,
        help_text=_("e.g. which room to clean. Only the station's staff see it."),
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "seat"]
        indexes = [models.Index(fields=["bookable", "starts_at"], name="booking_slot")]
        constraints = [
            models.UniqueConstraint(
                fields=["bookable", "starts_at", "seat"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="booking_seat_free",
                violation_error_message=_("This place of the slot is already booked."),
            ),
            models.UniqueConstraint(
                fields=["bookable", "starts_at", "resident"],
                condition=Q(status__in=["requested", "confirmed"]),
                name="booking_once_per_resident",
                violation_error_message=_("You have already booked this slot."),
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="booking_seat_positive"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="booking_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ToolLoan(TimeStampedModel):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Booked, awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed, ready to pick up")
        PICKED_UP = "picked_up", _("Picked up")
        RETURNED = "returned", _("Returned")
        NO_SHOW = "no_show", _("Not picked up")
        CANCELLED = "cancelled", _("Cancelled")

    history = tracked_history()

    # Statuses that hold the item for the loan's period.
    ACTIVE = (Status.REQUESTED, Status.CONFIRMED, Status.PICKED_UP)

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    tool = models.ForeignKey(
        Tool, on_delete=models.PROTECT, related_name="loans", verbose_name=_("tool")
    )
    item = models.ForeignKey(
        ToolItem, on_delete=models.PROTECT, related_name="loans", verbose_name=_("item")
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="tool_loans",
        verbose_name=_("borrower"),
    )
    # [first day 00:00, day after the last day 00:00) in Asia/Shanghai.
    period = DateTimeRangeField(_("period"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED
    )
    code = models.CharField(_("confirmation code"), max_length=8, unique=True)
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("tool loan")
        verbose_name_plural = _("tool loans")
        ordering = ["period"]
        constraints = [
            ExclusionConstraint(
                name="loan_item_no_overlap",
                expressions=[("item", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=Q(status__in=["requested", "confirmed", "picked_up"]),
                violation_error_message=_("This item is already lent for part of that time."),
            ),
            models.CheckConstraint(
                condition=~Q(status="picked_up") | Q(picked_up_at__isnull=False),
                name="loan_picked_up_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_at__isnull=False),
                name="loan_returned_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def first_day(self) -> datetime.date:
        return timezone.localtime(self.period.lower, timezone.get_default_timezone()).date()

    @property
    def last_day(self) -> datetime.date:
        """The day the tool is due back (by closing time)."""
        upper = timezone.localtime(self.period.upper, timezone.get_default_timezone())
        return upper.date() - datetime.timedelta(days=1)


class BookingEvent(StationEvent):
    booking = models.ForeignKey(
        SlotBooking, on_delete=models.CASCADE, related_name="events", verbose_name=_("booking")
    )

    history = tracked_history()

    class Meta(StationEvent.Meta):
        verbose_name = _("booking change")
        verbose_name_plural = _("booking changes")


class LoanEvent(StationEvent):
    loan = models.ForeignKey(
        ToolLoan, on_delete=models.CASCADE, related_name="events", verbose_name=_("loan")
    )

    history = tracked_history()

    class Meta(StationEvent.Meta):
        verbose_name = _("loan change")
        verbose_name_plural = _("loan changes")


B = SlotBooking.Status
BOOKING_TRANSITIONS = TransitionTable(
    "booking",
    (
        transition("confirm", {B.REQUESTED}, B.CONFIRMED, STAFF, _("Confirm")),
        transition("attend", {B.REQUESTED, B.CONFIRMED}, B.ATTENDED, STAFF, _("Mark done")),
        transition(
            "no_show", {B.REQUESTED, B.CONFIRMED}, B.NO_SHOW, STAFF, _("Mark no-show"), danger=True
        ),
        transition(
            "cancel",
            {B.REQUESTED, B.CONFIRMED},
            B.CANCELLED,
            STAFF | {OWNER},
            _("Cancel booking"),
            danger=True,
        ),
    ),
)
register_status_labels(BOOKING_TRANSITIONS, SlotBooking.Status.choices)
BookingEvent.transitions = BOOKING_TRANSITIONS

L = ToolLoan.Status
LOAN_TRANSITIONS = TransitionTable(
    "loan",
    (
        transition("confirm", {L.REQUESTED}, L.CONFIRMED, STAFF, _("Confirm")),
        transition("pick_up", {L.REQUESTED, L.CONFIRMED}, L.PICKED_UP, STAFF, _("Mark picked up")),
        transition("return", {L.PICKED_UP}, L.RETURNED, STAFF, _("Mark returned")),
        transition(
            "no_show",
            {L.REQUESTED, L.CONFIRMED},
            L.NO_SHOW,
            STAFF,
            _("Mark not picked up"),
            danger=True,
        ),
        transition(
            "cancel",
            {L.REQUESTED, L.CONFIRMED},
            L.CANCELLED,
            STAFF | {OWNER},
            _("Cancel loan"),
            danger=True,
        ),
    ),
)
register_status_labels(LOAN_TRANSITIONS, ToolLoan.Status.choices)
LoanEvent.transitions = LOAN_TRANSITIONS
