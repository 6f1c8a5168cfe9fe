"""Admin for Open311: API keys (the key is shown once, when issued), service attributes,
and a read-only view of what clients sent with their reports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin

from .models import ApiKey, Open311Submission, ServiceAttribute
from .services import api_key_assign


def _show_key(request: HttpRequest, api_key: ApiKey, raw: str) -> None:
    messages.warning(
        request,
        _(
            "The key of “%(name)s” is %(key)s — copy it now: it is stored only as a hash and "
            "will not be shown again."
        )
        % {"name": api_key.name, "key": raw},
    )


@admin.register(ApiKey)
class ApiKeyAdmin(CommunityScopedAdmin, admin.ModelAdmin):
    list_display = (
        "name",
        "owner",
        "community",
        "prefix",
        "is_active",
        "hourly_limit",
        "last_used_at",
        "created_at",
    )
    list_filter = ("is_active", "community")
    search_fields = ("name", "owner__name", "prefix")
    fields = (
        "name",
        "owner",
        "community",
        "contact_email",
        "is_active",
        "hourly_limit",
        "prefix",
        "created_by",
        "last_used_at",
    )
    readonly_fields = ("prefix", "created_by", "last_used_at")
    actions = ("issue_new_keys",)

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        raw = None
        if not change:
            raw = api_key_assign(api_key=obj)
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
        if raw is not None:
            _show_key(request, obj, raw)

    @admin.action(description=gettext_lazy("Issue new keys (the old ones stop working)"))
    def issue_new_keys(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset:
            raw = api_key_assign(api_key=api_key)
            api_key.save(update_fields=["prefix", "key_hash", "updated_at"])
            _show_key(request, api_key, raw)


@admin.register(ServiceAttribute)
class ServiceAttributeAdmin(SimpleHistoryAdmin):
    list_display = ("category", "order", "code", "datatype", "required", "description")
    list_filter = ("category", "datatype", "required")
    search_fields = ("code", "description", "description_en")


@admin.register(Open311Submission)
class Open311SubmissionAdmin(CommunityScopedAdmin, admin.ModelAdmin):
    list_display = ("report", "api_key", "token", "submitted_at", "community")
    list_filter = ("api_key", "community")
    search_fields = ("report__code", "token")
    readonly_fields = (
        "report",
        "community",
        "api_key",
        "token",
        "attributes",
        "media_url",
        "address_string",
        "first_name",
        "last_name",
        "account_id",
        "device_id",
        "submitted_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # part of the report's record
