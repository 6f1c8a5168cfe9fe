"""Parcels left at the courier rest station (快递小哥红色之家) for residents.

Only what the counter needs is kept: the building and unit, the recipient's name masked
(张*), the last four digits of their phone, and a six-digit pick-up code. A parcel is linked
to the resident's account when their phone matches one, so they see it on their page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel
from apps.ledger.workflow import TransitionTable, register_status_labels, transition

from .bookings import STAFF
from .history import StationEvent

MAX_PICKUP_ATTEMPTS = 5
# A parcel still here after this many days is flagged at the desk.
UNCOLLECTED_AFTER_DAYS = 3
SYSTEM = "system"


class Parcel(TimeStampedModel):
    class Status(models.TextChoices):
        STORED = "stored", _("Waiting for pick-up")
        LOCKED = "locked", _("Locked: too many wrong codes")
        PICKED_UP = "picked_up", _("Picked up")
        RETURNED = "returned", _("Returned to the courier")

    history = tracked_history()

    WAITING = (Status.STORED, Status.LOCKED)

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        related_name="parcels",
        verbose_name=_("station"),
    )
    building = models.ForeignKey(
        "regions.Building",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("building"),
    )
    unit = models.CharField(_("unit"), max_length=16, blank=True, help_text=_("e.g. 1203"))
    recipient_name_masked = models.CharField(_("recipient"), max_length=20)
    phone_last4 = models.CharField(_("phone (last 4 digits)"), max_length=4)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parcels",
        verbose_name=_("resident account"),
    )
    carrier = models.CharField(_("courier company"), max_length=50, blank=True)
    shelf = models.CharField(_("shelf"), max_length=16, blank=True)
    pickup_code = models.CharField(_("pick-up code"), max_length=6)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.STORED
    )
    failed_attempts = models.PositiveSmallIntegerField(_("wrong codes entered"), default=0)
    logged_at = models.DateTimeField(_("left at"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("logged by"),
    )
    picked_up_at = models.DateTimeField(_("picked up at"), null=True, blank=True)

    class Meta:
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        ordering = ["-logged_at", "-pk"]
        indexes = [
            models.Index(fields=["facility", "status", "logged_at"], name="parcel_waiting"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "pickup_code"],
                condition=Q(status__in=["stored", "locked"]),
                name="parcel_code_unique_while_waiting",
            ),
            models.CheckConstraint(
                condition=Q(phone_last4__regex=r"^[0-9]{4}$"), name="parcel_phone_last4_digits"
            ),
            models.CheckConstraint(
                condition=Q(pickup_code__regex=r"^[0-9]{6}$"), name="parcel_code_six_digits"
            ),
            models.CheckConstraint(
                condition=~Q(status="picked_up") | Q(picked_up_at__isnull=False),
                name="parcel_picked_up_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_name_masked} ···{self.phone_last4}"


class ParcelEvent(StationEvent):
    parcel = models.ForeignKey(
        Parcel, on_delete=models.CASCADE, related_name="events", verbose_name=_("parcel")
    )

    history = tracked_history()

    class Meta(StationEvent.Meta):
        verbose_name = _("parcel change")
        verbose_name_plural = _("parcel changes")


P = Parcel.Status
PARCEL_TRANSITIONS = TransitionTable(
    "parcel",
    (
        # Taken by parcel_pick_up() once the code matched; never offered as a bare button.
        transition("pick_up", {P.STORED}, P.PICKED_UP, STAFF, _("Hand over")),
        transition("lock", {P.STORED}, P.LOCKED, {SYSTEM}, _("Lock after wrong codes")),
        transition(
            "unlock",
            {P.LOCKED},
            P.STORED,
            STAFF,
            _("Unlock (identity checked)"),
            note_required=True,
        ),
        transition(
            "return",
            {P.STORED, P.LOCKED},
            P.RETURNED,
            STAFF,
            _("Return to the courier"),
            note_required=True,
            danger=True,
        ),
    ),
)
register_status_labels(PARCEL_TRANSITIONS, Parcel.Status.choices)
ParcelEvent.transitions = PARCEL_TRANSITIONS
