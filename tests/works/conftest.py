"""Fixtures of the works tests: two communities, people in each role, a programme, works."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.gis.geos import GEOSGeometry

from apps.accounts.models import Organisation, User
from apps.accounts.roles import Role
from apps.regions.models import Community
from apps.works.models import Programme, Work, WorkStatusChange
from apps.works.workflow import WorkStatus
from tests.conftest import PHONE
from tests.factories import (
    make_community,
    make_member,
    make_organisation,
    make_superuser,
    make_user,
    next_code,
    point,
)

D = datetime.date


def make_programme(community: Community, **kwargs: Any) -> Programme:
    defaults = {
        "name": f"测试计划 {next_code('TPG')}",
        "district": community.subdistrict.district,
        "owner": make_organisation(kind=Organisation.Kind.GOVERNMENT),
        "target_count": 15,
        "start_date": D(2024, 3, 1),
        "deadline": D(2024, 9, 30),
    }
    return Programme.objects.create(**{**defaults, **kwargs})


def make_work(community: Community, *, status: str = WorkStatus.PROPOSED, **kwargs: Any) -> Work:
    """A work saved directly in `status` (tests of the table start from any status), with
    a recorded creation so its history is never empty."""
    xmin, ymin, _xmax, _ymax = community.boundary.extent
    defaults = {
        "community": community,
        "name": f"测试工程 {next_code('TW')}",
        "work_type": "new_build",
        "status": status,
        "geom": point(xmin + 0.002, ymin + 0.002),
    }
    work = Work.objects.create(**{**defaults, **kwargs})
    WorkStatusChange.objects.create(work=work, to_status=status, action="create")
    return work


@dataclass
class World:
    here: Community
    other: Community
    planner: User
    admin_here: User
    admin_other: User
    grid_worker: User
    resident: User
    superuser: User

    def person(self, who: str) -> User | None:
        return None if who == "anonymous" else getattr(self, who)


@pytest.fixture
def world(db) -> World:
    """Two communities side by side: "here" and "other", with people of each role."""
    here = make_community(x=112.90, y=27.90)
    other = make_community(x=112.92, y=27.90)
    return World(
        here=here,
        other=other,
        planner=make_member(here, role=Role.PLANNER).user,
        admin_here=make_member(here, role=Role.COMMUNITY_ADMIN).user,
        admin_other=make_member(other, role=Role.COMMUNITY_ADMIN).user,
        grid_worker=make_member(here, role=Role.GRID_WORKER, staff=False).user,
        resident=make_member(here, role=Role.RESIDENT, staff=False).user,
        superuser=make_superuser(),
    )


@pytest.fixture
def planner(world: World) -> User:
    return world.planner


def geometry(text: str) -> GEOSGeometry:
    return GEOSGeometry(text, srid=4326)


__all__ = ["make_programme", "make_work", "make_user", "geometry"]


@pytest.fixture
def located_phone(browser):
    """A phone-sized page (360×740, touch) whose browser reports a position the test sets:
    `page = located_phone(lon, lat)`. Any request off loopback fails the test."""
    contexts, off_loopback = [], []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            off_loopback.append(url)
            route.abort()

    def open_at(lon: float, lat: float):
        context = browser.new_context(
            **PHONE,
            geolocation={"longitude": lon, "latitude": lat, "accuracy": 10},
            permissions=["geolocation"],
        )
        context.route("**/*", guard)
        contexts.append(context)
        return context.new_page()

    yield open_at
    for context in contexts:
        context.close()
    assert not off_loopback, f"the page tried to reach the network: {off_loopback[:5]}"


def sign_in(page, server, username: str) -> None:
    """Give the browser a session of `username` (no login form needed)."""
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
    )
