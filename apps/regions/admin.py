"""Admin for 区 → 街道 → 社区 → 网格 / 物业小区 → 楼栋, with map widgets and community scope."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import (
    AreaMetricsAdmin,
    CommunityScopedAdmin,
    CommunityScopedForm,
    GeoModelAdmin,
)

from .models import Building, Community, Compound, District, Grid, Subdistrict


@admin.register(District)
class DistrictAdmin(AreaMetricsAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en", "city", "area")
    search_fields = ("code", "name", "name_en")
    list_filter = ("city",)


@admin.register(Subdistrict)
class SubdistrictAdmin(AreaMetricsAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    list_display = ("code", "name", "name_en", "district", "area")
    list_select_related = ("district",)
    search_fields = ("code", "name", "name_en")
    list_filter = ("district",)
    autocomplete_fields = ("district",)


@admin.register(Community)
class CommunityAdmin(CommunityScopedAdmin, AreaMetricsAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    community_lookup = "pk"
    form = CommunityScopedForm
    list_display = ("code", "name", "name_en", "subdistrict", "population", "households", "area")
    list_select_related = ("subdistrict",)
    search_fields = ("code", "name", "name_en")
    list_filter = (("subdistrict", admin.RelatedOnlyFieldListFilter),)
    autocomplete_fields = ("subdistrict",)
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "subdistrict", "boundary")}),
        (
            _("People and service"),
            {
                "fields": (
                    "established_on",
                    "population",
                    "households",
                    "party_members",
                    "integrity_team_size",
                    "service_hall_hours",
                )
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Where a community sits and its code are the district's to change, not its own.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ("code", "subdistrict")


@admin.register(Grid)
class GridAdmin(CommunityScopedAdmin, AreaMetricsAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("code", "name", "community", "area")
    list_display_links = ("code", "name")
    list_select_related = ("community",)
    search_fields = ("code", "name", "name_en", "community__name")
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    autocomplete_fields = ("community",)
    fields = ("community", "code", "name", "name_en", "boundary")


@admin.register(Compound)
class CompoundAdmin(CommunityScopedAdmin, AreaMetricsAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = ("name", "community", "property_company", "area")
    list_select_related = ("community", "property_company")
    search_fields = ("name", "name_en", "community__name", "property_company__name")
    list_filter = (("community", admin.RelatedOnlyFieldListFilter),)
    autocomplete_fields = ("community", "property_company")
    fields = ("community", "name", "name_en", "property_company", "boundary")


@admin.register(Building)
class BuildingAdmin(CommunityScopedAdmin, AreaMetricsAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    metrics_field = "footprint"
    list_display = (
        "number",
        "name",
        "community",
        "compound",
        "floors",
        "households",
        "building_head",
        "area",
    )
    list_select_related = ("community", "compound", "building_head")
    search_fields = ("number", "name", "compound__name", "community__name")
    list_filter = (
        ("community", admin.RelatedOnlyFieldListFilter),
        ("compound", admin.RelatedOnlyFieldListFilter),
    )
    autocomplete_fields = ("community", "compound", "building_head")
    fields = (
        "community",
        "compound",
        "number",
        "name",
        "floors",
        "households",
        "building_head",
        "footprint",
    )
