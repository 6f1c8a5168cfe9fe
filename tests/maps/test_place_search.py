"""Place search (/api/places/search/) and "what is here" (/api/places/at/) on the demo data:
what a resident finds by compound, building and road names, in her language, without
anything the map would not show her, and clear 400s for input that cannot be used."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User
from apps.regions.models import Building
from apps.works.models import Work
from apps.works.workflow import WorkStatus

pytestmark = pytest.mark.django_db
SEARCH = "/api/places/search/"
AT = "/api/places/at/"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
# Between buildings D2-1 and D2-2 of 中交中央公园D2 in Dongrui (demo geometry), and a
# point on D2-1's footprint.
BETWEEN_D2_BUILDINGS = (113.02995, 28.19150)
ON_D2_1 = (113.0294456, 28.1908373)
# West of Dongrui, in no community: Dongrui's west edge is about 105 m east.
WEST_OF_DONGRUI = (113.0248, 28.1890)


def search(client, q, **params):
    response = client.get(SEARCH, {"q": q, **params})
    assert response.status_code == 200, response.content
    return json.loads(response.content)["results"]


def names(results):
    return [(r["kind"], r["name"]) for r in results]


def test_searching_d2_finds_the_compound_first_then_its_buildings(client):
    results = search(client, "D2")
    assert names(results) == [
        ("compound", "中交中央公园D2"),
        ("building", "D2-1栋"),
        ("building", "D2-2栋"),
        ("building", "D2-3栋"),
        ("building", "D2-4栋"),
    ]
    assert results[1]["context"] == "中交中央公园D2"
    assert results[1]["kind_label"] == "楼栋"


def test_compound_and_building_words_typed_with_spaces_find_the_building(client):
    assert names(search(client, "中交中央公园 D2"))[0] == ("compound", "中交中央公园D2")
    assert names(search(client, "中交中央公园 d2-1")) == [("building", "D2-1栋")]
    assert names(search(client, "D2-1栋")) == [("building", "D2-1栋")]


def test_a_building_result_carries_its_box_and_a_point_on_it(client):
    building = Building.objects.get(number="D2-1栋")
    [result] = search(client, "D2-1")
    minlon, minlat, maxlon, maxlat = building.footprint.extent
    assert result["bbox"] == pytest.approx([minlon, minlat, maxlon, maxlat], abs=1e-6)
    lon, lat = result["point"]
    assert minlon <= lon <= maxlon and minlat <= lat <= maxlat


def test_roads_and_named_lines_are_found_as_facilities_and_works(client):
    assert ("facility", "党建文化长廊") in names(search(client, "长廊"))
    assert ("facility", "高坡道路") in names(search(client, "高坡道路"))
    oxford_street = names(search(client, "牛津街"))
    assert ("facility", "牛津街停车位") in oxford_street
    assert ("work", "牛津街停车位修缮") in oxford_street


def test_results_are_in_the_users_language(client):
    results = client.get(SEARCH, {"q": "D2", "limit": 2}, **ENGLISH).json()["results"]
    assert results[0]["name"] == "CCCC Central Park D2 (illustrative)"
    assert results[0]["kind_label"] == "Compound"
    assert results[0]["context"] == "Dongrui Community"


def test_limit_caps_the_results(client):
    assert len(search(client, "栋", limit=3)) == 3
    assert len(search(client, "栋")) == 8  # the default


def test_near_puts_the_nearest_of_equal_matches_first(client):
    lon, lat = Building.objects.get(number="D2-4栋").footprint.centroid.coords
    results = search(client, "D2-", near=f"{lon},{lat}")
    assert results[0]["name"] == "D2-4栋"


def test_a_proposed_work_is_found_only_by_its_planners(client):
    # Not decided yet, so not public (the demo's status of it moves with its dates).
    Work.objects.filter(name="朝阳全民健身广场").update(status=WorkStatus.PROPOSED)
    assert names(search(client, "朝阳全民健身广场")) == [("facility", "朝阳全民健身广场")]
    client.force_login(User.objects.get(username="planner"))
    assert ("work", "朝阳全民健身广场") in names(search(client, "朝阳全民健身广场"))


def test_a_building_heads_name_finds_nothing(client):
    building = Building.objects.get(number="D2-1栋")
    head = User.objects.create_user(username="13700001111", display_name="罗秀英楼长")
    building.building_head = head
    building.save()
    assert search(client, "罗秀英") == []
    assert search(client, "13700001111") == []
    assert "13700001111" not in client.get(SEARCH, {"q": "D2-1"}).content.decode()


def test_one_query_answers_a_search(client):
    with CaptureQueriesContext(connection) as queries:
        results = search(client, "东瑞", limit=20)
    assert len(results) >= 8  # compounds, buildings, facilities, works, the community
    assert len(queries) == 1, [q["sql"][:120] for q in queries]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "栋" * 51}, "q"),
        ({"q": "D2", "limit": "0"}, "limit"),
        ({"q": "D2", "limit": "21"}, "limit"),
        ({"q": "D2", "limit": "many"}, "limit"),
        ({"q": "D2", "near": "113.03"}, "near"),
        ({"q": "D2", "near": "abc,def"}, "near"),
        ({"q": "D2", "near": "28.19,213.03"}, "near"),
    ],
)
def test_search_input_that_cannot_be_used_is_a_400_naming_the_parameter(client, params, parameter):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    body = response.json()
    assert body["parameter"] == parameter
    assert body["detail"]


def test_a_400_speaks_the_users_language(client):
    assert "小区" in client.get(SEARCH, {"q": ""}).json()["detail"]
    english = client.get(SEARCH, {"q": ""}, **ENGLISH).json()["detail"]
    assert "compound" in english


def test_search_only_answers_reads(client):
    assert client.post(SEARCH, {"q": "D2"}).status_code == 405


def test_a_pin_by_a_building_is_named_by_its_compound_and_number(client):
    lon, lat = ON_D2_1
    body = client.get(AT, {"lon": lon, "lat": lat}).json()
    assert body["inside"] is True
    assert body["label"] == "中交中央公园D2 D2-1栋附近"
    assert body["community"]["name"] == "东瑞社区"
    assert body["grid"]["code"] == "DR-02"


def test_a_pin_between_buildings_is_named_by_its_compound(client):
    lon, lat = BETWEEN_D2_BUILDINGS
    body = client.get(AT, {"lon": lon, "lat": lat}, **ENGLISH).json()
    assert body["inside"] is True
    assert body["label"] == "in CCCC Central Park D2 (illustrative)"
    assert body["building"] is None


def test_a_pin_outside_every_community_is_answered_with_the_nearest_one(client):
    lon, lat = WEST_OF_DONGRUI
    body = client.get(AT, {"lon": lon, "lat": lat}).json()
    assert body["inside"] is False
    assert body["label"] is None
    assert "不在本服务覆盖的社区范围内" in body["detail"]
    nearest = body["nearest"]
    assert nearest["name"] == "东瑞社区"
    # Dongrui's west edge is at about lon 113.02597 here: ~115 m at latitude 28.19.
    assert 60 < nearest["distance_m"] < 200
    assert len(nearest["bbox"]) == 4


@pytest.mark.parametrize(
    "params", [{}, {"lon": "abc", "lat": "28"}, {"lon": "113"}, {"lon": "28.19", "lat": "113.03"}]
)
def test_a_place_question_without_a_usable_point_is_a_400(client, params):
    response = client.get(AT, params)
    assert response.status_code == 400
    assert response.json()["detail"]
