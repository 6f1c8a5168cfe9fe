"""Who may see and run joint meetings.

Community admins (社区工作人员) run their community's meetings; planners (街道/区) follow
them read-only; superusers do both everywhere. Residents, grid workers and others have no
meeting pages: the outcome reaches residents on the reports' tracking pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from apps.accounts.roles import Role
from apps.regions.models import Community

MANAGER_ROLES = (Role.COMMUNITY_ADMIN,)
VIEWER_ROLES = (Role.COMMUNITY_ADMIN, Role.PLANNER)


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def communities_with_role(user: Any, roles: tuple[str, ...]) -> QuerySet:
    """Ids of the communities where `user` holds an active membership in one of `roles`
    (all communities for a superuser, none for anonymous users). One filter() call, so the
    role and the user are of the same membership."""
    if not _signed_in(user):
        return Community.objects.none().values_list("pk", flat=True)
    if user.is_superuser:
        return Community.objects.values_list("pk", flat=True)
    return Community.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role__in=roles
    ).values_list("pk", flat=True)


def viewable_communities(user: Any) -> QuerySet:
    return communities_with_role(user, VIEWER_ROLES)


def manageable_communities(user: Any) -> QuerySet:
    return communities_with_role(user, MANAGER_ROLES)


def is_meeting_staff(user: Any) -> bool:
    return _signed_in(user) and (user.is_superuser or viewable_communities(user).exists())


def can_view(user: Any, community_id: int) -> bool:
    return viewable_communities(user).filter(pk=community_id).exists()


def can_manage(user: Any, community_id: int) -> bool:
    return manageable_communities(user).filter(pk=community_id).exists()


def acting_role(user: Any, community_id: int) -> str:
    """The role recorded with a change: community admin, or administrator for a superuser
    who is not one of the community's admins."""
    member = Community.objects.filter(
        pk=community_id,
        memberships__user=user,
        memberships__is_active=True,
        memberships__role=Role.COMMUNITY_ADMIN,
    ).exists()
    return str(Role.COMMUNITY_ADMIN) if member or not user.is_superuser else "administrator"
