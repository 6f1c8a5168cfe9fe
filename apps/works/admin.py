"""Admin for programmes and works: map widget, funders inline, history read-only.

A work's status is not edited here: it moves only through the buttons of its page
(apps.works.services.work_transition), which record every change. The admin shows the
history and lets staff correct the facts (names, dates, money, funders, site).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin, CommunityScopedForm, GeoModelAdmin

from .models import (
    Programme,
    Work,
    WorkFunder,
    WorkPhoto,
    WorkProgress,
    WorkReport,
    WorkStatusChange,
)
from .services import work_creation_record


@admin.register(Programme)
class ProgrammeAdmin(SimpleHistoryAdmin):
    list_display = ("name", "district", "owner", "target_count", "start_date", "deadline")
    list_filter = ("district",)
    search_fields = ("name", "name_en", "description")
    autocomplete_fields = ("owner",)
    date_hierarchy = "deadline"


class FunderInline(admin.TabularInline):
    model = WorkFunder
    extra = 0
    autocomplete_fields = ("organisation",)


class ReadOnlyInline(admin.TabularInline):
    """History rows: shown, never edited or deleted here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class StatusChangeInline(ReadOnlyInline):
    model = WorkStatusChange
    fields = ("changed_at", "from_status", "to_status", "changed_by", "role", "note")
    readonly_fields = fields


class ProgressInline(ReadOnlyInline):
    model = WorkProgress
    fields = ("on", "percent", "text", "recorded_by")
    readonly_fields = fields


class ReportLinkInline(ReadOnlyInline):
    model = WorkReport
    fields = ("report", "linked_by", "linked_at", "feedback_at", "feedback_problem")
    readonly_fields = fields


@admin.register(Work)
class WorkAdmin(CommunityScopedAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("name", "status", "work_type", "community", "programme", "planned_end")
    list_select_related = ("community", "programme")
    list_filter = (
        "status",
        "work_type",
        ("community", admin.RelatedOnlyFieldListFilter),
        ("programme", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "name_en", "description", "community__name")
    autocomplete_fields = ("community", "programme", "facility", "contractor")
    readonly_fields = ("status",)
    date_hierarchy = "planned_end"
    inlines = (FunderInline, StatusChangeInline, ProgressInline, ReportLinkInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "community",
                    "name",
                    "name_en",
                    "programme",
                    "work_type",
                    "status",
                    "geom",
                )
            },
        ),
        (_("Facility"), {"fields": ("facility", "facility_kind")}),
        (_("Contract and money"), {"fields": ("contractor", "budget", "actual_cost")}),
        (
            _("Dates"),
            {"fields": ("planned_start", "planned_end", "actual_start", "actual_end")},
        ),
        (None, {"fields": ("description",)}),
    )

    def save_model(self, request: HttpRequest, obj: Work, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:  # a new work starts its history here, as one made on its page would
            work_creation_record(work=obj, by=request.user)


@admin.register(WorkPhoto)
class WorkPhotoAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    community_lookup = "work__community"
    list_display = ("work", "stage", "uploaded_at", "original_name")
    list_filter = ("stage",)
    readonly_fields = ("work", "progress", "status_change", "width", "height", "uploaded_at")
    search_fields = ("work__name", "original_name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Photos come with a progress update or a status change, through the work's page.
        return False
