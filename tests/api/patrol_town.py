"""The small community the patrol-planning API tests share (a helper module, not tests)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from apps.accounts.roles import Role
from apps.patrols.services import TeamSeat, patrol_plan_save
from tests.factories import make_community, make_grid, make_member, make_user, square
from tests.patrols.conftest import X0, Y0, plan_around_now

SPOT = (X0 + 0.002, Y0 + 0.002)  # inside the west grid
REFUSED = [("worker", 403), ("resident", 403), ("outsider", 404)]


@pytest.fixture(name="town")
def town_fixture() -> SimpleNamespace:
    """Our community (grids W1, E1; an admin, a grid worker on W1, one person per other
    team role, a resident), another community's admin, and today's joint patrol of W1."""
    community = make_community(x=X0, y=Y0)
    west = make_grid(community, code="W1", boundary=square(X0 + 0.001, Y0 + 0.001, 0.002))
    east = make_grid(community, code="E1", boundary=square(X0 + 0.003, Y0 + 0.001, 0.002))
    people = {}
    roles = (
        Role.COMMUNITY_ADMIN,
        Role.GRID_WORKER,
        Role.POLICE_OFFICER,
        Role.PROPERTY_STAFF,
        Role.PARTY_MEMBER,
        Role.RESIDENT,
    )
    for role in roles:
        user = make_user(display_name=f"{role.value}-person")
        grids = [west] if role == Role.GRID_WORKER else []
        make_member(
            community, user=user, role=role, grids=grids, staff=role == Role.COMMUNITY_ADMIN
        )
        people[role.value] = user
    other = make_community(x=X0 + 0.05, y=Y0)
    outsider = make_user(display_name="其他社区管理员")
    make_member(other, user=outsider, role=Role.COMMUNITY_ADMIN, staff=True)
    town = SimpleNamespace(
        community=community,
        west=west,
        east=east,
        admin=people["community_admin"],
        worker=people["grid_worker"],
        police=people["police_officer"],
        property=people["property_staff"],
        party=people["party_member"],
        resident=people["resident"],
        outsider=outsider,
    )
    team = [TeamSeat(town.worker, Role.GRID_WORKER), TeamSeat(town.police, Role.POLICE_OFFICER)]
    town.plan = patrol_plan_save(data=plan_around_now(town, team=team), by=town.admin)
    town.patrol = town.plan.instances.get()
    return town


def signed_in(api, user):
    api.force_authenticate(user)
    return api
