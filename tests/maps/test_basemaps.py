"""Basemap choice: none by default (no tile requests), OSM, or Tianditu with its key."""

import logging

from apps.maps.basemaps import leaflet_tiles, tile_layers


def test_no_basemap_by_default(settings):
    settings.GRIDMAP_BASEMAP = "none"
    assert tile_layers() == []
    assert leaflet_tiles() == []


def test_osm_basemap_is_one_base_layer(settings):
    settings.GRIDMAP_BASEMAP = "osm"
    (layer,) = tile_layers()
    assert layer["url"].startswith("https://tile.openstreetmap.org/")
    assert "OpenStreetMap" in layer["options"]["attribution"]
    assert not layer["overlay"]


def test_tianditu_has_vector_and_labels_in_the_readers_language(settings):
    settings.GRIDMAP_BASEMAP = "tianditu"
    settings.GRIDMAP_TIANDITU_KEY = "test-key"
    base, labels = tile_layers("zh-hans")
    assert "LAYER=vec" in base["url"] and "tk=test-key" in base["url"]
    assert labels["overlay"] and "LAYER=cva" in labels["url"]
    assert "LAYER=eva" in tile_layers("en")[1]["url"]
    assert [name for name, _url, _options in leaflet_tiles()] == [base["name"]]


def test_tianditu_without_a_key_warns_and_falls_back_to_none(settings, caplog):
    settings.GRIDMAP_BASEMAP = "tianditu"
    settings.GRIDMAP_TIANDITU_KEY = ""
    with caplog.at_level(logging.WARNING, logger="apps.maps.basemaps"):
        assert tile_layers() == []
    assert "GRIDMAP_TIANDITU_KEY" in caplog.text


def test_an_unknown_basemap_warns_and_falls_back_to_none(settings, caplog):
    settings.GRIDMAP_BASEMAP = "gaode"
    with caplog.at_level(logging.WARNING, logger="apps.maps.basemaps"):
        assert tile_layers() == []
    assert "gaode" in caplog.text
