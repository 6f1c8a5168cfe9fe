"""A self-hosted vector basemap: one PMTiles file, built from our own data or downloaded once.

Intranet deployments cannot reach a tile service. `GRIDMAP_BASEMAP=pmtiles:<path or URL>`
names a PMTiles archive (for instance a Protomaps extract of the city, downloaded once by
the deployer); the page draws it with protomaps-leaflet, which reads the tiles it needs by
HTTP range requests. A local path is served by `basemap_file` below from our own server, so
nothing leaves the intranet. `manage.py build_basemap` writes such a file from the
communities, compounds, buildings and facility lines in PostGIS, in the Protomaps basemap
schema (earth, landuse, buildings, roads, places), so the same style draws either file.
"""

from __future__ import annotations

import gzip
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.utils.http import http_date
from django.views.decorators.http import require_safe

PMTILES_PREFIX = "pmtiles:"
SERVED_URL = "/basemap/basemap.pmtiles"
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def configured_source() -> str | None:
    """The path or URL of the configured PMTiles basemap, None when there is none."""
    setting = getattr(settings, "GRIDMAP_BASEMAP", "") or ""
    for part in setting.split(","):
        part = part.strip()
        if part.lower().startswith(PMTILES_PREFIX):
            return part[len(PMTILES_PREFIX) :].strip() or None
    return None


def is_remote(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def local_path(source: str) -> Path:
    path = Path(source).expanduser()
    return path if path.is_absolute() else Path(settings.BASE_DIR) / path


def browser_url(source: str) -> str:
    """Where the browser reads the archive: our own endpoint for a file, else its URL."""
    return source if is_remote(source) else SERVED_URL


# --- serving ------------------------------------------------------------------------------


@require_safe
def basemap_file(request: HttpRequest) -> HttpResponseBase:
    """The configured PMTiles file, with the byte ranges the map asks for (206)."""
    source = configured_source()
    if source is None or is_remote(source):
        raise Http404("No local basemap file is configured.")
    path = local_path(source)
    try:
        stat = path.stat()
    except OSError as error:
        raise Http404("The configured basemap file cannot be read.") from error
    size = stat.st_size
    etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
    headers = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(stat.st_mtime),
        "Cache-Control": "public, max-age=3600",
    }
    wanted = request.headers.get("Range", "")
    if not wanted:
        whole = FileResponse(path.open("rb"), content_type="application/vnd.pmtiles")
        for name, value in headers.items():
            whole[name] = value
        return whole
    match = _RANGE.match(wanted.strip())
    if not match or (not match.group(1) and not match.group(2)):
        return _unsatisfiable(size, headers)
    if match.group(1):
        start = int(match.group(1))
        end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
    else:  # "bytes=-N": the last N bytes
        start, end = max(size - int(match.group(2)), 0), size - 1
    if start >= size or end < start:
        return _unsatisfiable(size, headers)
    with path.open("rb") as handle:
        handle.seek(start)
        body = handle.read(end - start + 1)
    response = HttpResponse(body, status=206, content_type="application/vnd.pmtiles")
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    for name, value in headers.items():
        response[name] = value
    return response


def _unsatisfiable(size: int, headers: dict[str, str]) -> HttpResponse:
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    for name, value in headers.items():
        response[name] = value
    return response


# --- building -----------------------------------------------------------------------------

# Each layer of the Protomaps basemap schema, filled from our tables for one tile; %(env)s is
# the tile's envelope in EPSG:3857. Facility lines become roads ("path" for corridors and
# walks, "minor_road" otherwise); compounds and communities are labelled places.
_LAYERS = {
    "earth": """
        SELECT ST_AsMVTGeom(%(env)s, %(env)s, 4096, 64, true) AS geom
        WHERE EXISTS (SELECT 1 FROM regions_community c
                      WHERE c.boundary && ST_Transform(%(env)s, 4326))""",
    "landuse": """
        SELECT ST_AsMVTGeom(ST_Transform(f.geom, 3857), %(env)s, 4096, 64, true) AS geom,
               CASE WHEN f.kind = 'fitness_court' THEN 'park'
                    WHEN f.kind = 'school' THEN 'school' ELSE 'pedestrian' END AS kind, f.name
        FROM facilities_facility f
        WHERE GeometryType(f.geom) IN ('POLYGON', 'MULTIPOLYGON')
          AND f.geom && ST_Transform(%(env)s, 4326)""",
    "buildings": """
        SELECT ST_AsMVTGeom(ST_Transform(b.footprint, 3857), %(env)s, 4096, 64, true) AS geom,
               'building' AS kind, b.name
        FROM regions_building b WHERE b.footprint && ST_Transform(%(env)s, 4326)""",
    "roads": """
        SELECT ST_AsMVTGeom(ST_Transform(f.geom, 3857), %(env)s, 4096, 64, true) AS geom,
               CASE WHEN f.kind = 'culture_corridor' THEN 'path' ELSE 'minor_road' END AS kind,
               f.name, f.name AS "name:zh"
        FROM facilities_facility f
        WHERE GeometryType(f.geom) IN ('LINESTRING', 'MULTILINESTRING')
          AND f.geom && ST_Transform(%(env)s, 4326)""",
    "places": """
        SELECT ST_AsMVTGeom(ST_Transform(ST_PointOnSurface(p.geom), 3857), %(env)s,
                            4096, 64, true) AS geom,
               p.kind, p.name, p.name AS "name:zh", p.name_en AS "name:en", p.min_zoom
        FROM (SELECT boundary AS geom, 'locality' AS kind, name, name_en, 12 AS min_zoom
                FROM regions_community
              UNION ALL
              SELECT boundary, 'neighbourhood', name, name_en, 15 FROM regions_compound) p
        WHERE p.geom && ST_Transform(%(env)s, 4326)""",
}


@dataclass(frozen=True)
class BuiltBasemap:
    path: Path
    tiles: int
    bytes: int
    min_zoom: int
    max_zoom: int


def _tile_range(bounds: tuple[float, float, float, float], zoom: int) -> tuple[int, int, int, int]:
    """The x and y tile ranges (inclusive) of a lon/lat box at `zoom` (XYZ, y from the top)."""
    west, south, east, north = bounds
    n = 2**zoom

    def x_of(lon: float) -> int:
        return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))

    def y_of(lat: float) -> int:
        rad = math.radians(max(min(lat, 85.0511), -85.0511))
        return min(n - 1, max(0, int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)))

    return x_of(west), y_of(north), x_of(east), y_of(south)


def basemap_build(*, path: Path, min_zoom: int = 12, max_zoom: int = 15) -> BuiltBasemap:
    """Write a PMTiles vector basemap of every community's area from the database."""
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    if not 0 <= min_zoom <= max_zoom <= 18:
        raise ValueError("Zoom levels must satisfy 0 ≤ min ≤ max ≤ 18.")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
            "(SELECT ST_Extent(boundary) AS e FROM regions_community) s"
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        raise ValueError("There are no communities to draw a basemap of.")
    bounds = (float(row[0]), float(row[1]), float(row[2]), float(row[3]))
    env = "ST_TileEnvelope(%(z)s, %(x)s, %(y)s)"
    layer_sql = " || ".join(
        f"COALESCE((SELECT ST_AsMVT(q, '{name}', 4096, 'geom') FROM ({sql % {'env': env}}) q"
        f" WHERE q.geom IS NOT NULL), ''::bytea)"
        for name, sql in _LAYERS.items()
    )
    tiles: list[tuple[int, bytes]] = []
    with connection.cursor() as cursor:
        for zoom in range(min_zoom, max_zoom + 1):
            x0, y0, x1, y1 = _tile_range(bounds, zoom)
            for x in range(x0, x1 + 1):
                for y in range(y0, y1 + 1):
                    cursor.execute(f"SELECT {layer_sql}", {"z": zoom, "x": x, "y": y})
                    data = bytes(cursor.fetchone()[0])
                    if data:
                        tiles.append((zxy_to_tileid(zoom, x, y), gzip.compress(data, mtime=0)))
    if not tiles:
        raise ValueError("The communities' area holds no features to draw.")
    tiles.sort()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as handle:
        writer = Writer(handle)
        for tile_id, data in tiles:
            writer.write_tile(tile_id, data)
        e7 = [round(value * 10_000_000) for value in bounds]
        writer.finalize(
            {
                "tile_type": TileType.MVT,
                "tile_compression": Compression.GZIP,
                "min_lon_e7": e7[0],
                "min_lat_e7": e7[1],
                "max_lon_e7": e7[2],
                "max_lat_e7": e7[3],
                "center_zoom": min(max_zoom, 15),
            },
            {
                "name": "gridmap basemap",
                "attribution": "gridmap",
                "vector_layers": [{"id": name, "fields": {}} for name in _LAYERS],
            },
        )
    os.replace(partial, path)  # readers never see a half-written file
    return BuiltBasemap(path, len(tiles), path.stat().st_size, min_zoom, max_zoom)
