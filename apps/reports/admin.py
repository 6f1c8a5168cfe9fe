"""Admin for report categories (SLA hours) and a read-only view of reports.

Reports change only through the services (the console's actions), so that every change is
a recorded transition: here their workflow fields, timeline and photos are read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin, GeoModelAdmin

from .models import Category, Notification, Report, ReportPhoto, ReportTransition


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "name_en",
        "accept_hours",
        "dispatch_hours",
        "handle_hours",
        "dispatch_hint",
        "is_public",
        "is_active",
        "sort_order",
    )
    list_editable = ("is_active", "sort_order")
    search_fields = ("code", "name", "name_en")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TransitionInline(ReadOnlyInline):
    model = ReportTransition
    fields = ("at", "action", "from_status", "to_status", "actor", "actor_role", "note")
    readonly_fields = fields


class PhotoInline(ReadOnlyInline):
    model = ReportPhoto
    fields = ("stage", "file", "width", "height", "original_name", "created_at")
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(CommunityScopedAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    list_display = (
        "code",
        "category",
        "status",
        "community",
        "grid",
        "submitted_at",
        "handle_due",
        "rework_count",
        "me_too_count",
    )
    list_filter = ("status", "category", ("community", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("category", "community", "grid")
    search_fields = ("code", "description")
    date_hierarchy = "submitted_at"
    inlines = (TransitionInline, PhotoInline)
    # Only these may be corrected here; everything else follows the workflow.
    editable = ("description", "category", "location")
    fieldsets = (
        (None, {"fields": ("code", "category", "description", "location", "status")}),
        (
            _("Assignment"),
            {
                "fields": (
                    "community",
                    "grid",
                    "duty_worker",
                    "building",
                    "dispatched_to_user",
                    "dispatched_to_organisation",
                )
            },
        ),
        (
            _("Times"),
            {
                "fields": (
                    "submitted_at",
                    "accept_due",
                    "dispatch_due",
                    "handle_due",
                    "deferred_hours",
                    "accepted_at",
                    "dispatched_at",
                    "handled_at",
                    "closed_at",
                    "rework_count",
                    "me_too_count",
                )
            },
        ),
        (
            _("Reporter (private)"),
            {"fields": ("reporter", "is_anonymous", "contact_phone", "contact_email", "source")},
        ),
    )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser or not obj.is_anonymous:  # type: ignore[union-attr]
            return fieldsets
        # The resident asked staff not to see who they are: not even here.
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "reporter"]})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [f.name for f in Report._meta.concrete_fields]
        return [name for name in names if name not in self.editable]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(CommunityScopedAdmin, admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "report", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "report")
    readonly_fields = ("recipient", "community", "report", "kind", "text", "created_at")
