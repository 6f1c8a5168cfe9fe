"""What a station offers: its services, the ones booked by time slot, and its tools."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from apps.core.history import tracked_history
from apps.core.models import TimeStampedModel
from apps.facilities.models import FacilityKind

# Facilities that are stations: the service station (清风侠工作室 / 一应驿站) and the courier
# rest station (快递小哥红色之家).
STATION_KINDS = (FacilityKind.SERVICE_STATION, FacilityKind.COURIER_REST_STATION)
WEEKDAYS_ALL = "1234567"


def _check_station(facility_field: str, obj: models.Model) -> None:
    facility = getattr(obj, facility_field, None)
    if facility is None:
        return
    if facility.kind not in STATION_KINDS:
        raise ValidationError(
            {facility_field: _("Only a service station or a courier rest station offers this.")}
        )
    if getattr(obj, "community_id", None) != facility.community_id:
        raise ValidationError({facility_field: _("The facility belongs to another community.")})


class StationService(TimeStampedModel):
    """One thing a station offers, with its own hours (the hall's extended hours to 22:00)."""

    class Kind(models.TextChoices):
        REST_AREA = "rest_area", _("Rest area")  # 休息区
        FOOD_HEATING = "food_heating", _("Food heating")  # 热饭
        PHONE_CHARGING = "phone_charging", _("Phone charging")  # 手机充电
        DRINKING_WATER = "drinking_water", _("Drinking water")  # 饮水
        PARCEL_STORAGE = "parcel_storage", _("Parcel storage")  # 包裹寄存
        TOOL_LENDING = "tool_lending", _("Tool lending")  # 工具借用
        HOUSEKEEPING = "housekeeping", _("Housekeeping booking")  # 家政预约
        ROOM_BOOKING = "room_booking", _("Room booking")  # 场地预约
        REPAIRS = "repairs", _("Complaints and repair requests")  # 投诉报修
        OTHER = "other", _("Other")

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.CASCADE,
        related_name="station_services",
        verbose_name=_("station"),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("Blank: the kind."))
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=100, blank=True, help_text=_("e.g. 08:30–22:00")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("station service")
        verbose_name_plural = _("station services")
        ordering = ["facility", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "kind", "name"], name="station_service_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or str(self.get_kind_display())

    def clean(self) -> None:
        _check_station("facility", self)


class BookableService(TimeStampedModel):
    """A service booked by time slot: a housekeeping visit, the use of a room.

    A day's slots run from `opens_at` in steps of `slot_minutes` while they end by
    `closes_at`; each slot has `capacity` places (seats), numbered 1…capacity.
    """

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    service = models.ForeignKey(
        StationService,
        on_delete=models.CASCADE,
        related_name="bookables",
        verbose_name=_("service"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(_("slot length (minutes)"), default=60)
    capacity = models.PositiveSmallIntegerField(
        _("places per slot"), default=1, help_text=_("e.g. 2 housekeepers, or 1 room")
    )
    opens_at = models.TimeField(_("first slot starts"), default=datetime.time(9, 0))
    closes_at = models.TimeField(_("last slot ends by"), default=datetime.time(17, 0))
    weekdays = models.CharField(
        _("weekdays"),
        max_length=7,
        default=WEEKDAYS_ALL,
        help_text=_("ISO weekday digits: 1 = Monday … 7 = Sunday, e.g. 12345"),
    )
    days_ahead = models.PositiveSmallIntegerField(_("bookable days ahead"), default=14)
    cancel_notice_hours = models.PositiveSmallIntegerField(
        _("residents may cancel until (hours before)"), default=2
    )
    is_active = models.BooleanField(_("open for booking"), default=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("bookable service")
        verbose_name_plural = _("bookable services")
        ordering = ["service", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=15, slot_minutes__lte=720),
                name="bookable_slot_length",
                violation_error_message=_("A slot lasts between 15 minutes and 12 hours."),
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="bookable_capacity_positive"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="bookable_hours_order",
                violation_error_message=_("The last slot must end after the first starts."),
            ),
            models.CheckConstraint(
                condition=Q(weekdays__regex=r"^[1-7]{1,7}$"),
                name="bookable_weekdays_digits",
                violation_error_message=_("Weekdays are digits 1 (Monday) to 7 (Sunday)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.service_id and self.service.community_id != self.community_id:
            raise ValidationError({"service": _("The service belongs to another community.")})

    @property
    def facility_id(self) -> int:
        return self.service.facility_id


class Tool(TimeStampedModel):
    """A kind of tool the station lends (电钻 drill, 人字梯 ladder, 手推车 trolley); each
    physical piece is a ToolItem, so two residents never get the same drill."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.CASCADE,
        related_name="tools",
        verbose_name=_("station"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)
    max_loan_days = models.PositiveSmallIntegerField(_("longest loan (days)"), default=3)
    days_ahead = models.PositiveSmallIntegerField(_("bookable days ahead"), default=14)
    is_active = models.BooleanField(_("lent"), default=True)

    history = tracked_history()

    class Meta:
        verbose_name = _("tool")
        verbose_name_plural = _("tools")
        ordering = ["facility", "name"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="tool_name_unique"),
            models.CheckConstraint(
                condition=Q(max_loan_days__gte=1), name="tool_max_loan_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_station("facility", self)


class ToolItem(models.Model):
    """One physical piece of a tool (“电钻 1号”)."""

    community = models.ForeignKey(
        "regions.Community", on_delete=models.CASCADE, related_name="+", verbose_name=_("community")
    )
    tool = models.ForeignKey(
        Tool, on_delete=models.CASCADE, related_name="items", verbose_name=_("tool")
    )
    label = models.CharField(_("label"), max_length=32, help_text=_("e.g. 1号"))
    is_active = models.BooleanField(
        _("in service"), default=True, help_text=_("Untick while it is broken or lost.")
    )

    history = tracked_history()

    class Meta:
        verbose_name = _("tool item")
        verbose_name_plural = _("tool items")
        ordering = ["tool", "label"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "label"], name="tool_item_label_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.tool} {self.label}"
