"""A self-hosted vector basemap: built from our own data, served in byte ranges, drawn."""

from __future__ import annotations

import gzip

import mapbox_vector_tile
import pytest
from django.core.management import call_command
from django.test import Client
from pmtiles.reader import MmapSource, Reader

from apps.maps.basemap_file import _tile_range, basemap_build
from apps.maps.basemaps import leaflet_tiles, tile_layers
from apps.regions.models import Community


@pytest.fixture
def built(db, tmp_path):
    path = tmp_path / "demo.pmtiles"
    basemap_build(path=path, min_zoom=13, max_zoom=15)
    return path


def _tile(path, z, x, y) -> dict:
    with path.open("rb") as handle:
        data = Reader(MmapSource(handle)).get(z, x, y)
    assert data, f"no tile {z}/{x}/{y}"
    return mapbox_vector_tile.decode(gzip.decompress(data))


def test_the_basemap_built_from_the_demo_holds_its_buildings_and_labelled_places(built):
    dongrui = Community.objects.get(code="DR")
    centre = dongrui.boundary.point_on_surface
    x, y, _, _ = _tile_range((centre.x, centre.y, centre.x, centre.y), 15)

    layers = _tile(built, 15, x, y)

    assert {"earth", "buildings", "places"} <= set(layers)
    assert len(layers["buildings"]["features"]) >= 1
    names = {feature["properties"].get("name") for feature in layers["places"]["features"]}
    assert dongrui.name in names


def test_the_basemap_file_is_pmtiles_with_the_demo_extent(built):
    with built.open("rb") as handle:
        header = Reader(MmapSource(handle)).header()
    assert header["min_zoom"] == 13 and header["max_zoom"] == 15
    extent = Community.objects.all()
    west = min(c.boundary.extent[0] for c in extent)
    assert abs(header["min_lon_e7"] / 1e7 - west) < 1e-6


def test_the_command_refuses_impossible_zooms(db, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Zoom levels"):
        call_command(
            "build_basemap", str(tmp_path / "x.pmtiles"), "--min-zoom", "16", "--max-zoom", "12"
        )
    assert not (tmp_path / "x.pmtiles").exists()


def test_a_pmtiles_basemap_is_a_vector_layer_served_by_us(settings, tmp_path):
    settings.GRIDMAP_BASEMAP = f"pmtiles:{tmp_path}/City.pmtiles"
    layers = tile_layers("zh-hans")
    assert [(layer["kind"], layer["url"]) for layer in layers] == [
        ("pmtiles", "/basemap/basemap.pmtiles")
    ]
    assert layers[0]["options"]["lang"] == "zh"
    # Not a raster tile layer: django-leaflet's widgets must not request it as one.
    assert leaflet_tiles() == []


def test_a_remote_pmtiles_basemap_is_allowed_by_the_content_security_policy(settings, db):
    settings.GRIDMAP_BASEMAP = "pmtiles:https://tiles.example.org/changsha.pmtiles"
    assert tile_layers("en")[0]["url"] == "https://tiles.example.org/changsha.pmtiles"
    policy = Client().get("/map/")["Content-Security-Policy"]
    connect = next(part for part in policy.split(";") if "connect-src" in part)
    assert "https://tiles.example.org" in connect


def test_the_file_is_served_in_the_byte_ranges_asked_for(settings, built, db):
    settings.GRIDMAP_BASEMAP = f"pmtiles:{built}"
    whole = built.read_bytes()
    client = Client()

    first = client.get("/basemap/basemap.pmtiles", HTTP_RANGE="bytes=0-126")
    middle = client.get("/basemap/basemap.pmtiles", HTTP_RANGE="bytes=127-200")
    last = client.get("/basemap/basemap.pmtiles", HTTP_RANGE="bytes=-10")

    assert first.status_code == 206 and first.content == whole[:127]
    assert first["Content-Range"] == f"bytes 0-126/{len(whole)}"
    assert middle.content == whole[127:201]
    assert last.content == whole[-10:]
    assert first["ETag"] == middle["ETag"]


def test_a_range_outside_the_file_is_refused_with_416(settings, built, db):
    settings.GRIDMAP_BASEMAP = f"pmtiles:{built}"
    size = built.stat().st_size
    response = Client().get("/basemap/basemap.pmtiles", HTTP_RANGE=f"bytes={size + 5}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"


def test_without_a_local_basemap_there_is_no_file(settings, db):
    settings.GRIDMAP_BASEMAP = "none"
    assert Client().get("/basemap/basemap.pmtiles").status_code == 404


def test_tile_ids_cover_the_community_at_every_zoom(built):
    dongrui = Community.objects.get(code="DR")
    west, south, east, north = dongrui.boundary.extent
    with built.open("rb") as handle:
        reader = Reader(MmapSource(handle))
        for zoom in (13, 14, 15):
            x0, y0, x1, y1 = _tile_range((west, south, east, north), zoom)
            for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
                assert reader.get(zoom, x, y), (zoom, x, y)


@pytest.mark.browser
def test_the_map_draws_the_self_hosted_basemap_under_our_layers(
    settings, tmp_path, demo_live_server, page
):
    path = tmp_path / "demo.pmtiles"
    basemap_build(path=path, min_zoom=12, max_zoom=15)
    settings.GRIDMAP_BASEMAP = f"pmtiles:{path}"
    ranges: list[int] = []
    page.on(
        "response",
        lambda response: (
            ranges.append(response.status) if "/basemap/basemap.pmtiles" in response.url else None
        ),
    )

    page.goto(f"{demo_live_server.url}/map/")
    page.wait_for_function(
        """() => [...document.querySelectorAll('.leaflet-tile-pane canvas')].some(canvas => {
            const context = canvas.getContext('2d');
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < data.length; i += 4 * 97) if (data[i] > 0) return true;
            return false;
        })""",
        timeout=20_000,
    )

    assert ranges and set(ranges) == {206}
    assert page.locator(".leaflet-control-layers-base label", has_text="本地底图").count() == 1
