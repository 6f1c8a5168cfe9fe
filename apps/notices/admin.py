"""Admin for notices: read-only. Notices change through the notice desk's services, so that
every change is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin

from .models import Notice, NoticeAttachment, NoticeEvent


class NoticeAttachmentInline(admin.TabularInline):
    model = NoticeAttachment
    extra = 0
    can_delete = False
    fields = ("original_name", "kind", "size", "removed", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class NoticeEventInline(admin.TabularInline):
    model = NoticeEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "actor_role", "action", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notice)
class NoticeAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "section", "community", "status", "published_at")
    list_filter = ("section", "status", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "body")
    inlines = [NoticeAttachmentInline, NoticeEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in Notice._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
