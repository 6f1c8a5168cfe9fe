"""A small world for the figures, meetings and Open311 tests: two communities, a grid with
its duty worker, a building, people in each role, and reports moved through the reports
app's own services with explicit times (so figures can be worked out by hand)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.test import Client

from apps.accounts.models import User
from apps.accounts.roles import Role
from apps.regions.models import Building, Community, Grid
from apps.reports import services
from apps.reports.models import Report
from tests.factories import (
    make_building,
    make_community,
    make_compound,
    make_grid,
    make_member,
    make_superuser,
    square,
)

CST = ZoneInfo("Asia/Shanghai")
H = datetime.timedelta(hours=1)
# Inside the grid of `here` (the grid is 0.002° square from 112.901, 27.901).
INSIDE = (112.9015, 27.9015)
# Inside the second grid of `here` (0.002° square from 112.905, 27.905).
INSIDE_GRID2 = (112.906, 27.906)
# Inside `other` (a 0.01° square from 112.92, 27.90).
IN_OTHER = (112.925, 27.905)

PEOPLE = (
    "anonymous",
    "resident",
    "grid_worker",
    "planner",
    "admin_here",
    "admin_other",
    "superuser",
)


def cst(*args: int) -> datetime.datetime:
    """A China Standard Time moment: cst(2024, 5, 6, 9) is 2024-05-06 09:00 +08:00."""
    return datetime.datetime(*args, tzinfo=CST)


@dataclass
class World:
    here: Community
    other: Community
    grid: Grid
    grid2: Grid
    building: Building
    planner: User
    admin_here: User
    admin2: User
    admin_other: User
    grid_worker: User
    resident: User
    superuser: User

    def person(self, who: str) -> User | None:
        return None if who == "anonymous" else getattr(self, who)

    def client(self, who: str) -> Client:
        client = Client()
        person = self.person(who)
        if person is not None:
            client.force_login(person)
        return client


def build_world() -> World:
    here = make_community(x=112.90, y=27.90)
    other = make_community(x=112.92, y=27.90)
    grid = make_grid(here, code="TGA")
    grid2 = make_grid(here, code="TGB", boundary=square(112.905, 27.905, 0.002))
    make_grid(other, code="TGO", boundary=square(112.921, 27.901, 0.008))
    compound = make_compound(here, name="测试花园")
    building = make_building(
        here, number="T9-2栋", compound=compound, footprint=square(112.9012, 27.9012, 0.0002)
    )
    return World(
        here=here,
        other=other,
        grid=grid,
        grid2=grid2,
        building=building,
        planner=make_member(here, role=Role.PLANNER).user,
        admin_here=make_member(here, role=Role.COMMUNITY_ADMIN).user,
        admin2=make_member(here, role=Role.COMMUNITY_ADMIN).user,
        admin_other=make_member(other, role=Role.COMMUNITY_ADMIN).user,
        grid_worker=make_member(here, role=Role.GRID_WORKER, grids=[grid], staff=False).user,
        resident=make_member(here, role=Role.RESIDENT, staff=False).user,
        superuser=make_superuser(),
    )


def file_report(
    at: datetime.datetime,
    *,
    category: str = "repair",
    where: tuple[float, float] = INSIDE,
    description: str = "测试报事：楼道灯不亮。",
    **kwargs: Any,
) -> Report:
    """A report submitted at `at` through report_submit (the web form's service)."""
    lon, lat = where
    return services.report_submit(
        category=category, description=description, lon=lon, lat=lat, at=at, **kwargs
    ).report


def handle(
    report: Report,
    world: World,
    *,
    accepted: datetime.datetime,
    handled: datetime.datetime,
    worker: User | None = None,
    defer_hours: int = 0,
    fail_then_handle: datetime.datetime | None = None,
) -> Report:
    """Accept, dispatch to `worker` (the grid worker by default), optionally defer, and
    handle; with `fail_then_handle`, the first handling fails verification an hour later
    and is handled again then (one rework)."""
    admin = world.admin_here
    worker = worker or world.grid_worker
    report = services.report_accept(report=report, actor=admin, at=accepted)
    report = services.report_dispatch(report=report, actor=admin, to_user=worker, at=accepted + H)
    if defer_hours:
        report = services.report_defer(
            report=report,
            actor=admin,
            hours=defer_hours,
            reason="等待联席会议。",
            at=accepted + 2 * H,
        )
    report = services.report_handle(report=report, actor=worker, feedback="已修好。", at=handled)
    if fail_then_handle is not None:
        checker = world.admin2 if worker != world.admin2 else admin
        report = services.report_fail_verification(
            report=report, actor=checker, reason="还没修好。", at=handled + H
        )
        report = services.report_handle(
            report=report, actor=worker, feedback="返工完成。", at=fail_then_handle
        )
    return report


def close(report: Report, world: World, *, at: datetime.datetime) -> Report:
    """Verify (by someone who did not handle it) and close, at `at`."""
    checker = world.admin_here if report.dispatched_to_user_id == world.admin2.pk else world.admin2
    report = services.report_verify(report=report, actor=checker, at=at - H)
    return services.report_close(report=report, actor=world.admin_here, at=at)


def point(where: tuple[float, float]) -> Point:
    return Point(*where, srid=4326)
