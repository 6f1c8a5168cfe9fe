"""The ten kinds of person of the permission matrix, as demo accounts (or one fixture user).

Every role is a demo login (`manage.py demo_logins`) except the community admin of another
community, which the demo does not need: `person_for` makes one for 师大社区 (SD), shaped
like the demo's own community admin (staff, in the community_admin group).
"""

from __future__ import annotations

from typing import Any

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Community
from tests.factories import role_group

ANONYMOUS = "anonymous"
RESIDENT = "resident"
GRID_WORKER = "grid_worker"
PROPERTY_STAFF = "property_staff"
POLICE = "police_officer"
PARTY_MEMBER = "party_member"
COMMUNITY_ADMIN = "community_admin"
OTHER_ADMIN = "other_community_admin"
PLANNER = "planner"
SUPERUSER = "superuser"

ROLES = (
    ANONYMOUS,
    RESIDENT,
    GRID_WORKER,
    PROPERTY_STAFF,
    POLICE,
    PARTY_MEMBER,
    COMMUNITY_ADMIN,
    OTHER_ADMIN,
    PLANNER,
    SUPERUSER,
)

# Demo usernames (all in 东瑞社区, "DR"; the planner in every demo community).
DEMO_USERNAMES = {
    RESIDENT: "resident",
    GRID_WORKER: "gridworker",
    PROPERTY_STAFF: "property",
    POLICE: "police",
    PARTY_MEMBER: "partymember",
    COMMUNITY_ADMIN: "communityadmin",
    PLANNER: "planner",
    SUPERUSER: "admin",
}
HOME = "DR"  # "this community"
OTHER = "SD"  # the other community's admin works here
OTHER_ADMIN_USERNAME = "matrix-admin-sd"


def person_for(role: str) -> Any:
    """The user acting in `role` (None for anonymous)."""
    if role == ANONYMOUS:
        return None
    if role == OTHER_ADMIN:
        user = User.objects.filter(username=OTHER_ADMIN_USERNAME).first()
        if user is None:
            user = User.objects.create_user(
                username=OTHER_ADMIN_USERNAME,
                password="a-long-test-password",
                display_name="师大社区管理员",
                is_staff=True,
            )
            user.groups.add(role_group(Role.COMMUNITY_ADMIN))
            Membership.objects.create(
                user=user, community=Community.objects.get(code=OTHER), role=Role.COMMUNITY_ADMIN
            )
        return user
    return User.objects.get(username=DEMO_USERNAMES[role])


def login(client: Any, role: str) -> Any:
    """Sign `client` in as `role`; returns the user (None for anonymous)."""
    user = person_for(role)
    if user is not None:
        client.force_login(user)
    return user
