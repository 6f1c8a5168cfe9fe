"""Content-Security-Policy with the configured basemap tile hosts in img-src.

Basemaps are chosen by environment (apps.maps.basemaps), so the tile hosts the browser may
load images from are taken from that same configuration rather than written twice.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def tile_origins() -> list[str]:
    """Origins (scheme://host) of every configured basemap's tiles, subdomains expanded."""
    return list(_tile_origins(settings.GRIDMAP_BASEMAP, settings.GRIDMAP_TIANDITU_KEY))


@lru_cache(maxsize=8)
def _tile_origins(basemap: str, key: str) -> tuple[str, ...]:
    from apps.maps.basemaps import tile_layers

    origins: list[str] = []
    for layer in tile_layers("en"):
        url = urlsplit(layer["url"])
        if not url.netloc:
            continue  # served by ourselves ('self')
        hosts = [url.netloc]
        if "{s}" in url.netloc:
            subdomains = layer["options"].get("subdomains", "abc")
            hosts = [url.netloc.replace("{s}", s) for s in subdomains]
        for host in hosts:
            origin = f"{url.scheme}://{host}"
            if origin not in origins:
                origins.append(origin)
    return tuple(origins)


class BasemapCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, adding the basemap tile origins to img-src (raster tiles)
    and connect-src (a vector basemap file read with fetch)."""

    def get_policy_parts(
        self, request: HttpRequest, response: HttpResponseBase, report_only: bool = False
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        origins = tile_origins()
        if origins and not report_only:
            update = dict(parts.update or {})
            update["img-src"] = [*update.get("img-src", []), *origins]
            update["connect-src"] = [*update.get("connect-src", []), *origins]
            parts.update = update
        return parts
