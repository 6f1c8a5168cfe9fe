"""Admin for the station's catalogue (services, bookable services, tools) and a read-only
view of bookings, loans and parcels: those change only through the station's services, so
that every change is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin, CommunityScopedForm

from .models import (
    BookableService,
    BookingEvent,
    LoanEvent,
    Parcel,
    ParcelEvent,
    SlotBooking,
    StationService,
    Tool,
    ToolItem,
    ToolLoan,
)


@admin.register(StationService)
class StationServiceAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("display_name", "facility", "kind", "opening_hours", "is_active", "order")
    list_filter = ("kind", "is_active", ("community", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("facility",)
    search_fields = ("name", "name_en", "facility__name")


@admin.register(BookableService)
class BookableServiceAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("name", "service", "slot_minutes", "capacity", "opens_at", "closes_at")
    list_filter = ("is_active", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "name_en")


class ToolItemInline(CommunityScopedAdmin, admin.TabularInline):
    model = ToolItem
    form = CommunityScopedForm
    extra = 1
    fields = ("community", "label", "is_active")


@admin.register(Tool)
class ToolAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("name", "facility", "max_loan_days", "is_active")
    list_filter = ("is_active", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "name_en")
    inlines = [ToolItemInline]


class ReadOnlyAdmin(CommunityScopedAdmin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline):
    extra = 0
    can_delete = False
    fields = ("at", "actor", "actor_role", "action", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class BookingEventInline(EventInline):
    model = BookingEvent


class LoanEventInline(EventInline):
    model = LoanEvent


class ParcelEventInline(EventInline):
    model = ParcelEvent


@admin.register(SlotBooking)
class SlotBookingAdmin(ReadOnlyAdmin):
    list_display = ("code", "bookable", "starts_at", "seat", "status")
    list_filter = ("status", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code",)
    inlines = [BookingEventInline]


@admin.register(ToolLoan)
class ToolLoanAdmin(ReadOnlyAdmin):
    list_display = ("code", "tool", "item", "period", "status")
    list_filter = ("status", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code",)
    inlines = [LoanEventInline]


@admin.register(Parcel)
class ParcelAdmin(ReadOnlyAdmin):
    list_display = ("recipient_name_masked", "phone_last4", "facility", "logged_at", "status")
    list_filter = ("status", ("community", admin.RelatedOnlyFieldListFilter))
    # The pick-up code is for the resident and the counter, not for browsing.
    exclude = ("pickup_code",)
    inlines = [ParcelEventInline]
