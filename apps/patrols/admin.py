"""Admin for patrol data: scoped to one's communities, with map widgets. Plans are best made
on the planning page (/patrols/), which checks conflicts and regenerates patrols; the
admin is for looking up and correcting records. Status changes go through the service
only, so a patrol's status is read-only here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin, CommunityScopedForm, GeoModelAdmin

from .models import (
    CheckIn,
    Checkpoint,
    DutyShift,
    PatrolInstance,
    PatrolPlan,
    PatrolSettings,
    PatrolTeamMember,
    PatrolTransition,
)


class CheckpointInline(CommunityScopedAdmin, admin.TabularInline):
    model = Checkpoint
    extra = 0
    fields = ("position", "name", "location")


class TeamInline(CommunityScopedAdmin, admin.TabularInline):
    model = PatrolTeamMember
    extra = 0
    fields = ("person", "role", "organisation")
    autocomplete_fields = ("person",)


@admin.register(PatrolPlan)
class PatrolPlanAdmin(CommunityScopedAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = (
        "name",
        "community",
        "start_time",
        "end_time",
        "recurrence",
        "until",
        "is_active",
    )
    list_filter = ("is_active", "recurrence", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    filter_horizontal = ("grids",)
    inlines = (TeamInline,)
    readonly_fields = ("created_by",)


class TransitionInline(admin.TabularInline):
    model = PatrolTransition
    extra = 0
    can_delete = False
    fields = ("at", "from_status", "to_status", "by", "actor", "role", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PatrolInstance)
class PatrolInstanceAdmin(CommunityScopedAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    list_display = ("plan", "service_date", "starts_at", "ends_at", "status")
    list_filter = ("status", ("community", admin.RelatedOnlyFieldListFilter))
    date_hierarchy = "service_date"
    search_fields = ("plan__name",)
    readonly_fields = (
        "community",
        "plan",
        "service_date",
        "starts_at",
        "ends_at",
        "status",
        "started_at",
        "ended_at",
    )
    inlines = (TransitionInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # patrols come from their plan's schedule


@admin.register(CheckIn)
class CheckInAdmin(CommunityScopedAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    list_display = ("checkpoint", "person", "checked_at", "on_site", "distance_m")
    list_filter = ("on_site",)
    readonly_fields = (
        "community",
        "instance",
        "checkpoint",
        "person",
        "location",
        "accuracy_m",
        "distance_m",
        "on_site",
        "checked_at",
    )


@admin.register(DutyShift)
class DutyShiftAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("grid", "person", "weekday", "on_date", "start_time", "end_time")
    list_filter = ("weekday", ("community", admin.RelatedOnlyFieldListFilter))
    autocomplete_fields = ("person",)


@admin.register(PatrolSettings)
class PatrolSettingsAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("community", "required_roles")
