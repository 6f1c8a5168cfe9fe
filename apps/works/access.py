"""Who may plan and manage works: planners and community admins, within their communities."""

from __future__ import annotations

from typing import Any

from django.db import models

from apps.accounts.models import Membership
from apps.accounts.roles import Role
from apps.regions.models import Community

# Roles that see every work of their communities (proposals too) and may change them.
WORKS_ROLES = (Role.PLANNER, Role.COMMUNITY_ADMIN)


def planner_communities(user: Any) -> models.QuerySet:
    """Ids of the communities where `user` plans works (lazy, one subselect); all for a
    superuser, none for anyone else, anonymous users included."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Community.objects.none().values_list("pk", flat=True)
    if user.is_superuser:
        return Community.objects.values_list("pk", flat=True)
    return Community.objects.filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=WORKS_ROLES,
    ).values_list("pk", flat=True)


def can_plan(user: Any) -> bool:
    """May `user` open the planner's pages at all?"""
    return planner_communities(user).exists()


def can_manage_work(user: Any, work: Any) -> bool:
    """May `user` change this work (transitions, progress)?"""
    return planner_communities(user).filter(pk=work.community_id).exists()


def acting_role(user: Any, community_id: int) -> str:
    """The role `user` acts in for a community's work, as recorded on each change."""
    if user is None:
        return ""
    roles = set(
        Membership.objects.filter(
            user=user, community_id=community_id, is_active=True, role__in=WORKS_ROLES
        ).values_list("role", flat=True)
    )
    for role in WORKS_ROLES:
        if role in roles:
            return str(role)
    return "superuser" if getattr(user, "is_superuser", False) else ""
