"""Basemap tile layers from settings.GRIDMAP_BASEMAP: "none" (default), "osm" or "tianditu".

"none" makes no tile request at all (intranet deployments, tests); the map is drawn on a
plain background from our own layers. Tianditu (天地图) serves WGS 84/CGCS2000 tiles, so
our EPSG:4326 data lines up without the GCJ-02 shift that AMap/Gaode tiles would need —
which is why Gaode is not offered here.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

BASEMAPS = ("none", "osm", "tianditu")

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'

# Web Mercator ("_w") WMTS tiles; {s} is one of the t0..t7 servers.
TIANDITU_URL = (
    "https://t{s}.tianditu.gov.cn/%(layer)s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER=%(layer)s&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%(key)s"
)
TIANDITU_ATTRIBUTION = '© <a href="https://www.tianditu.gov.cn/">天地图 Tianditu</a>'


def selected_basemap() -> str:
    """The configured basemap, falling back to "none" (with a warning) when unusable."""
    choice = (getattr(settings, "GRIDMAP_BASEMAP", "none") or "none").strip().lower()
    if choice not in BASEMAPS:
        logger.warning("GRIDMAP_BASEMAP=%r is not one of %s; using no basemap.", choice, BASEMAPS)
        return "none"
    if choice == "tianditu" and not getattr(settings, "GRIDMAP_TIANDITU_KEY", ""):
        logger.warning("GRIDMAP_BASEMAP=tianditu needs GRIDMAP_TIANDITU_KEY; using no basemap.")
        return "none"
    return choice


def tile_layers(language: str | None = None) -> list[dict[str, Any]]:
    """Tile layers to draw, bottom first, as plain dicts for the page's JSON config.

    Each has `name`, `url`, `overlay` (annotation layers sit on a base layer) and Leaflet
    `options` (attribution, subdomains, zoom range).
    """
    choice = selected_basemap()
    if choice == "osm":
        return [
            {
                "name": _("OpenStreetMap"),
                "url": OSM_URL,
                "overlay": False,
                "options": {"attribution": OSM_ATTRIBUTION, "maxZoom": 19},
            }
        ]
    if choice == "tianditu":
        key = settings.GRIDMAP_TIANDITU_KEY
        # Annotation labels in the reader's language: cva (Chinese) or eva (English).
        labels = "eva" if (language or get_language() or "").startswith("en") else "cva"
        common = {"attribution": TIANDITU_ATTRIBUTION, "subdomains": "01234567", "maxZoom": 18}
        return [
            {
                "name": _("Tianditu map"),
                "url": TIANDITU_URL % {"layer": "vec", "key": key},
                "overlay": False,
                "options": common,
            },
            {
                "name": _("Tianditu labels"),
                "url": TIANDITU_URL % {"layer": labels, "key": key},
                "overlay": True,
                "options": common,
            },
        ]
    return []


def leaflet_tiles() -> list[tuple[str, str, dict[str, Any]]]:
    """The base tile layers in django-leaflet's LEAFLET_CONFIG["TILES"] format, for widgets
    that want a basemap (e.g. `settings_overrides={"TILES": leaflet_tiles()}`)."""
    return [
        (layer["name"], layer["url"], layer["options"])
        for layer in tile_layers()
        if not layer["overlay"]
    ]
