"""The "works" map layer: decided works for everybody, every work of their scope for planners."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf, Round
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.geo import GeodesicArea, GeodesicLength
from apps.core.layers import Layer, registry

from .access import planner_communities
from .models import Work
from .workflow import PUBLIC_STATUSES

# Public properties: what is being built, by whom, when, how far along. Money stays on the
# planner's pages and exports; the public-income ledger says where public money went.
WORK_LAYER_FIELDS = (
    "name",
    "name_en",
    "work_type",
    "status",
    "programme_id",
    "programme_name",
    "programme_name_en",
    "facility_id",
    "facility_name",
    "site_kind",
    "contractor_name",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "progress_percent",
    "is_overdue",
    "community_id",
    "community_name",
    "community_name_en",
    "length_m",
    "area_m2",
)


def work_layer_annotations() -> dict[str, Any]:
    return {
        "programme_name": F("programme__name"),
        "programme_name_en": F("programme__name_en"),
        "facility_name": F("facility__name"),
        # The kind of the facility built, or of the one the work will open.
        "site_kind": Coalesce(F("facility__kind"), NullIf(F("facility_kind"), Value(""))),
        "contractor_name": F("contractor__name"),
        "community_name": F("community__name"),
        "community_name_en": F("community__name_en"),
        "length_m": NullIf(Round(GeodesicLength("geom"), 1), Value(0.0)),
        "area_m2": NullIf(Round(GeodesicArea("geom"), 1), Value(0.0)),
    }


class WorksLayer(Layer):
    def visible_rows(self, user: Any) -> models.QuerySet:
        """Approved-or-later works for everyone, plus every work (proposals, cancelled ones)
        of the communities the user plans in. Schedule flags as of today in Asia/Shanghai."""
        visible = Q(status__in=PUBLIC_STATUSES) | Q(community__in=planner_communities(user))
        return Work.objects.with_schedule(timezone.localdate()).filter(visible)


def register_works_layer() -> None:
    if "works" in registry:
        return
    registry.register(
        WorksLayer(
            name="works",
            title=_("Works"),
            model=Work,
            geometry_field="geom",
            fields=WORK_LAYER_FIELDS,
            annotations=work_layer_annotations,
            label_field="name",
            min_zoom=12,
        )
    )
