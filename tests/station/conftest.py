"""A station of our own for tests: a service station with a bookable service and a tool, a
courier rest station keeping parcels, and the people of the permission matrix."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Community
from apps.station.models import BookableService, StationService, Tool, ToolItem
from apps.station.slots import local_today
from tests.factories import make_community, make_facility, make_user


@dataclass
class StationWorld:
    community: Community
    other_community: Community
    station: Facility
    courier: Facility
    bookable: BookableService
    tool: Tool
    resident: User
    neighbour: User  # a second resident
    staff: User  # property staff
    admin: User
    other_admin: User
    grid_worker: User

    def people(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "resident": self.resident,
            "property_staff": self.staff,
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


def build_world() -> StationWorld:
    community = make_community()
    other = make_community(x=112.95)
    station = make_facility(
        community, kind=FacilityKind.SERVICE_STATION, opening_hours="08:30–22:00"
    )
    courier = make_facility(community, kind=FacilityKind.COURIER_REST_STATION)
    housekeeping = StationService.objects.create(
        community=community, facility=station, kind="housekeeping", opening_hours="09:00–17:00"
    )
    StationService.objects.create(community=community, facility=station, kind="tool_lending")
    StationService.objects.create(community=community, facility=courier, kind="parcel_storage")
    bookable = BookableService.objects.create(
        community=community,
        service=housekeeping,
        name="家政上门保洁",
        slot_minutes=120,
        capacity=2,
        opens_at=datetime.time(9),
        closes_at=datetime.time(17),
        cancel_notice_hours=4,
    )
    tool = Tool.objects.create(community=community, facility=station, name="电钻", max_loan_days=2)
    for label in ("1号", "2号"):
        ToolItem.objects.create(community=community, tool=tool, label=label)
    return StationWorld(
        community=community,
        other_community=other,
        station=station,
        courier=courier,
        bookable=bookable,
        tool=tool,
        resident=member(community, Role.RESIDENT),
        neighbour=member(community, Role.RESIDENT),
        staff=member(community, Role.PROPERTY_STAFF),
        admin=member(community, Role.COMMUNITY_ADMIN),
        other_admin=member(other, Role.COMMUNITY_ADMIN),
        grid_worker=member(community, Role.GRID_WORKER),
    )


@pytest.fixture
def world(db) -> StationWorld:
    return build_world()


@pytest.fixture
def outsider(db) -> User:
    return make_user()


def client_for(user: User | None, *, language: str | None = None) -> Client:
    """A client signed in as `user`; `language` sets Accept-Language (the site defaults to
    Chinese, so a test that reads English messages asks for English)."""
    client = Client(headers={"accept-language": language} if language else None)
    if user is not None:
        client.force_login(user)
    return client


def tomorrow_at(hour: int, minute: int = 0) -> datetime.datetime:
    from apps.station.slots import at_local

    return at_local(local_today() + datetime.timedelta(days=1), datetime.time(hour, minute))
