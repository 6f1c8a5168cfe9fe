"""Role groups carry their permissions; the demo accounts log in and are scoped as documented."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured

from apps.accounts import services
from apps.accounts.models import Membership, User
from apps.accounts.roles import ROLE_PERMISSIONS, Role
from apps.accounts.services import roles_ensure
from apps.core.demo import demo_records
from apps.regions.models import Building

pytestmark = pytest.mark.django_db

RECORDS = demo_records()
DEMO_LOGINS = [a["username"] for a in RECORDS["accounts"] if a.get("login", True)]


def group_permissions(role: str) -> set[str]:
    group = Group.objects.get(name=role)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


@pytest.mark.parametrize("role", Role.values)
def test_each_role_has_a_group_with_exactly_its_permissions(role):
    assert group_permissions(role) == set(ROLE_PERMISSIONS[role])


def test_roles_ensure_puts_back_a_permission_taken_from_a_group():
    group = Group.objects.get(name=Role.GRID_WORKER)
    group.permissions.clear()
    roles_ensure()
    assert group_permissions(Role.GRID_WORKER) == set(ROLE_PERMISSIONS[Role.GRID_WORKER])


def test_roles_ensure_refuses_a_permission_that_does_not_exist(monkeypatch):
    monkeypatch.setitem(services.ROLE_PERMISSIONS, Role.RESIDENT, ["regions.fly_grid"])
    with pytest.raises(ImproperlyConfigured, match="regions.fly_grid"):
        roles_ensure()


@pytest.mark.parametrize("username", DEMO_LOGINS)
def test_demo_account_logs_in_with_the_demo_password(client, username):
    assert client.login(username=username, password=RECORDS["password"])


def test_there_is_a_demo_login_for_every_role():
    roles = {a["role"] for a in RECORDS["accounts"] if a.get("login", True)}
    assert roles == {*Role.values, "superuser"}


def test_the_demo_resident_is_not_staff():
    resident = User.objects.get(username="resident")
    assert not resident.is_staff
    assert not resident.is_superuser


def test_the_demo_admin_is_a_superuser():
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_grid_worker_covers_dr_01_and_dr_02_and_has_a_public_work_phone():
    worker = User.objects.get(username="gridworker")
    membership = Membership.objects.get(user=worker, role=Role.GRID_WORKER)
    assert membership.community.code == "DR"
    assert sorted(membership.grids.values_list("code", flat=True)) == ["DR-01", "DR-02"]
    assert worker.work_phone.startswith("0731-")
    assert worker.has_perm("regions.change_building")


def test_the_demo_police_officer_works_for_the_police_station():
    membership = Membership.objects.get(user__username="police")
    assert membership.organisation.name == "东岸派出所"
    assert membership.community.code == "DR"


def test_the_demo_planner_is_scoped_to_every_demo_community():
    codes = set(
        Membership.objects.filter(user__username="planner").values_list(
            "community__code", flat=True
        )
    )
    assert codes == {"DR", "SD", "MWD", "CY"}


def test_building_heads_are_people_without_a_login():
    heads = User.objects.filter(headed_buildings__isnull=False).distinct()
    assert heads.count() == Building.objects.count()
    assert not any(head.has_usable_password() for head in heads)
    assert all(head.display_name for head in heads)
