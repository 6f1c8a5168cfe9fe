"""The planning pages: the list, the week calendar, a plan, the printable sheet, the
coverage page; and editing a plan through the form's endpoint."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from apps.patrols.services import CheckpointData, patrol_plan_save

from .conftest import logged_in_client, plan_data


@pytest.fixture
def plan(area):
    checkpoints = [CheckpointData("垃圾站", Point(112.8021, 27.8021, srid=4326))]
    return patrol_plan_save(data=plan_data(area, checkpoints=checkpoints), by=area.admin)


def test_the_calendar_puts_a_night_patrol_on_the_day_it_starts(area, plan):
    page = logged_in_client(area.admin).get("/patrols/calendar/?week=2031-W10").content.decode()
    monday = page.index('data-date="2031-03-03"')
    tuesday = page.index('data-date="2031-03-04"')
    first = page.index("夜间联合巡逻")
    assert monday < first < tuesday
    assert "22:00–06:00" in page and "2031-W09" in page and "2031-W11" in page


def test_a_week_that_is_not_one_shows_this_week_with_a_message(area, plan):
    response = logged_in_client(area.admin).get("/patrols/calendar/?week=next-tuesday")
    assert response.status_code == 200
    assert 'class="pt-messages' in response.content.decode()


def test_the_plan_list_shows_my_plans_and_the_coming_patrols(area, plan):
    page = logged_in_client(area.worker).get("/patrols/").content.decode()
    assert (
        "夜间联合巡逻" in page
        and f"/patrols/{plan.instances.order_by('starts_at').first().pk}/" in page
    )


def test_the_printable_sheet_has_the_map_checkpoints_and_team_with_print_rules(area, plan):
    instance = plan.instances.order_by("starts_at").first()
    page = logged_in_client(area.admin).get(f"/patrols/{instance.pk}/sheet/").content.decode()
    assert "垃圾站" in page and "网格员甲" in page and "民警丙" in page
    # The print button is wired by a static script (the Content-Security-Policy forbids
    # inline handlers).
    assert 'id="patrol-map"' in page and "data-print" in page
    assert "patrols/page_actions.js" in page
    assert "2031-03-03" in page


def test_the_patrol_page_shows_coverage_figures_and_history(area, plan):
    instance = plan.instances.order_by("starts_at").first()
    page = logged_in_client(area.admin).get(f"/patrols/{instance.pk}/").content.decode()
    assert 'data-figure="route"' in page and 'data-figure="checkpoints"' in page
    assert 'data-figure="checkpoints"><strong>0%</strong>' in page


def test_editing_a_plan_through_the_form_endpoint_regenerates_its_patrols(area, plan):
    client = logged_in_client(area.admin)
    data = client.get(f"/patrols/api/plans/{plan.pk}/").json()
    data.update(
        {"name": "周末夜巡", "recurrence": "weekly", "weekdays": [5, 6], "accept_conflicts": True}
    )

    response = client.post(f"/patrols/api/plans/{plan.pk}/", data, "application/json")

    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.name == "周末夜巡"
    planned = set(plan.instances.filter(status="planned").values_list("service_date", flat=True))
    assert planned == {dt.date(2031, 3, 8), dt.date(2031, 3, 9)}


def test_stopping_a_plan_cancels_its_future_patrols(area, plan):
    response = logged_in_client(area.admin).post(f"/patrols/plans/{plan.pk}/archive/")
    assert response.status_code == 302
    assert set(plan.instances.values_list("status", flat=True)) == {"cancelled"}


def test_the_coverage_page_and_its_geojson(area, plan):
    client = logged_in_client(area.admin)
    page = client.get(f"/patrols/coverage/?community={area.community.pk}&week=2031-W10")
    assert page.status_code == 200 and "W1" in page.content.decode()
    data = client.get(
        f"/patrols/api/coverage.geojson?community={area.community.pk}&week=2031-W10"
    ).json()
    assert {f["properties"]["code"] for f in data["features"]} == {"W1", "E1"}
    assert data["week"] == "2031-W10"


def test_the_coverage_geojson_refuses_a_week_that_is_not_one(area):
    response = logged_in_client(area.admin).get(
        f"/patrols/api/coverage.geojson?community={area.community.pk}&week=2031-W77"
    )
    assert response.status_code == 400 and "2031-W77" in response.json()["detail"]
