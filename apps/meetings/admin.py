"""Admin for joint meetings: read-mostly; the staff pages (/meetings/) run them, so that
every status change goes through the services and is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin

from .models import AgendaItem, JointMeeting, MeetingDecision, MeetingStatusChange


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AgendaInline(_ReadOnlyInline):
    model = AgendaItem
    fields = ("report", "note", "added_by", "added_at")
    readonly_fields = fields


class DecisionInline(_ReadOnlyInline):
    model = MeetingDecision
    fields = ("text", "report", "payer", "amount", "due_date")
    readonly_fields = fields


class StatusChangeInline(_ReadOnlyInline):
    model = MeetingStatusChange
    fields = ("at", "action", "from_status", "to_status", "actor", "actor_role", "note")
    readonly_fields = fields


@admin.register(JointMeeting)
class JointMeetingAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    list_display = ("title", "date", "community", "status")
    list_filter = ("status", "community")
    search_fields = ("title", "notes")
    readonly_fields = ("status", "created_by")
    inlines = (AgendaInline, DecisionInline, StatusChangeInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # meetings are called from /meetings/, which records their history
