"""Basemap choices beyond the foundation's: AMap (GCJ-02), Tianditu imagery, several at once."""

import logging

from apps.maps.basemaps import leaflet_tiles, selected_basemaps, tile_layers


def test_amap_is_one_base_layer_marked_as_gcj02(settings):
    settings.GRIDMAP_BASEMAP = "amap"
    (layer,) = tile_layers("zh-hans")
    assert layer["url"].startswith("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn")
    assert layer["options"]["gcj02"] is True and layer["options"]["subdomains"] == "1234"
    assert "高德" in layer["options"]["attribution"] and not layer["overlay"]
    assert "lang=en" in tile_layers("en")[0]["url"]


def test_wgs84_basemaps_are_not_marked_as_gcj02(settings):
    settings.GRIDMAP_BASEMAP = "osm,tianditu"
    settings.GRIDMAP_TIANDITU_KEY = "test-key"
    assert not any(layer["options"].get("gcj02") for layer in tile_layers())


def test_tianditu_imagery_comes_with_its_own_labels(settings):
    settings.GRIDMAP_BASEMAP = "tianditu_img"
    settings.GRIDMAP_TIANDITU_KEY = "test-key"
    base, labels = tile_layers("zh-hans")
    assert "LAYER=img" in base["url"] and "tk=test-key" in base["url"]
    assert labels["overlay"] and "LAYER=cia" in labels["url"]
    assert "LAYER=eia" in tile_layers("en")[1]["url"]


def test_several_basemaps_are_offered_in_the_order_given(settings):
    settings.GRIDMAP_BASEMAP = "amap, osm,amap"
    assert selected_basemaps() == ["amap", "osm"]
    urls = [url for _name, url, _options in leaflet_tiles()]
    assert "autonavi.com" in urls[0] and "openstreetmap.org" in urls[1]


def test_an_unusable_choice_in_a_list_is_left_out_with_a_warning(settings, caplog):
    settings.GRIDMAP_BASEMAP = "gaode,osm,tianditu_img"
    settings.GRIDMAP_TIANDITU_KEY = ""
    with caplog.at_level(logging.WARNING, logger="apps.maps.basemaps"):
        assert selected_basemaps() == ["osm"]
    assert "gaode" in caplog.text and "GRIDMAP_TIANDITU_KEY" in caplog.text
