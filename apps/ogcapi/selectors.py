"""Reads behind OGC API – Features and the vector tiles, all over the layer registry.

Nothing here names a layer: every registered layer is a collection, with its row rules
(`Layer.rows(user, ...)`) and public fields. Anonymous visitors get the public layers only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, models, router
from django.db.models import F
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from apps.core.geojson import feature_page, feature_page_sql
from apps.core.layers import Layer, MakeEnvelope, Scope, registry

from .compiled import FLOAT_SENTINELS, compiled_sql
from .params import ItemsQuery, OgcParameterError, output_field, property_condition, time_condition


@dataclass(frozen=True)
class Extent:
    """Where and when a collection's visible rows are: a lon/lat bbox and a time span."""

    bbox: tuple[float, float, float, float] | None
    start: dt.datetime | dt.date | None
    end: dt.datetime | dt.date | None


def visible_layers(user: Any) -> list[Layer]:
    """The layers `user` may open: every one when signed in, the public ones otherwise."""
    signed_in = bool(user is not None and user.is_authenticated)
    return [layer for layer in registry if signed_in or layer.scope is Scope.PUBLIC]


def visible_layer(name: str, user: Any) -> Layer | None:
    return next((layer for layer in visible_layers(user) if layer.name == name), None)


def is_shared_cacheable(layer: Layer) -> bool:
    """True when every visitor sees the same rows of `layer` (a public layer that does not
    refine `visible_rows`), so that responses may sit in shared caches."""
    return layer.scope is Scope.PUBLIC and type(layer).visible_rows is Layer.visible_rows


def collection_extents(layers: list[Layer], user: Any) -> dict[str, Extent]:
    """ST_Extent and min/max of the datetime field of each layer's visible rows, for all
    `layers` in one query (a UNION ALL of one aggregate per layer)."""
    parts: list[str] = []
    params: list[Any] = []
    for layer in layers:
        values: dict[str, Any] = {"gm_geom": F(layer.geometry_field)}
        if layer.datetime_field:
            values["gm_time"] = F(layer.datetime_field)
        try:
            inner_sql, inner_params = (
                layer.rows(user).order_by().values(**values).query.sql_with_params()
            )
        except EmptyResultSet:
            continue
        if layer.datetime_field:
            times = "min(s.gm_time)::text AS t0, max(s.gm_time)::text AS t1"
        else:
            times = "NULL::text AS t0, NULL::text AS t1"
        parts.append(
            "SELECT %s::text, ST_XMin(e.box), ST_YMin(e.box), ST_XMax(e.box), ST_YMax(e.box),"
            f" e.t0, e.t1 FROM (SELECT ST_Extent(s.gm_geom) AS box, {times}"
            f" FROM ({inner_sql}) AS s) AS e"
        )
        params.extend([layer.name, *inner_params])
    extents = {layer.name: Extent(None, None, None) for layer in layers}
    if not parts:
        return extents
    time_types = {layer.name: _time_type(layer, user) for layer in layers}
    # The replica when apps.core.db_router routes this request's reads there.
    with connections[router.db_for_read(layers[0].model)].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for name, xmin, ymin, xmax, ymax, start, end in cursor.fetchall():
            bbox = (xmin, ymin, xmax, ymax) if xmin is not None else None
            kind = time_types[name]
            extents[name] = Extent(bbox, _parse_time(start, kind), _parse_time(end, kind))
    return extents


def _time_type(layer: Layer, user: Any) -> str | None:
    if not layer.datetime_field:
        return None
    field = output_field(layer.rows(user), layer.datetime_field)
    return "datetime" if isinstance(field, models.DateTimeField) else "date"


def _parse_time(text: str | None, kind: str | None) -> dt.datetime | dt.date | None:
    """PostgreSQL's text of a date ("2024-06-28") or timestamptz ("2024-06-28 08:00:00+00")."""
    if text is None or kind is None:
        return None
    if kind == "date":
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)


def filtered_rows(layer: Layer, user: Any, query: ItemsQuery) -> models.QuerySet:
    """The layer's visible rows filtered by bbox, datetime and property values, in SQL."""
    rows = layer.rows(user, bbox=query.bbox)
    if query.time is not None:
        if not layer.datetime_field:
            raise OgcParameterError(
                "datetime",
                _("The collection “%(name)s” has no date or time to filter on.")
                % {"name": layer.name},
            )
        rows = rows.filter(time_condition(rows, layer.datetime_field, query.time))
    for name, value in query.properties.items():
        rows = rows.filter(property_condition(rows, name, value))
    return rows


def is_anonymous(user: Any) -> bool:
    return user is None or not user.is_authenticated


def items_page_sql(layer: Layer, user: Any, query: ItemsQuery) -> tuple[str, list[Any]]:
    """SQL and params of the one query behind an items page: (number matched or NULL past
    the last page, number returned, JSON array of Features as text)."""
    if query.time is not None or query.properties:
        return feature_page_sql(
            filtered_rows(layer, user, query),
            geometry_field=layer.geometry_field,
            fields=layer.fields,
            limit=query.limit,
            offset=query.offset,
        )
    # Only a bbox filters: the page's ids and count come from the rows without the
    # properties' joins, the properties from the visible rows of those ids (the bbox is
    # not tested twice, which would make PostgreSQL expect one row and join by scanning).
    plain = layer.visible_rows(user)
    if query.bbox is not None:
        plain = plain.filter(**{f"{layer.geometry_field}__intersects": MakeEnvelope(*query.bbox)})
    return feature_page_sql(
        layer.rows(user),
        geometry_field=layer.geometry_field,
        fields=layer.fields,
        limit=query.limit,
        offset=query.offset,
        plain_rows=plain,
    )


def items_page(layer: Layer, user: Any, query: ItemsQuery) -> tuple[int, int, str]:
    """(number matched, number returned, JSON array of Features) of one page, built by
    PostgreSQL in one query (`items_page_sql`)."""

    def build(bbox: Sequence[Any]) -> tuple[str, list[Any]]:
        box = (bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None
        return items_page_sql(layer, user, replace(query, bbox=box))

    try:
        if is_anonymous(user) and query.time is None and not query.properties:
            # The common anonymous page differs from the next only in its bbox: reuse the
            # SQL (apps.ogcapi.compiled). Time and property filters are built each time.
            sentinels = FLOAT_SENTINELS if query.bbox else ()
            key = (
                "items",
                layer.name,
                id(layer),
                get_language(),
                query.limit,
                query.offset,
                len(sentinels),
            )
            sql, params = compiled_sql(key, build, sentinels, query.bbox or (), keep=layer)
        else:
            sql, params = build(query.bbox or ())
    except EmptyResultSet:
        return 0, 0, "[]"
    # The replica when apps.core.db_router routes this request's reads there.
    with connections[router.db_for_read(layer.model)].cursor() as cursor:
        cursor.execute(sql, params)
        matched, returned, features = cursor.fetchone()
    if matched is None and query.offset > 0:
        # A page past the last row has no window count to read it from.
        matched = filtered_rows(layer, user, query).count()
    return matched or 0, returned, features


def item_json(layer: Layer, user: Any, feature_id: int) -> str | None:
    """One visible Feature as GeoJSON text, or None when there is no such row for `user`."""
    rows = layer.rows(user).filter(pk=feature_id)
    _matched, returned, features = feature_page(
        rows,
        geometry_field=layer.geometry_field,
        fields=layer.fields,
        limit=1,
        count_matched=False,
    )
    if not returned:
        return None
    # json_agg of one object: "[{...}]"; the object itself is between the brackets.
    return features.strip()[1:-1]
