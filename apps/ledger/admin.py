"""Admin for the ledger: read-mostly. Entries change through the ledger desk's services, so
that every change is recorded; the admin shows them and their history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin

from .models import LedgerEntry, LedgerEntryEvent


class LedgerEntryEventInline(admin.TabularInline):
    model = LedgerEntryEvent
    extra = 0
    can_delete = False
    fields = ("at", "actor", "actor_role", "action", "from_status", "to_status", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(CommunityScopedAdmin, SimpleHistoryAdmin):
    list_display = ("date", "compound", "kind", "amount", "purpose", "status")
    list_filter = ("status", "kind", ("community", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("compound",)
    search_fields = ("purpose", "compound__name")
    date_hierarchy = "date"
    inlines = [LedgerEntryEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in LedgerEntry._meta.concrete_fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
