"""Fixtures for the report tests: a small community of our own, its people, and reports.

The test community is a 0.01° square far from the demo data, split into a west grid (G1)
and an east grid (G2), each with a grid worker; a property company looks after a compound
in G1. Photos go to a temporary media folder.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.contrib.gis.geos import MultiPolygon, Point
from django.utils import timezone

from apps.accounts.models import Membership, Organisation
from apps.accounts.roles import Role
from apps.reports.models import Category, Report
from apps.reports.sla import due_times
from apps.reports.states import Status
from tests.factories import (
    make_building,
    make_community,
    make_compound,
    make_grid,
    make_organisation,
    make_superuser,
    make_user,
    square,
)

# South-west corner of the test community: open country, away from the demo and factories.
X0, Y0 = 112.70, 27.60
SIZE = 0.01
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return settings.MEDIA_ROOT


@pytest.fixture
def area(db) -> SimpleNamespace:
    """The test community with its grids, buildings, compound and people in every role."""
    community = make_community(x=X0, y=Y0, boundary=MultiPolygon(square(X0, Y0, SIZE), srid=4326))
    g1 = make_grid(community, code="TG-W", boundary=_rect(X0, Y0, X0 + SIZE / 2, Y0 + SIZE))
    g2 = make_grid(community, code="TG-E", boundary=_rect(X0 + SIZE / 2, Y0, X0 + SIZE, Y0 + SIZE))
    company = make_organisation(name="测试物业公司")
    police_station = make_organisation(name="测试派出所", kind=Organisation.Kind.POLICE_STATION)
    office = make_organisation(
        name="测试居委会", kind=Organisation.Kind.COMMUNITY_OFFICE, phone="0731-80000000"
    )
    make_compound(
        community, boundary=_rect(X0, Y0, X0 + 0.004, Y0 + 0.004), property_company=company
    )
    # Two buildings: one near the south-west corner of G1, one in G2.
    b1 = make_building(community, number="T-1栋", footprint=square(X0 + 0.002, Y0 + 0.002, 0.0002))
    b2 = make_building(community, number="T-2栋", footprint=square(X0 + 0.007, Y0 + 0.007, 0.0002))

    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}

    def member(role: str, *, grids: tuple = (), user: Any = None, staff: bool = True) -> Any:
        # Like tests.factories.make_member, with the role groups the demo setup made
        # (looking their permissions up again for every person is most of the time).
        user = user or make_user(is_staff=staff)
        user.groups.add(groups[role])
        membership = Membership.objects.create(user=user, community=community, role=role)
        if grids:
            membership.grids.set(grids)
        return user

    people = SimpleNamespace(
        admin=member(Role.COMMUNITY_ADMIN),
        worker=member(Role.GRID_WORKER, grids=[g1], user=make_user(work_phone="0731-8888 0001")),
        worker_east=member(
            Role.GRID_WORKER, grids=[g2], user=make_user(work_phone="0731-88880002")
        ),
        property=member(Role.PROPERTY_STAFF, staff=False),
        police=member(Role.POLICE_OFFICER, staff=False),
        party=member(Role.PARTY_MEMBER, staff=False),
        resident=member(Role.RESIDENT, staff=False),
        planner=member(Role.PLANNER),
        superuser=make_superuser(),
    )
    # The private phone of the grid worker must never come out.
    people.worker.phone = "13900000000"
    people.worker.save()
    _set_organisation(people.property, community, company)
    _set_organisation(people.police, community, police_station)
    _set_organisation(people.admin, community, office)
    other = make_community(x=X0 + 0.05, y=Y0)
    people.outsider = make_user(is_staff=True)
    Membership.objects.create(user=people.outsider, community=other, role=Role.COMMUNITY_ADMIN)
    return SimpleNamespace(
        community=community,
        other_community=other,
        g1=g1,
        g2=g2,
        b1=b1,
        b2=b2,
        company=company,
        police_station=police_station,
        office=office,
        people=people,
        # Inside G1, about 30 m north-east of building T-1 (whose corner is at +0.002).
        west=(X0 + 0.0024, Y0 + 0.0024),
        east=(X0 + 0.0071, Y0 + 0.0071),
    )


def _rect(xmin: float, ymin: float, xmax: float, ymax: float) -> Any:
    from django.contrib.gis.geos import Polygon

    return Polygon.from_bbox((xmin, ymin, xmax, ymax))


def _set_organisation(user: Any, community: Any, organisation: Organisation) -> None:
    membership = user.memberships.get(community=community)
    membership.organisation = organisation
    membership.save()


@pytest.fixture
def category(db) -> Category:
    return Category.objects.get(code="repair")


@pytest.fixture
def make_report(area, category):
    """A report of the test community put straight into a status (no transitions), for
    tests about what happens *from* that status."""

    def make(status: str = Status.SUBMITTED, *, at: Any = None, **fields: Any) -> Report:
        at = at or timezone.now() - datetime.timedelta(minutes=10)
        lon, lat = fields.pop("lonlat", area.west)
        values: dict[str, Any] = {
            "community": area.community,
            "grid": area.g1,
            "duty_worker": area.people.worker,
            "category": fields.pop("category", category),
            "description": "测试：路灯不亮",
            "location": Point(lon, lat, srid=4326),
            "status": status,
            "submitted_at": at,
            **due_times(fields.get("category", category), at),
        }
        if status in (
            Status.DISPATCHED,
            Status.IN_PROGRESS,
            Status.HANDLED,
            Status.VERIFIED,
            Status.CLOSED,
        ):
            values["dispatched_to_organisation"] = area.company
            values["dispatched_at"] = at
        if status == Status.CLOSED:
            values["closed_at"] = timezone.now()
        values.update(fields)
        return Report.objects.create(**values)

    return make
