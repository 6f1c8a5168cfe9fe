"""Who may see and do what with patrols. Row scope comes from Membership.

- Community admins (社区工作人员) of a community plan its patrols, assign people to its
  grids, keep its duty rosters and see all its patrols.
- Team members see the patrols they are on, start and end them, check in, record their
  own track and findings. A police officer on a joint patrol sees that patrol, nothing else.
- Everyone else, anonymous visitors included, sees no patrol at all.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.regions.models import Community

from .models import PatrolInstance, PatrolPlan, PatrolTeamMember

STAFF_ROLES = (Role.COMMUNITY_ADMIN,)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def staff_communities(user: Any) -> models.QuerySet:
    """Ids of the communities where `user` manages patrols (one lazy subselect)."""
    if not _signed_in(user):
        return Community.objects.none().values_list("pk", flat=True)
    if user.is_superuser:
        return Community.objects.values_list("pk", flat=True)
    return Community.objects.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=STAFF_ROLES,
    ).values_list("pk", flat=True)


def is_patrol_staff(user: Any) -> bool:
    return staff_communities(user).exists()


def is_staff_of(user: Any, community_id: int) -> bool:
    return staff_communities(user).filter(pk=community_id).exists()


def visible_plans(user: Any) -> models.QuerySet:
    """Plans of the user's staff communities, and plans whose team the user is on."""
    if not _signed_in(user):
        return PatrolPlan.objects.none()
    if user.is_superuser:
        return PatrolPlan.objects.all()
    on_team = PatrolTeamMember.objects.filter(plan=OuterRef("pk"), person=user)
    return PatrolPlan.objects.filter(Q(community__in=staff_communities(user)) | Q(Exists(on_team)))


def visible_instances(user: Any) -> models.QuerySet:
    """Patrols the user may see: one query with subselects, fit for layers and lists."""
    if not _signed_in(user):
        return PatrolInstance.objects.none()
    if user.is_superuser:
        return PatrolInstance.objects.all()
    on_team = PatrolTeamMember.objects.filter(plan=OuterRef("plan_id"), person=user)
    return PatrolInstance.objects.filter(
        Q(community__in=staff_communities(user)) | Q(Exists(on_team))
    )


def is_on_team(user: Any, plan_id: int) -> bool:
    if not _signed_in(user):
        return False
    return PatrolTeamMember.objects.filter(plan_id=plan_id, person=user).exists()


def acting_role(user: Any, community_id: int, plan_id: int | None = None) -> str:
    """The role `user` acts in: their team role on the plan, else their staff role."""
    if user is None:
        return ""
    if plan_id is not None:
        role = (
            PatrolTeamMember.objects.filter(plan_id=plan_id, person=user)
            .values_list("role", flat=True)
            .first()
        )
        if role:
            return str(role)
    role = (
        Membership.objects.filter(user=user, community_id=community_id, is_active=True)
        .order_by("role")
        .values_list("role", flat=True)
        .first()
    )
    if role:
        return str(role)
    return "superuser" if getattr(user, "is_superuser", False) else ""
