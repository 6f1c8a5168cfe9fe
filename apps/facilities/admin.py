"""Admin for public facilities: a map widget, kind/status filters and community scope."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.admin import CommunityScopedAdmin, CommunityScopedForm, GeoModelAdmin

from .models import (
    AREA,
    KIND_GEOMETRY_TYPES,
    LINE,
    POINT,
    Facility,
    FacilityKind,
    FacilityQuerySet,
)


def kind_shapes_help() -> str:
    """Which shapes each kind takes, from KIND_GEOMETRY_TYPES, to show beside the map."""
    shapes = ((POINT, _("point")), (LINE, _("line")), (AREA, _("area")))
    kinds = []
    for kind in FacilityKind:
        allowed = KIND_GEOMETRY_TYPES[kind]
        names = " / ".join(str(name) for types, name in shapes if types[0] in allowed)
        kinds.append(f"{kind.label} – {names}")
    return gettext("Draw the shape the kind takes: %(kinds)s.") % {"kinds": "; ".join(kinds)}


@admin.register(Facility)
class FacilityAdmin(CommunityScopedAdmin, GeoModelAdmin, SimpleHistoryAdmin):
    form = CommunityScopedForm
    list_display = (
        "name",
        "kind",
        "status",
        "community",
        "length",
        "area",
        "completed_on",
    )
    list_select_related = ("community",)
    list_filter = ("kind", "status", ("community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "name_en", "description", "community__name")
    autocomplete_fields = ("community", "managing_organisation")
    date_hierarchy = "completed_on"
    fieldsets = (
        (None, {"fields": ("community", "kind", "name", "name_en", "status", "geom")}),
        (
            _("Service"),
            {
                "fields": (
                    "opening_hours",
                    "capacity",
                    "managing_organisation",
                    "completed_on",
                    "description",
                )
            },
        ),
    )

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "geom":
            kwargs["help_text"] = kind_shapes_help()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_queryset(self, request: HttpRequest) -> Any:
        return cast(FacilityQuerySet, super().get_queryset(request)).with_metrics()

    # Geodesic numbers come from PostGIS (FacilityQuerySet.with_metrics); a point has
    # neither, a line no area and a polygon no length, so zero shows as empty.
    @admin.display(description=_("length (m)"), ordering="length_m")
    def length(self, obj: Facility) -> int | None:
        length_m = getattr(obj, "length_m", None)
        return round(length_m) if length_m else None

    @admin.display(description=_("area (m²)"), ordering="area_m2")
    def area(self, obj: Facility) -> int | None:
        area_m2 = getattr(obj, "area_m2", None)
        return round(area_m2) if area_m2 else None
