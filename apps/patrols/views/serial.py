"""Plans and patrols as plain JSON for the pages' scripts (GeoJSON geometry, local times)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.core.geojson import feature_collection
from apps.regions.models import Community, Grid

from ..forms import TEAM_ROLES
from ..models import PatrolInstance, PatrolPlan


def geometry_json(geom: GEOSGeometry | None) -> Any:
    return json.loads(geom.geojson) if geom is not None else None


def grids_geojson(grids: QuerySet[Grid]) -> Any:
    return json.loads(feature_collection(grids, geometry_field="boundary", fields=("code", "name")))


def plan_json(plan: PatrolPlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "community": plan.community_id,
        "name": plan.name,
        "grids": list(plan.grids.values_list("pk", flat=True)),
        "route": geometry_json(plan.route),
        "checkpoints": [
            {"name": c.name, "lat": c.location.y, "lng": c.location.x}
            for c in plan.checkpoints.order_by("position", "pk")
        ],
        "team": [{"person": m.person_id, "role": m.role} for m in plan.team.order_by("role", "pk")],
        "start_time": plan.start_time.strftime("%H:%M"),
        "end_time": plan.end_time.strftime("%H:%M"),
        "recurrence": plan.recurrence,
        "weekdays": plan.weekdays,
        "starts_on": plan.starts_on.isoformat(),
        "until": plan.until.isoformat(),
        "notes": plan.notes,
    }


def team_candidates(community: Community) -> list[dict[str, Any]]:
    """People who can join a patrol team: name, roles, organisation (no private data)."""
    people: dict[int, dict[str, Any]] = {}
    memberships = (
        Membership.objects.filter(community=community, is_active=True, role__in=TEAM_ROLES)
        .select_related("user", "organisation")
        .order_by("role", "user__display_name", "user__username")
    )
    for m in memberships:
        entry = people.setdefault(
            m.user_id, {"id": m.user_id, "name": str(m.user), "roles": [], "organisations": {}}
        )
        entry["roles"].append(m.role)
        entry["organisations"][m.role] = str(m.organisation) if m.organisation else ""
    return list(people.values())


def role_choices(roles: Any = TEAM_ROLES) -> list[dict[str, str]]:
    return [{"value": str(role), "label": str(Role(role).label)} for role in roles]


def instance_json(instance: PatrolInstance, user: User) -> dict[str, Any]:
    """What the run and detail pages draw: route, checkpoints (with my check-ins), track."""
    plan = instance.plan
    checkins = list(instance.checkins.select_related("person").order_by("checked_at", "pk"))
    return {
        "id": instance.pk,
        "status": instance.status,
        "status_label": instance.get_status_display(),
        "starts_at": timezone.localtime(instance.starts_at).isoformat(),
        "ends_at": timezone.localtime(instance.ends_at).isoformat(),
        "route": geometry_json(plan.route),
        "track": geometry_json(instance.track),
        "grids": grids_geojson(plan.grids.all()),
        "checkpoints": [
            {
                "id": c.pk,
                "name": c.name,
                "lat": c.location.y,
                "lng": c.location.x,
                "checkins": [
                    {
                        "id": ci.pk,
                        "person": str(ci.person),
                        "mine": ci.person_id == user.pk,
                        "on_site": ci.on_site,
                        "distance_m": round(ci.distance_m, 1),
                        "at": timezone.localtime(ci.checked_at).strftime("%H:%M"),
                        "note": ci.note,
                        "edit_url": reverse("patrols:api-checkin", args=[ci.pk]),
                    }
                    for ci in checkins
                    if ci.checkpoint_id == c.pk
                ],
            }
            for c in plan.checkpoints.order_by("position", "pk")
        ],
    }
