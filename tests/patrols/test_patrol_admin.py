"""The admin pages of patrol data open for a superuser and stay scoped for staff."""

import pytest

from apps.patrols.services import patrol_plan_save
from tests.factories import make_superuser

from .conftest import logged_in_client, plan_data


@pytest.mark.parametrize(
    "model", ["patrolplan", "patrolinstance", "checkin", "dutyshift", "patrolsettings"]
)
def test_a_superuser_opens_every_patrol_changelist(area, model):
    patrol_plan_save(data=plan_data(area), by=area.admin)
    response = logged_in_client(make_superuser()).get(f"/admin/patrols/{model}/")
    assert response.status_code == 200


def test_a_superuser_opens_a_plan_and_a_patrol_with_its_history(area):
    plan = patrol_plan_save(data=plan_data(area), by=area.admin)
    client = logged_in_client(make_superuser())
    assert client.get(f"/admin/patrols/patrolplan/{plan.pk}/change/").status_code == 200
    page = client.get(f"/admin/patrols/patrolinstance/{plan.instances.first().pk}/change/")
    assert page.status_code == 200 and "夜间联合巡逻" in page.content.decode()


def test_patrols_are_not_added_by_hand(area):
    # Patrols come from their plan's schedule (patrol_plan_generate), never typed in.
    assert (
        logged_in_client(make_superuser()).get("/admin/patrols/patrolinstance/add/").status_code
        == 403
    )
