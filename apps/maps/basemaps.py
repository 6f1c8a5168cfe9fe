"""Basemap tile layers from settings.GRIDMAP_BASEMAP: "none" (default), or one or more of
"osm", "tianditu" (vector + labels), "tianditu_img" (imagery + labels), "amap"
(AMap/Gaode) and "pmtiles:<path or URL>" (a self-hosted vector basemap file, see
apps/maps/basemap_file.py), comma-separated; the first is shown and the others are offered
in the map's layer switcher.

"none" makes no tile request at all (intranet deployments, tests); the map is drawn on a
plain background from our own layers. Tianditu (天地图) serves WGS 84/CGCS2000 tiles, so
our EPSG:4326 data lines up as it is. AMap tiles are drawn in GCJ-02 ("Mars
coordinates"): their layers carry `gcj02: true` in their options, and while one of them is
the base layer the map page shifts our overlays onto it for display and converts clicks
back to WGS 84 (apps/maps/static/maps/gcj02.js). Data is never stored shifted.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .basemap_file import PMTILES_PREFIX, browser_url, configured_source

logger = logging.getLogger(__name__)

BASEMAPS = ("none", "osm", "tianditu", "tianditu_img", "amap")
NEEDS_TIANDITU_KEY = ("tianditu", "tianditu_img")

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'

# Web Mercator ("_w") WMTS tiles; {s} is one of the t0..t7 servers.
TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/%(layer)s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%(layer)s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%(key)s"
)
TIANDITU_ATTRIBUTION = '© <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'

# AMap/Gaode raster tiles (GCJ-02); {s} is one of the 1..4 servers.
AMAP_URL = (
    "https://webrd0{s}.is.autonavi.com/appmaptile?lang=%(lang)s&size=1&scale=1&style=8"
    "&x={x}&y={y}&z={z}"
)
AMAP_ATTRIBUTION = '© <a href="https://www.amap.com/">高德地图 AMap</a>'


def selected_basemaps() -> list[str]:
    """The configured basemaps in order, leaving out (with a warning) unusable ones."""
    setting = getattr(settings, "GRIDMAP_BASEMAP", "none") or "none"
    chosen = []
    for part in setting.split(","):
        choice = part.strip().lower()
        if choice in ("", "none") or choice in chosen:
            continue
        if choice.startswith(PMTILES_PREFIX):
            # A path or URL keeps its case; one self-hosted file at most.
            if configured_source() and PMTILES_PREFIX not in chosen:
                chosen.append(PMTILES_PREFIX)
            continue
        if choice not in BASEMAPS:
            logger.warning(
                "GRIDMAP_BASEMAP=%r is not one of %s; using no basemap.", choice, BASEMAPS
            )
            continue
        if choice in NEEDS_TIANDITU_KEY and not getattr(settings, "GRIDMAP_TIANDITU_KEY", ""):
            logger.warning(
                "GRIDMAP_BASEMAP=%s needs GRIDMAP_TIANDITU_KEY; using no basemap.", choice
            )
            continue
        chosen.append(choice)
    return chosen


def selected_basemap() -> str:
    """The first configured basemap, "none" when there is none."""
    chosen = selected_basemaps()
    return chosen[0] if chosen else "none"


def tile_layers(language: str | None = None) -> list[dict[str, Any]]:
    """Tile layers to draw, bottom first, as plain dicts for the page's JSON config.

    Each has `name`, `url`, `overlay` (annotation layers sit on a base layer) and Leaflet
    `options` (attribution, subdomains, zoom range; `gcj02: true` for GCJ-02 tiles).
    """
    english = (language or get_language() or "").startswith("en")
    layers: list[dict[str, Any]] = []
    for choice in selected_basemaps():
        for layer in _layers_of(choice, english):
            if all(layer["url"] != known["url"] for known in layers):
                layers.append(layer)
    return layers


def _layers_of(choice: str, english: bool) -> list[dict[str, Any]]:
    if choice == PMTILES_PREFIX:
        source = configured_source() or ""
        # Drawn by protomaps-leaflet, not as raster tiles: `kind` tells the page script.
        return [
            {
                "name": _("Local basemap"),
                "url": browser_url(source),
                "kind": "pmtiles",
                "overlay": False,
                "options": {
                    "attribution": "gridmap",
                    "maxZoom": 20,
                    "lang": "en" if english else "zh",
                },
            }
        ]
    if choice == "osm":
        return [
            {
                "name": _("OpenStreetMap"),
                "url": OSM_URL,
                "overlay": False,
                "options": {"attribution": OSM_ATTRIBUTION, "maxZoom": 19},
            }
        ]
    if choice == "amap":
        return [
            {
                "name": _("AMap"),
                "url": AMAP_URL % {"lang": "en" if english else "zh_cn"},
                "overlay": False,
                "options": {
                    "attribution": AMAP_ATTRIBUTION,
                    "subdomains": "1234",
                    "maxZoom": 18,
                    "gcj02": True,
                },
            }
        ]
    key = settings.GRIDMAP_TIANDITU_KEY
    common = {"attribution": TIANDITU_ATTRIBUTION, "subdomains": "01234567", "maxZoom": 18}
    if choice == "tianditu_img":
        # Imagery annotations: cia (Chinese) or eia (English).
        return [
            {
                "name": _("Tianditu imagery"),
                "url": TIANDITU_URL % {"layer": "img", "key": key},
                "overlay": False,
                "options": common,
            },
            {
                "name": _("Tianditu imagery labels"),
                "url": TIANDITU_URL % {"layer": "eia" if english else "cia", "key": key},
                "overlay": True,
                "options": common,
            },
        ]
    # Vector annotation labels in the reader's language: cva (Chinese) or eva (English).
    return [
        {
            "name": _("Tianditu map"),
            "url": TIANDITU_URL % {"layer": "vec", "key": key},
            "overlay": False,
            "options": common,
        },
        {
            "name": _("Tianditu labels"),
            "url": TIANDITU_URL % {"layer": "eva" if english else "cva", "key": key},
            "overlay": True,
            "options": common,
        },
    ]


def leaflet_tiles() -> list[tuple[str, str, dict[str, Any]]]:
    """The base tile layers in django-leaflet's LEAFLET_CONFIG["TILES"] format, for widgets
    that want a basemap (e.g. `settings_overrides={"TILES": leaflet_tiles()}`)."""
    return [
        (layer["name"], layer["url"], layer["options"])
        for layer in tile_layers()
        if not layer["overlay"] and layer.get("kind") != "pmtiles"
    ]
