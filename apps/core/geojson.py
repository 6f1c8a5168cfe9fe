"""RFC 7946 GeoJSON FeatureCollections encoded by PostgreSQL, in one query per layer.

Filtering stays in the ORM (`Layer.rows(...)`); this module wraps that queryset's SQL in a
subselect and lets PostgreSQL build the JSON with json_build_object/json_agg, so no row is
ever turned into a Python object. Output: lon/lat order, counter-clockwise exterior rings
(ST_ForcePolygonCCW), 6 decimals (~10 cm), integer feature ids, the layer's public fields
as properties. Used by the map API, OGC API items (`feature_page`: one page with its exact
number matched, in one query) and exports.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models.functions import AsGeoJSON, GeoFunc
from django.core.exceptions import EmptyResultSet
from django.db import connections, models
from django.db.models import F
from django.db.models.expressions import RawSQL

# Decimal places of coordinates: 6 is ~10 cm on the ground, RFC 7946's recommendation.
COORDINATE_PRECISION = 6
# json_build_object takes at most 100 arguments, i.e. 50 key/value pairs.
MAX_PROPERTIES = 50
EMPTY_COLLECTION = '{"type": "FeatureCollection", "numberReturned": 0, "features": []}'


class ForcePolygonCCW(GeoFunc):
    """Exterior rings counter-clockwise, interior rings clockwise (RFC 7946 §3.1.6).

    Only areas are passed to ST_ForcePolygonCCW: PostGIS 3.3.2 (Debian 12) also reverses
    every LineString given to it, which would turn each line of a layer around.
    """

    function = "ST_ForcePolygonCCW"

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        sql, params = super().as_sql(compiler, connection, **extra_context)
        inner, inner_params = compiler.compile(self.source_expressions[0])
        return (
            f"(CASE WHEN ST_Dimension({inner}) = 2 THEN {sql} ELSE {inner} END)",
            [*inner_params, *params, *inner_params],
        )


def _feature_select(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int | None,
    offset: int,
    precision: int,
) -> tuple[str, list[Any], str, list[Any]]:
    """The ordered, sliced subselect of `rows` and the SQL of one Feature object over it.

    Returns (inner_sql, inner_params, feature_sql, feature_params); the feature SQL reads
    the subselect as `f` and takes its parameters (the property keys) before the
    subselect's own.
    """
    if len(fields) > MAX_PROPERTIES:
        raise ValueError(f"At most {MAX_PROPERTIES} properties fit in one json_build_object.")
    # Synthetic column aliases: public names may clash with model fields or with each other
    # once joins are flattened (a grid's "name" and its community's "name").
    aliases = {f"gm_p{i}": F(name) for i, name in enumerate(fields)}
    page = rows
    if offset:
        # Skip rows by id alone: PostgreSQL computes a row's select list (GeoJSON, geodesic
        # areas, joined names) before OFFSET discards it, so deep pages would cost as much
        # as all the rows before them.
        stop = offset + limit if limit is not None else None
        page = rows.filter(pk__in=rows.order_by("pk").values("pk")[offset:stop])
    selected = page.order_by("pk").values(
        gm_id=F("pk"),
        gm_geometry=AsGeoJSON(ForcePolygonCCW(geometry_field), precision=precision),
        **aliases,
    )
    if limit is not None:
        selected = selected[:limit]
    inner_sql, inner_params = selected.query.sql_with_params()

    qn = connections[rows.db].ops.quote_name
    properties = ", ".join(f"%s, f.{qn(alias)}" for alias in aliases)
    feature_sql = f"""json_build_object(
                        'type', 'Feature',
                        'id', f.gm_id,
                        'geometry', f.gm_geometry::json,
                        'properties', json_build_object({properties})
                    )"""
    return inner_sql, list(inner_params), feature_sql, list(fields)


def feature_collection_sql(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int | None = None,
    precision: int = COORDINATE_PRECISION,
) -> tuple[str, list[Any]]:
    """SQL and params of one query returning the FeatureCollection of `rows` as text.

    `fields` are property names resolvable on `rows` (fields, lookups, annotations); they
    become the keys of `properties`, in that order. Features come ordered by id.
    """
    inner_sql, inner_params, feature_sql, feature_params = _feature_select(
        rows,
        geometry_field=geometry_field,
        fields=fields,
        limit=limit,
        offset=0,
        precision=precision,
    )
    sql = f"""
        SELECT json_build_object(
            'type', 'FeatureCollection',
            'numberReturned', count(*),
            'features', COALESCE(
                json_agg({feature_sql} ORDER BY f.gm_id),
                '[]'::json
            )
        )::text
        FROM ({inner_sql}) AS f
    """  # noqa: S608 - identifiers are our own aliases; values are parameters
    # The property keys appear in the SQL text before the subselect's own parameters.
    return sql, [*feature_params, *inner_params]


def feature_page_sql(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int,
    offset: int = 0,
    count_matched: bool = True,
    precision: int = COORDINATE_PRECISION,
    plain_rows: models.QuerySet | None = None,
) -> tuple[str, list[Any]]:
    """SQL and params of one query for one page of `rows` (ordered by id): a single row of
    (number matched or NULL, number returned, the JSON array of Features as text).

    For paged APIs (OGC API items) that wrap the features in their own envelope: the
    exact number matched comes from a count subquery in the same statement, so a page
    costs one round trip however it is filtered.

    `plain_rows`, when given, are the rows the page is taken from, without the
    annotations that only make properties; `rows` are then the visible rows those
    properties come from. One scan of `plain_rows` gives both the page's ids and the
    number matched (a window count), and the properties' joins are made for the page's
    features only. The number matched is NULL when the page is past the last row.
    """
    if plain_rows is not None and count_matched:
        return _plain_page_sql(
            rows,
            plain_rows,
            geometry_field=geometry_field,
            fields=fields,
            limit=limit,
            offset=offset,
            precision=precision,
        )
    inner_sql, inner_params, feature_sql, feature_params = _feature_select(
        rows,
        geometry_field=geometry_field,
        fields=fields,
        limit=limit,
        offset=offset,
        precision=precision,
    )
    count_sql, count_params = "NULL", []
    if count_matched:
        # Only the ids: annotations that no filter uses are not computed for the count.
        matched_sql, matched_params = rows.order_by().values("pk").query.sql_with_params()
        count_sql = f"(SELECT count(*) FROM ({matched_sql}) AS m)"
        count_params = list(matched_params)
    sql = f"""
        SELECT
            {count_sql},
            count(*),
            COALESCE(json_agg({feature_sql} ORDER BY f.gm_id), '[]'::json)::text
        FROM ({inner_sql}) AS f
    """  # noqa: S608 - identifiers are our own aliases; values are parameters
    return sql, [*count_params, *feature_params, *inner_params]


def _plain_page_sql(
    rows: models.QuerySet,
    plain_rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int,
    offset: int,
    precision: int,
) -> tuple[str, list[Any]]:
    plain_sql, plain_params = plain_rows.order_by().values("pk").query.sql_with_params()
    page_rows = rows.filter(pk__in=RawSQL("SELECT gm_page.pk FROM gm_page", []))
    inner_sql, inner_params, feature_sql, feature_params = _feature_select(
        page_rows,
        geometry_field=geometry_field,
        fields=fields,
        limit=None,
        offset=0,
        precision=precision,
    )
    sql = f"""
        WITH gm_page AS MATERIALIZED (
            SELECT m.pk, count(*) OVER () AS gm_matched
            FROM ({plain_sql}) AS m
            ORDER BY m.pk
            LIMIT {int(limit)} OFFSET {int(offset)}
        )
        SELECT
            (SELECT max(gm_matched) FROM gm_page),
            count(*),
            COALESCE(json_agg({feature_sql} ORDER BY f.gm_id), '[]'::json)::text
        FROM ({inner_sql}) AS f
    """  # noqa: S608 - identifiers are our own aliases; values are parameters
    return sql, [*plain_params, *feature_params, *inner_params]


def feature_page(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int,
    offset: int = 0,
    count_matched: bool = True,
    precision: int = COORDINATE_PRECISION,
) -> tuple[int | None, int, str]:
    """(number matched or None, number returned, JSON array of Features as text) for one
    page of `rows`, built by PostgreSQL in one query (see `feature_page_sql`)."""
    try:
        sql, params = feature_page_sql(
            rows,
            geometry_field=geometry_field,
            fields=fields,
            limit=limit,
            offset=offset,
            count_matched=count_matched,
            precision=precision,
        )
    except EmptyResultSet:
        return (0 if count_matched else None), 0, "[]"
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        matched, returned, features = cursor.fetchone()
    return matched, returned, features


def feature_collection(
    rows: models.QuerySet,
    *,
    geometry_field: str,
    fields: tuple[str, ...] | list[str],
    limit: int | None = None,
    precision: int = COORDINATE_PRECISION,
) -> str:
    """The FeatureCollection of `rows` as GeoJSON text, built by PostgreSQL in one query.

    `precision`: decimal places of coordinates (exports keep more than the map needs)."""
    try:
        sql, params = feature_collection_sql(
            rows, geometry_field=geometry_field, fields=fields, limit=limit, precision=precision
        )
    except EmptyResultSet:
        # Django knows without asking that nothing matches (e.g. `none()`, `__in=[]`).
        return EMPTY_COLLECTION
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        (text,) = cursor.fetchone()
    return text
