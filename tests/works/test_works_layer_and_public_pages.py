"""The "works" map layer's row rules, and the public facility map's page and data."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from apps.core.demo import demo_clock
from apps.core.layers import registry
from apps.works.workflow import PUBLIC_STATUSES, WorkStatus

from .conftest import make_work

D = datetime.date

pytestmark = pytest.mark.django_db
S = WorkStatus


@pytest.fixture
def one_of_each(world):
    return {
        status: make_work(world.here, status=status, name=f"工程-{status}") for status in S.values
    }


def names(rows):
    return {
        name.split("-", 1)[1]
        for name in rows.values_list("name", flat=True)
        if name.startswith("工程-")
    }


def test_the_public_sees_works_that_are_approved_or_later(one_of_each):
    rows = registry.get("works").rows(AnonymousUser())
    assert names(rows) == set(PUBLIC_STATUSES)
    assert not {S.PROPOSED, S.CANCELLED} & names(rows)


@pytest.mark.parametrize("who", ["planner", "admin_here", "superuser"])
def test_planners_of_the_community_see_its_proposals_and_cancelled_works(world, one_of_each, who):
    rows = registry.get("works").rows(getattr(world, who))
    assert names(rows) == set(S.values)


@pytest.mark.parametrize("who", ["admin_other", "resident", "grid_worker"])
def test_everyone_else_sees_only_what_the_public_sees(world, one_of_each, who):
    rows = registry.get("works").rows(getattr(world, who))
    assert names(rows) == set(PUBLIC_STATUSES)


def test_the_works_layer_shows_no_money_and_nobodys_private_data():
    fields = set(registry.get("works").fields)
    assert not fields & {"budget", "actual_cost", "funded_yuan", "phone", "username", "email"}


def test_the_works_layer_geojson_has_progress_and_schedule_flags(client, world):
    make_work(world.here, status=S.UNDER_CONSTRUCTION, name="公开工程")
    body = client.get(reverse("maps:layer-geojson", args=["works"])).json()
    feature = next(f for f in body["features"] if f["properties"]["name"] == "公开工程")
    assert feature["properties"]["progress_percent"] == 0
    assert feature["properties"]["is_overdue"] is False


def test_the_facility_map_is_open_to_anonymous_visitors_and_loads_nothing_from_elsewhere(client):
    response = client.get(reverse("works:facilities"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="facility-map"' in page and "works/facilities.js" in page
    assert "http://" not in page.replace("http://www.w3.org", "") and "https://" not in page


def test_the_facility_map_offers_nearest_for_the_kinds_that_are_open(client):
    config = client.get(reverse("works:facilities")).context["config"]
    offered = [kind["code"] for kind in config["nearest_kinds"]]
    for kind in [
        "fitness_court",
        "garbage_station",
        "public_toilet",
        "courier_rest_station",
        "service_station",
    ]:
        assert kind in offered
    assert config["default_kind"] == "fitness_court"


def test_coming_sites_are_the_demo_works_under_way_with_their_expected_opening(client):
    body = client.get(reverse("works:coming")).json()
    by_name = {f["properties"]["name"]: f["properties"] for f in body["features"]}
    # 31 August in the case's time (apps/works/demo_case.py), moved to the demo's.
    assert by_name["马王堆篮球场"]["planned_end"] == demo_clock().day(D(2024, 8, 31)).isoformat()
    assert by_name["马王堆篮球场"]["site_kind"] == "fitness_court"
    assert by_name["马王堆篮球场"]["progress_percent"] == 70
    assert "朝阳全民健身广场" not in by_name  # only proposed: not public
    assert "王府花园网球场" not in by_name  # open already: on the map as a facility
    assert {p["status"] for p in by_name.values()} <= {
        "approved",
        "under_construction",
        "suspended",
    }


def test_the_facility_map_page_speaks_english_when_asked():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("works:facilities")).content.decode()
    assert "Nearest to me" in page and "Use my location" in page


def test_the_facility_map_uses_the_configured_basemap_and_none_by_default(client, settings):
    assert client.get(reverse("works:facilities")).context["config"]["basemap"] == []
    settings.GRIDMAP_BASEMAP = "osm"
    [tiles] = client.get(reverse("works:facilities")).context["config"]["basemap"]
    assert tiles["url"].startswith("https://tile.openstreetmap.org/")
