"""People and places for ledger tests: one community with a compound managed by a property
company, the roles of the permission matrix, and a second community."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.regions.models import Community, Compound
from tests.factories import make_community, make_compound, make_organisation, make_user


@dataclass
class LedgerWorld:
    community: Community
    other_community: Community
    compound: Compound
    company_user: User  # property staff of the compound's company
    other_company_user: User  # property staff of the same community, another company
    admin: User  # community admin of `community`
    other_admin: User  # community admin of `other_community`
    resident: User
    grid_worker: User

    def people(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "resident": self.resident,
            "property_staff": self.company_user,
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
def world(db) -> LedgerWorld:
    community = make_community()
    other = make_community(x=112.95)
    company = make_organisation()
    other_company = make_organisation()
    compound = make_compound(community, property_company=company)
    company_user = member(community, Role.PROPERTY_STAFF)
    Membership.objects.filter(user=company_user).update(organisation=company)
    other_company_user = member(community, Role.PROPERTY_STAFF)
    Membership.objects.filter(user=other_company_user).update(organisation=other_company)
    return LedgerWorld(
        community=community,
        other_community=other,
        compound=compound,
        company_user=company_user,
        other_company_user=other_company_user,
        admin=member(community, Role.COMMUNITY_ADMIN),
        other_admin=member(other, Role.COMMUNITY_ADMIN),
        resident=member(community, Role.RESIDENT),
        grid_worker=member(community, Role.GRID_WORKER),
    )


def client_for(user: User | None, *, language: str | None = None) -> Client:
    """A client signed in as `user`; `language` sets Accept-Language (the site defaults to
    Chinese, so a test that reads English messages asks for English)."""
    client = Client(headers={"accept-language": language} if language else None)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def outsider(db) -> User:
    return make_user()
