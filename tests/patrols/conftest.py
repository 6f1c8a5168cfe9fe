"""Fixtures for the patrol tests: a small community of our own, and phone pages with a
position set by the test (browser geolocation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from pyproj import Geod

from apps.accounts.roles import Role
from apps.patrols.services import PlanData, TeamSeat
from tests.conftest import watch_csp
from tests.factories import make_community, make_grid, make_member, make_user, square

SHANGHAI = ZoneInfo("Asia/Shanghai")
WGS84 = Geod(ellps="WGS84")
# South-west corner of our test community: open country south of Changsha, far from the demo.
X0, Y0 = 112.80, 27.80


def offset(lon: float, lat: float, *, azimuth: float, metres: float) -> tuple[float, float]:
    """The point `metres` away from (lon, lat) along `azimuth` (degrees from north), on the
    WGS 84 ellipsoid (pyproj's geodesic, the same spheroid PostGIS measures on)."""
    lon2, lat2, _back = WGS84.fwd(lon, lat, azimuth, metres)
    return lon2, lat2


def local(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def area(db) -> SimpleNamespace:
    """A community with two grids side by side (west W1, east E1) and one person per role.

    The community is a 0.01° square at (X0, Y0); the grids are 0.002° squares inside it.
    """
    community = make_community(x=X0, y=Y0)
    west = make_grid(community, code="W1", boundary=square(X0 + 0.001, Y0 + 0.001, 0.002))
    east = make_grid(community, code="E1", boundary=square(X0 + 0.003, Y0 + 0.001, 0.002))
    people = {}
    for role, name in [
        (Role.COMMUNITY_ADMIN, "社区管理员"),
        (Role.GRID_WORKER, "网格员甲"),
        (Role.PROPERTY_STAFF, "物业乙"),
        (Role.POLICE_OFFICER, "民警丙"),
        (Role.PARTY_MEMBER, "党员丁"),
        (Role.RESIDENT, "居民戊"),
    ]:
        user = make_user(display_name=name, phone="13900000000" if role == Role.RESIDENT else "")
        grids = [west] if role == Role.GRID_WORKER else []
        make_member(
            community, user=user, role=role, grids=grids, staff=role == Role.COMMUNITY_ADMIN
        )
        people[role.value] = user
    return SimpleNamespace(
        community=community,
        west=west,
        east=east,
        admin=people["community_admin"],
        worker=people["grid_worker"],
        property=people["property_staff"],
        police=people["police_officer"],
        party=people["party_member"],
        resident=people["resident"],
    )


def plan_data(area: SimpleNamespace, **overrides) -> PlanData:
    """A nightly joint patrol of the west grid, 22:00–06:00, with all four organisations."""
    values = {
        "community": area.community,
        "name": "夜间联合巡逻",
        "start_time": dt.time(22, 0),
        "end_time": dt.time(6, 0),
        "recurrence": "daily",
        "starts_on": dt.date(2031, 3, 3),
        "until": dt.date(2031, 3, 9),
        "grids": [area.west],
        "team": [
            TeamSeat(area.worker, Role.GRID_WORKER),
            TeamSeat(area.property, Role.PROPERTY_STAFF),
            TeamSeat(area.police, Role.POLICE_OFFICER),
            TeamSeat(area.party, Role.PARTY_MEMBER),
        ],
    }
    values.update(overrides)
    return PlanData(**values)


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def geo_page(browser) -> Iterator[Callable[..., object]]:
    """Factory: a phone-sized page (360×740, touch) whose browser says it stands at the
    given position. Any request off loopback fails the test, as with `page`."""
    contexts = []
    off_loopback: list[str] = []
    csp: list[list[str]] = []

    def guard(route):
        url = route.request.url
        if url.startswith(("http://localhost", "http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            off_loopback.append(url)
            route.abort()

    def make(*, lon: float, lat: float, accuracy: float = 5.0, phone: bool = True):
        size = {"width": 360, "height": 740} if phone else {"width": 1280, "height": 900}
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=size,
            is_mobile=phone,
            has_touch=phone,
            geolocation={"longitude": lon, "latitude": lat, "accuracy": accuracy},
            permissions=["geolocation"],
        )
        context.route("**/*", guard)
        csp.append(watch_csp(context))
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert not off_loopback, f"the page tried to reach the network: {off_loopback[:5]}"
    broken = [v for found in csp for v in found]
    assert not broken, f"the page broke its Content-Security-Policy: {broken[:5]}"


def sign_in(page, server, user) -> None:
    """Put a logged-in session cookie for `user` into the page's browser context."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
    )


def plan_around_now(area: SimpleNamespace, **overrides) -> PlanData:
    """A once-only plan whose shift started an hour ago and runs three more hours."""
    from django.utils import timezone

    starts = timezone.localtime(timezone.now(), SHANGHAI).replace(second=0, microsecond=0)
    starts -= dt.timedelta(hours=1)
    values = {
        "recurrence": "once",
        "starts_on": starts.date(),
        "until": starts.date(),
        "start_time": starts.time(),
        "end_time": (starts + dt.timedelta(hours=4)).time(),
    }
    values.update(overrides)
    return plan_data(area, **values)


def started(plan, by):
    """The plan's first patrol, started by `by` (a team member)."""
    from apps.patrols.services import patrol_start

    instance = plan.instances.order_by("starts_at").first()
    return patrol_start(instance=instance, by=by, at=instance.starts_at + dt.timedelta(minutes=5))
