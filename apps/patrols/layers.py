"""The "patrols" map layer: patrol tracks, private to the community's staff and the team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F
from django.db.models.functions import Round
from django.utils.translation import gettext_lazy as _

from apps.core.geo import GeodesicLength
from apps.core.layers import Layer, Scope, registry


@dataclass(frozen=True)
class PatrolLayer(Layer):
    """Tracks are private: only staff of the community and members of the patrol's team
    see a row; anonymous visitors and other residents see none."""

    def visible_rows(self, user: Any) -> models.QuerySet:
        from .access import visible_instances

        return visible_instances(user).filter(track__isnull=False)


def register_patrol_layer() -> None:
    if "patrols" in registry:
        return
    from .models import PatrolInstance

    registry.register(
        PatrolLayer(
            name="patrols",
            title=_("Patrol tracks"),
            model=PatrolInstance,
            geometry_field="track",
            fields=(
                "plan_name",
                "status",
                "starts_at",
                "ends_at",
                "community_id",
                "length_m",
            ),
            annotations=lambda: {
                "plan_name": F("plan__name"),
                "length_m": Round(GeodesicLength("track"), 1),
            },
            label_field="plan_name",
            min_zoom=13,
            scope=Scope.MEMBERS,
        )
    )
