"""Reads behind OGC API – Features and the vector tiles, all over the layer registry.

Nothing here names a layer: every registered layer is a collection, with its row rules
(`Layer.rows(user, ...)`) and public fields. Anonymous visitors get the public layers only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import F
from django.utils.translation import gettext as _

from apps.core.geojson import feature_page
from apps.core.layers import Layer, Scope, registry

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
    with connection.cursor() as cursor:
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


def items_page(layer: Layer, user: Any, query: ItemsQuery) -> tuple[int, int, str]:
    """(number matched, number returned, JSON array of Features) of one page, built by
    PostgreSQL in one query."""
    rows = filtered_rows(layer, user, query)
    matched, returned, features = feature_page(
        rows,
        geometry_field=layer.geometry_field,
        fields=layer.fields,
        limit=query.limit,
        offset=query.offset,
    )
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
