"""People for notice tests: a community's staff and admin, residents, another community."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Community, Compound
from tests.factories import make_community, make_compound, make_user
from tests.ledger.conftest import client_for  # noqa: F401 - shared helper

__all__ = ["NoticeWorld", "client_for"]


@dataclass
class NoticeWorld:
    community: Community
    other_community: Community
    compound: Compound
    grid_worker: User
    property_staff: User
    admin: User
    other_admin: User
    resident: User

    def people(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "resident": self.resident,
            "property_staff": self.property_staff,
            "community_admin": self.admin,
            "other_community_admin": self.other_admin,
            "grid_worker": self.grid_worker,
        }


def member(community: Community, role: str) -> User:
    """A person with `role` in `community`. Role groups (admin permissions) are left out:
    these apps decide by Membership, and skipping them keeps each test's setup fast."""
    user = make_user()
    Membership.objects.create(user=user, community=community, role=role)
    return user


@pytest.fixture
def world(db) -> NoticeWorld:
    community = make_community()
    other = make_community(x=112.95)
    return NoticeWorld(
        community=community,
        other_community=other,
        compound=make_compound(community),
        grid_worker=member(community, Role.GRID_WORKER),
        property_staff=member(community, Role.PROPERTY_STAFF),
        admin=member(community, Role.COMMUNITY_ADMIN),
        other_admin=member(other, Role.COMMUNITY_ADMIN),
        resident=member(community, Role.RESIDENT),
    )


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded attachments go to a throwaway folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
