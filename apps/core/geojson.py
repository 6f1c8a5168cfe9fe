"""RFC 7946 GeoJSON FeatureCollections encoded by PostgreSQL, in one query per layer.

Filtering stays in the ORM (`Layer.rows(...)`); this module wraps that queryset's SQL in a
subselect and lets PostgreSQL build the JSON with json_build_object/json_agg, so no row is
ever turned into a Python object. Output: lon/lat order, counter-clockwise exterior rings
(ST_ForcePolygonCCW), 6 decimals (~10 cm), integer feature ids, the layer's public fields
as properties. Used by the map API and meant for exports and OGC API items too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON, GeoFunc
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import F

# Decimal places of coordinates: 6 is ~10 cm on the ground, RFC 7946's recommendation.
COORDINATE_PRECISION = 6
# json_build_object takes at most 100 arguments, i.e. 50 key/value pairs.
MAX_PROPERTIES = 50
EMPTY_COLLECTION = '{"type": "FeatureCollection", "numberReturned": 0, "features": []}'


class ForcePolygonCCW(GeoFunc):
    """Exterior rings counter-clockwise, interior rings clockwise (RFC 7946 §3.1.6)."""

    function = "ST_ForcePolygonCCW"


def feature_collection_sql(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int | None = None,
) -> tuple[str, list[Any]]:
    """SQL and params of one query returning the FeatureCollection of `rows` as text.

    `fields` are property names resolvable on `rows` (fields, lookups, annotations); they
    become the keys of `properties`, in that order. Features come ordered by id.
    """
    if len(fields) > MAX_PROPERTIES:
        raise ValueError(f"At most {MAX_PROPERTIES} properties fit in one json_build_object.")
    # Synthetic column aliases: public names may clash with model fields or with each other
    # once joins are flattened (a grid's "name" and its community's "name").
    aliases = {f"gm_p{i}": F(name) for i, name in enumerate(fields)}
    selected = rows.order_by("pk").values(
        gm_id=F("pk"),
        gm_geometry=AsGeoJSON(ForcePolygonCCW(geometry_field), precision=COORDINATE_PRECISION),
        **aliases,
    )
    if limit is not None:
        selected = selected[:limit]
    inner_sql, inner_params = selected.query.sql_with_params()

    connection = connections[rows.db]
    qn = connection.ops.quote_name
    properties = ", ".join(f"%s, f.{qn(alias)}" for alias in aliases)
    sql = f"""
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'numberReturned', count(*),
            'features', COALESCE(
                json_agg(
                    json_build_object(
                        'type', 'Feature',
                        'id', f.gm_id,
                        'geometry', f.gm_geometry::json,
                        'properties', json_build_object({properties})
                    )
                    ORDER BY f.gm_id
                ),
                '[]'::json
            )
        )::text
        FROM ({inner_sql}) AS f
    """  # noqa: S608 - identifiers are our own aliases; values are parameters
    # The property keys appear in the SQL text before the subselect's own parameters.
    return sql, [*fields, *inner_params]


def feature_collection(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int | None = None,
) -> str:
    """The FeatureCollection of `rows` as GeoJSON text, built by PostgreSQL in one query."""
    try:
        sql, params = feature_collection_sql(
            rows, geometry_field=geometry_field, fields=fields, limit=limit
        )
    except EmptyResultSet:
        # Django knows without asking that nothing matches (e.g. `none()`, `__in=[]`).
        return EMPTY_COLLECTION
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        (text,) = cursor.fetchone()
    return text
