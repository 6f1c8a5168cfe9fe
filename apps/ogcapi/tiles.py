"""Mapbox Vector Tiles of every layer, encoded by PostGIS (ST_AsMVT), and their TileJSON.

A tile is one query: the layer's visible rows (`Layer.rows`, so the same row rules as the
map and OGC API) that intersect the tile envelope plus its buffer — answered from the
geometry column's GiST index — clipped and quantised by ST_AsMVTGeom to a 4096 grid in
Web Mercator, packed by ST_AsMVT into one MVT layer named after the collection, with the
row id as the feature id and the layer's public fields as properties.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models, router
from django.db.models import F, Value
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.layers import Layer

from .compiled import INT_SENTINELS, compiled_sql
from .params import output_field
from .selectors import (
    collection_extents,
    is_anonymous,
    is_shared_cacheable,
    visible_layer,
    visible_layers,
)

EXTENT = 4096  # MVT grid units per tile side
BUFFER = 64  # grid units kept beyond each edge, so lines and fills join across tiles
MAX_ZOOM = 22
MVT_CONTENT_TYPE = "application/vnd.mapbox-vector-tile"
# Shared caches may keep tiles everyone sees alike; per-user tiles stay in the browser.
PUBLIC_CACHE = "public, max-age=300"
PRIVATE_CACHE = "private, max-age=60"


class TileEnvelope(models.Func):
    """ST_Transform(ST_TileEnvelope(z, x, y, margin => buffer), 4326): the tile and its buffer
    as a lon/lat rectangle (Web Mercator is cylindrical, so the rectangle stays one)."""

    template = (
        f"ST_Transform(ST_TileEnvelope(%(expressions)s, margin => {BUFFER / EXTENT!r}), 4326)"
    )

    def __init__(self, z: int, x: int, y: int) -> None:
        values = [Value(int(v), output_field=models.IntegerField()) for v in (z, x, y)]
        super().__init__(*values, output_field=GeometryField(srid=4326))


def _cast(rows: models.QuerySet, name: str) -> str:
    # ST_AsMVT writes numeric values (ROUND(...) gives numeric) as strings; a double stays a
    # number for the map's styling and labels.
    number = isinstance(output_field(rows, name), models.FloatField | models.DecimalField)
    return "::double precision" if number else ""


def tile_sql(layer: Layer, rows: models.QuerySet, z: int, x: int, y: int) -> tuple[str, list]:
    """SQL and params of the one query that returns the tile's bytes."""
    aliases = {f"gm_p{i}": F(name) for i, name in enumerate(layer.fields)}
    selected = (
        rows.filter(**{f"{layer.geometry_field}__intersects": TileEnvelope(z, x, y)})
        .order_by("pk")
        .values(gm_id=F("pk"), gm_g=F(layer.geometry_field), **aliases)
    )
    inner_sql, inner_params = selected.query.sql_with_params()
    qn = connection.ops.quote_name
    columns = ", ".join(
        f"f.{qn(alias)}{_cast(rows, name)} AS {qn(name)}"
        for alias, name in zip(aliases, layer.fields, strict=True)
    )
    sql = f"""
        SELECT ST_AsMVT(t, %s, {EXTENT}, 'gm_geom', 'gm_id')
        FROM (
            SELECT f.gm_id,
                   ST_AsMVTGeom(
                       ST_Transform(f.gm_g, 3857), ST_TileEnvelope(%s, %s, %s),
                       {EXTENT}, {BUFFER}, true
                   ) AS gm_geom,
                   {columns}
            FROM ({inner_sql}) AS f
        ) AS t
        WHERE t.gm_geom IS NOT NULL
    """  # noqa: S608 - identifiers are our own aliases and the layer's declared fields
    return sql, [layer.name, z, x, y, *inner_params]


def tile_bytes(layer: Layer, user: Any, z: int, x: int, y: int) -> bytes:
    def build(zxy: Sequence[Any]) -> tuple[str, list]:
        return tile_sql(layer, layer.rows(user), *zxy)

    try:
        if is_anonymous(user):
            # Anonymous tiles differ only in z/x/y: reuse the SQL (apps.ogcapi.compiled).
            key = ("tile", layer.name, id(layer), get_language())
            sql, params = compiled_sql(key, build, INT_SENTINELS, (z, x, y), keep=layer)
        else:
            sql, params = build((z, x, y))
    except EmptyResultSet:
        return b""
    # The replica when apps.core.db_router routes this request's reads there.
    with connections[router.db_for_read(layer.model)].cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def _error(status: int, code: str, description: str) -> JsonResponse:
    return JsonResponse(
        {"code": code, "description": description},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _unknown(name: str, user: Any) -> JsonResponse:
    names = ", ".join(layer.name for layer in visible_layers(user))
    return _error(
        404,
        "NotFound",
        _("There is no collection “%(name)s”. Collections: %(names)s.")
        % {"name": name, "names": names},
    )


WHOLE = re.compile(r"^[0-9]{1,8}$")


@require_safe
def tile(request: HttpRequest, collection: str, z: str, x: str, y: str) -> HttpResponse:
    layer = visible_layer(collection, request.user)
    if layer is None:
        return _unknown(collection, request.user)
    if not all(WHOLE.match(part) for part in (z, x, y)):
        return _error(
            400,
            "InvalidParameterValue",
            _("z, x and y must be whole numbers 0 or more; got %(z)s/%(x)s/%(y)s.")
            % {"z": z, "x": x, "y": y},
        )
    zoom, column, row = int(z), int(x), int(y)
    if not layer.min_zoom <= zoom <= MAX_ZOOM:
        return _error(
            404,
            "NotFound",
            _("“%(name)s” has tiles from zoom %(min)d to %(max)d; zoom %(z)d has none.")
            % {"name": layer.name, "min": layer.min_zoom, "max": MAX_ZOOM, "z": zoom},
        )
    if column >= 2**zoom or row >= 2**zoom:
        return _error(
            400,
            "InvalidParameterValue",
            _("At zoom %(z)d, x and y go from 0 to %(max)d; got x=%(x)d, y=%(y)d.")
            % {"z": zoom, "max": 2**zoom - 1, "x": column, "y": row},
        )
    data = tile_bytes(layer, request.user, zoom, column, row)
    etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
    cache = PUBLIC_CACHE if is_shared_cacheable(layer) else PRIVATE_CACHE
    if etag in {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type=MVT_CONTENT_TYPE)
    response["ETag"] = etag
    response["Cache-Control"] = cache
    return response


FIELD_TYPES: list[tuple[type[models.Field], str]] = [
    (models.BooleanField, "Boolean"),
    (models.IntegerField, "Number"),
    (models.FloatField, "Number"),
    (models.DecimalField, "Number"),
]


@require_safe
def tilejson(request: HttpRequest, collection: str) -> HttpResponse:
    """TileJSON 3.0.0 of one collection: tile URL template, bounds, zoom range, fields."""
    layer = visible_layer(collection, request.user)
    if layer is None:
        return _unknown(collection, request.user)
    extent = collection_extents([layer], request.user)[layer.name]
    template = reverse("tiles:tile", args=[layer.name, 0, 0, 0]).replace("/0/0/0.pbf", "")
    tiles_url = request.build_absolute_uri(template) + "/{z}/{x}/{y}.pbf"
    rows = layer.rows(request.user)
    fields = {}
    for name in layer.fields:
        field = output_field(rows, name)
        fields[name] = next((t for kind, t in FIELD_TYPES if isinstance(field, kind)), "String")
    bounds = list(extent.bbox) if extent.bbox else [-180.0, -85.0511, 180.0, 85.0511]
    document = {
        "tilejson": "3.0.0",
        "name": str(layer.title),
        "description": _("%(title)s as Mapbox Vector Tiles (one layer, “%(name)s”).")
        % {"title": layer.title, "name": layer.name},
        "scheme": "xyz",
        "tiles": [tiles_url],
        "minzoom": layer.min_zoom,
        "maxzoom": MAX_ZOOM,
        "bounds": bounds,
        "center": [
            (bounds[0] + bounds[2]) / 2,
            (bounds[1] + bounds[3]) / 2,
            max(layer.min_zoom, 14),
        ],
        "vector_layers": [
            {"id": layer.name, "fields": fields, "minzoom": layer.min_zoom, "maxzoom": MAX_ZOOM}
        ],
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = PUBLIC_CACHE if is_shared_cacheable(layer) else PRIVATE_CACHE
    return response
