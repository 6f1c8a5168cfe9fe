"""The database side of `make bench`, run inside Django against the bench database.

- `views`: the schema `bench` with one view per measured layer (reports, buildings), whose
  SQL is gridmap's own anonymous query of that layer (`Layer.rows(AnonymousUser())`): tipg
  and pygeoapi read the same rows, geometry and public properties as gridmap serves, and do
  the same joins, but never see a private column (a report's description or phone number).
- `pgbench`: the SQL gridmap sends for an items page and for a z15 tile, with the bbox and
  the tile as pgbench variables, so the "raw SQL" runs are exactly gridmap's statements.
- `points`: random points inside served communities for the submission run.

Prints one JSON document (what bench/run.py needs: extent, category, counts) on stdout.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

import django

# Sentinel values that stand for pgbench variables in gridmap's SQL: distinctive numbers
# that appear nowhere else in the statements (checked below).
BBOX_SENTINELS = (101.123457, 21.234568, 101.345679, 21.456791)
BBOX_VARIABLES = (":xmin", ":ymin", ":xmax", ":ymax")
TILE_SENTINELS = (31111, 12221)
TILE_VARIABLES = (":tx", ":ty")
LAYERS = ("reports", "buildings")
ZOOM = 15


def main() -> None:
    out = Path(sys.argv[1])
    seed = int(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    django.setup()

    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.utils import translation

    from apps.core.layers import registry
    from apps.reports.models import Category

    anonymous = AnonymousUser()
    # Anonymous visitors get the site's language; status labels are part of the properties.
    translation.activate("zh-hans")
    result: dict[str, Any] = {"layers": {}}
    with connection.cursor() as cursor:
        cursor.execute("CREATE SCHEMA IF NOT EXISTS bench")
        for name in LAYERS:
            layer = registry.get(name)
            rows = layer.rows(anonymous).order_by()
            select = rows.values("pk", layer.geometry_field, *layer.fields)
            inner_sql, inner_params = select.query.sql_with_params()
            inner = cursor.mogrify(inner_sql, inner_params).decode()
            # values() reads geometry as ::bytea (for GEOS); the view keeps the column as it
            # is, so that its type (and SRID) is what the peers find in geometry_columns.
            table = layer.model._meta.db_table
            column = layer.model._meta.get_field(layer.geometry_field).column  # type: ignore[union-attr]
            inner = inner.replace(f'"{table}"."{column}"::bytea', f'"{table}"."{column}"')
            columns = ", ".join(f's."{field}"' for field in layer.fields)
            cursor.execute(f"DROP VIEW IF EXISTS bench.{name}")
            cursor.execute(
                f'CREATE VIEW bench.{name} AS SELECT s."pk" AS id, s."{layer.geometry_field}" '
                f"AS geom, {columns} FROM ({inner}) AS s"
            )
            cursor.execute(f"SELECT count(*) FROM bench.{name}")
            (count,) = cursor.fetchone()
            result["layers"][name] = {"rows": count, "fields": list(layer.fields)}
            (out / f"items_{name}.sql").write_text(_items_script(layer, anonymous, cursor))
            (out / f"tiles_{name}.sql").write_text(_tile_script(layer, anonymous, cursor))
        cursor.execute(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) "
            "FROM (SELECT ST_Extent(boundary)::geometry AS e FROM regions_community) AS x"
        )
        xmin, ymin, xmax, ymax = cursor.fetchone()
        # Enough points for every submission of the run to land somewhere different.
        cursor.execute(
            "SELECT ST_X(p.geom), ST_Y(p.geom) FROM ("
            "  SELECT (ST_Dump(ST_GeneratePoints(boundary, 4, %s))).geom"
            "  FROM regions_community WHERE NOT ST_IsEmpty(boundary) ORDER BY id LIMIT 2000"
            ") AS p",
            [seed],
        )
        points = cursor.fetchall()
    (out / "points.txt").write_text("".join(f"{x:.7f} {y:.7f}\n" for x, y in points))
    category = Category.objects.filter(is_active=True).order_by("sort_order", "pk").first()
    tiles = _tile_range(xmin, ymin, xmax, ymax)
    for name in LAYERS:
        for kind in ("items", "tiles"):
            script = out / f"{kind}_{name}.sql"
            header = _pgbench_header(kind, (xmin, ymin, xmax, ymax), tiles)
            script.write_text(header + script.read_text())
    result.update(
        extent=[xmin, ymin, xmax, ymax],
        tiles=tiles,
        category=category.code if category else None,
        points=len(points),
    )
    print(json.dumps(result))


def _replace(sql: str, sentinels: tuple[Any, ...], variables: tuple[str, ...]) -> str:
    for sentinel, variable in zip(sentinels, variables, strict=True):
        text = repr(sentinel)
        if text not in sql:
            raise SystemExit(f"bench: {text} is not in the SQL; cannot make a pgbench script.")
        sql = sql.replace(text, variable)
    return sql


def _items_script(layer: Any, user: Any, cursor: Any) -> str:
    """gridmap's items query (apps.ogcapi.selectors.items_page_sql) for bbox=:xmin,...,
    limit=100."""
    from apps.ogcapi.params import ItemsQuery
    from apps.ogcapi.selectors import items_page_sql

    query = ItemsQuery(bbox=BBOX_SENTINELS, limit=100, offset=0, time=None, properties={})
    sql, params = items_page_sql(layer, user, query)
    text = cursor.mogrify(sql, params).decode()
    return " ".join(_replace(text, BBOX_SENTINELS, BBOX_VARIABLES).split()) + ";\n"


def _tile_script(layer: Any, user: Any, cursor: Any) -> str:
    """gridmap's tile query (apps.ogcapi.tiles.tile_sql) for the tile 15/:tx/:ty."""
    from apps.ogcapi.tiles import tile_sql

    sql, params = tile_sql(layer, layer.rows(user), ZOOM, *TILE_SENTINELS)
    text = cursor.mogrify(sql, params).decode()
    return " ".join(_replace(text, TILE_SENTINELS, TILE_VARIABLES).split()) + ";\n"


def _tile_range(xmin: float, ymin: float, xmax: float, ymax: float) -> list[int]:
    def tile_x(lon: float) -> int:
        return math.floor((lon + 180) / 360 * 2**ZOOM)

    def tile_y(lat: float) -> int:
        r = math.radians(lat)
        return math.floor((1 - math.log(math.tan(r) + 1 / math.cos(r)) / math.pi) / 2 * 2**ZOOM)

    return [tile_x(xmin), tile_y(ymax), tile_x(xmax), tile_y(ymin)]


def _pgbench_header(kind: str, extent: tuple[float, ...], tiles: list[int]) -> str:
    if kind == "tiles":
        return f"\\set tx random({tiles[0]}, {tiles[2]})\n\\set ty random({tiles[1]}, {tiles[3]})\n"
    xmin, ymin, xmax, ymax = extent
    # Micro-degree steps: the same uniform 0.01° boxes inside the city as the wrk scripts.
    span_x = max(0, int((xmax - xmin - 0.01) * 1e6))
    span_y = max(0, int((ymax - ymin - 0.01) * 1e6))
    return (
        f"\\set xmin {xmin!r} + random(0, {span_x}) * 0.000001\n"
        f"\\set ymin {ymin!r} + random(0, {span_y}) * 0.000001\n"
        "\\set xmax :xmin + 0.01\n"
        "\\set ymax :ymin + 0.01\n"
    )


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridmap.settings.local")
    main()
