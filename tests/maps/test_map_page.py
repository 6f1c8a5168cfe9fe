"""The /map/ page as HTML: language, config for the JavaScript, no tile servers."""

import pytest
from django.contrib.gis.db.models import Extent

from apps.regions.models import Community
from tests.factories import make_community, make_member

pytestmark = pytest.mark.django_db


def test_map_page_is_chinese_by_default_with_a_language_switch(client):
    response = client.get("/map/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert 'name="viewport"' in html
    assert 'action="/i18n/setlang/"' in html
    assert 'value="en"' in html and "English" in html
    assert "网格地图" in html


def test_map_page_speaks_english_when_asked(client):
    html = client.get("/map/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html
    assert response_strings(client, "en")["legend"] == "Legend"
    assert response_strings(client, "zh-hans")["legend"] == "图例"


def test_map_page_loads_leaflet_and_plugins_from_our_own_server(client):
    html = client.get("/map/").content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "/static/vendor/leaflet.markercluster/leaflet.markercluster.js" in html
    assert '<script type="module" src="/static/maps/map.js">' in html
    assert "//tile.openstreetmap.org" not in html and "cdn" not in html.lower()


def test_map_config_lists_every_layer_and_no_basemap_by_default(client):
    config = client.get("/map/").context["map_config"]
    assert [layer["name"] for layer in config["layers"]][:5] == [
        "communities", "grids", "compounds", "buildings", "facilities",
    ]  # fmt: skip
    assert config["basemap"] == []
    assert {kind["code"] for kind in config["kinds"]} >= {"culture_corridor", "public_toilet"}


def test_anonymous_visitors_see_all_communities(client):
    extent = Community.objects.aggregate(e=Extent("boundary"))["e"]
    assert client.get("/map/").context["map_config"]["extent"] == pytest.approx(list(extent))


def test_members_see_their_own_community(client):
    community = make_community(x=112.70, y=27.70)
    client.force_login(make_member(community).user)
    extent = client.get("/map/").context["map_config"]["extent"]
    assert extent == pytest.approx([112.70, 27.70, 112.71, 27.71])


def response_strings(client, language):
    return client.get("/map/", HTTP_ACCEPT_LANGUAGE=language).context["map_strings"]


def test_buildings_and_reports_say_they_can_be_drawn_from_vector_tiles(client, settings):
    settings.GRIDMAP_MAP_TILE_THRESHOLD = 200
    layers = {layer["name"]: layer for layer in client.get("/api/layers/").json()["layers"]}
    tiled = {name for name, layer in layers.items() if layer["tiles"]}
    assert tiled == {"buildings", "reports"}
    assert layers["buildings"]["tiles_url"] == "/tiles/buildings/{z}/{x}/{y}.pbf"
    assert layers["grids"]["tiles_url"] is None
    html = client.get("/map/").content.decode()
    assert "/static/vendor/leaflet.vectorgrid/Leaflet.VectorGrid.bundled.min.js" in html
    assert client.get("/map/").context["map_config"]["tile_threshold"] == 200
