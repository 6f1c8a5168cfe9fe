"""Finding places on our own map data, for maps that have no basemap to read.

Two questions a resident's map asks:

- `place_search`: "where is 中交中央公园 D2 / D2-1栋 / 牛津街?" — communities, grids,
  compounds, buildings, facilities and works whose names match every word typed, ranked
  (exact name, then a name that starts or ends with it, then any match) and answered by
  PostgreSQL in one query (a UNION ALL over the layers).
- `place_at`: "what is at this point?" — the community, grid, compound and the nearest
  building within a few metres, to confirm a pin in words; and when the point is outside
  every community, the nearest one.

Rows come from the layer registry's `visible_rows(user)`, so search shows exactly what the
map may show a person (decided works for everyone; proposals only to their planners) and
matches only public fields: never a building head, a reporter or anything private.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.db.models.functions import AsGeoJSON
from django.contrib.gis.geos import Point
from django.db import models
from django.db.models import Case, F, Func, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Lower, Replace
from django.db.models.lookups import EndsWith, Exact, StartsWith
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.layers import registry
from apps.facilities.models import FacilityKind
from apps.regions.models import Building, Community, Compound, Grid

MAX_QUERY_LENGTH = 50
DEFAULT_LIMIT = 8
MAX_LIMIT = 20
# A pin this close to a building's footprint is "near" it (a doorway, the path in front).
NEAR_BUILDING_M = 25.0
# Communities nearest by bounding box, among which the nearest in metres is chosen.
NEAREST_CANDIDATES = 5


# --- SQL helpers ----------------------------------------------------------------------------


class _Coordinate(Func):
    """ST_XMin/ST_YMin/ST_XMax/ST_YMax of a geometry's bounding box, in degrees."""

    output_field = models.FloatField()

    def __init__(self, function: str, expression: Any) -> None:
        self.function = function
        super().__init__(expression)


class _PointOnSurface(Func):
    """A point guaranteed to lie on the geometry (inside a polygon, on a line)."""

    function = "ST_PointOnSurface"
    output_field = GeometryField(srid=4326)


class _GeodesicDistance(Func):
    """Metres between a geometry column and a WGS 84 point, on the spheroid."""

    function = "ST_Distance"
    template = "%(function)s((%(expressions)s)::geography)"
    arg_joiner = ")::geography, ("
    output_field = models.FloatField()

    def __init__(self, geometry: str, point: Point) -> None:
        where = RawSQL("ST_GeomFromEWKT(%s)", [point.ewkt], output_field=GeometryField(srid=4326))
        super().__init__(F(geometry), where)


def _squeezed(expression: Any) -> Any:
    """Lower case, without spaces: "中交中央公园 D2" and "中交中央公园d2" compare equal."""
    text = models.TextField()
    return Lower(Replace(expression, Value(" "), Value(""), output_field=text), output_field=text)


def _haystack(*fields: str) -> Any:
    parts: list[Any] = []
    for name in fields:
        if parts:
            parts.append(Value("|"))
        parts.append(Concat(F(name), Value(""), output_field=models.TextField()))
    return _squeezed(Concat(*parts, output_field=models.TextField()))


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return F(value)
    return value


# --- search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Searchable:
    """How one registry layer is searched: its name field, the fields matched, the lines
    shown under a result."""

    layer: str
    kind: str
    label: Any
    primary: str
    primary_en: Any
    haystack: tuple[str, ...]
    context: Any
    context_en: Any
    detail: Any


# Order = the order of kinds in results of the same rank: a compound before its buildings.
SEARCHABLE = (
    _Searchable(
        "compounds", "compound", gettext_lazy("Compound"), "name", "name_en",
        ("name", "name_en", "community__name"), "community__name", "community__name_en",
        Value(""),
    ),
    _Searchable(
        "buildings", "building", gettext_lazy("Building"), "number", Value(""),
        ("number", "name", "compound__name", "compound__name_en"),
        "compound__name", "compound__name_en", Value(""),
    ),
    _Searchable(
        "facilities", "facility", gettext_lazy("Facility"), "name", "name_en",
        ("name", "name_en"), "community__name", "community__name_en", "kind",
    ),
    _Searchable(
        "works", "work", gettext_lazy("Work"), "name", "name_en",
        ("name", "name_en"), "community__name", "community__name_en", Value(""),
    ),
    _Searchable(
        "communities", "community", gettext_lazy("Community"), "name", "name_en",
        ("name", "name_en", "code"), "subdistrict__name", "subdistrict__name_en", Value(""),
    ),
    _Searchable(
        "grids", "grid", gettext_lazy("Grid"), "code", Value(""),
        ("code", "name", "community__name"), "community__name", "community__name_en",
        Value(""),
    ),
)  # fmt: skip

_COLUMNS = (
    "kind_order",
    "rank",
    "distance",
    "object_id",
    "label",
    "label_en",
    "context",
    "context_en",
    "detail",
    "xmin",
    "ymin",
    "xmax",
    "ymax",
    "px",
    "py",
    "geojson",
)


def query_words(query: str) -> list[str]:
    """The words of a query, lower case (whitespace, including ideographic, splits them)."""
    return [word.lower() for word in query.split()]


def _matches(
    spec: _Searchable, order: int, user: Any, words: list[str], near: Point | None
) -> QuerySet:
    layer = registry.get(spec.layer)
    geometry = layer.geometry_field
    squeezed_query = "".join(words)
    primary = _squeezed(F(spec.primary))
    rows = layer.visible_rows(user).annotate(search_text=_haystack(*spec.haystack))
    for word in words:
        rows = rows.filter(search_text__contains=word)
    point = _PointOnSurface(F(geometry))
    return rows.annotate(
        kind_order=Value(order, output_field=IntegerField()),
        rank=Case(
            When(Exact(primary, Value(squeezed_query)), then=Value(0)),
            When(Exact(primary, Value(squeezed_query + "栋")), then=Value(0)),
            When(StartsWith(primary, Value(squeezed_query)), then=Value(1)),
            When(EndsWith(primary, Value(squeezed_query)), then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        distance=(
            _GeodesicDistance(geometry, near)
            if near is not None
            else Value(0.0, output_field=models.FloatField())
        ),
        object_id=F("pk"),
        label=Concat(F(spec.primary), Value(""), output_field=models.TextField()),
        label_en=Concat(_text(spec.primary_en), Value(""), output_field=models.TextField()),
        context=Concat(_text(spec.context), Value(""), output_field=models.TextField()),
        context_en=Concat(_text(spec.context_en), Value(""), output_field=models.TextField()),
        detail=Concat(_text(spec.detail), Value(""), output_field=models.TextField()),
        xmin=_Coordinate("ST_XMin", F(geometry)),
        ymin=_Coordinate("ST_YMin", F(geometry)),
        xmax=_Coordinate("ST_XMax", F(geometry)),
        ymax=_Coordinate("ST_YMax", F(geometry)),
        px=_Coordinate("ST_X", point),
        py=_Coordinate("ST_Y", point),
        geojson=AsGeoJSON(F(geometry), precision=6),
    ).values(*_COLUMNS)


def place_search(
    query: str,
    *,
    user: Any,
    language: str = "zh-hans",
    near: Point | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[dict[str, Any]]:
    """Places whose public names match every word of `query`, best first, at most `limit`.

    One SQL query. Each result has the kind, its translated label, the name in the user's
    language (`name`), a line of context (its compound, community or facility kind), the
    bounding box [minlon, minlat, maxlon, maxlat], a point on the feature [lon, lat] and
    its GeoJSON geometry (6 decimals, ~10 cm).
    `near` breaks ties by distance (the map's centre: the D2 nearest the person first).
    """
    words = query_words(query)
    if not words:
        return []
    parts = [_matches(spec, order, user, words, near) for order, spec in enumerate(SEARCHABLE)]
    union = parts[0].union(*parts[1:], all=True).order_by("rank", "kind_order", "distance", "label")
    english = language.lower().startswith("en")
    results = []
    for row in union[:limit]:
        spec = SEARCHABLE[row["kind_order"]]
        name = (english and row["label_en"]) or row["label"]
        context = (english and row["context_en"]) or row["context"]
        if spec.kind == "facility" and row["detail"] in FacilityKind.values:
            context = (
                f"{FacilityKind(row['detail']).label} · {context}"
                if context
                else str(FacilityKind(row["detail"]).label)
            )
        results.append(
            {
                "kind": spec.kind,
                "kind_label": str(spec.label),
                "id": row["object_id"],
                "name": name,
                "context": context,
                "bbox": [round(row[k], 7) for k in ("xmin", "ymin", "xmax", "ymax")],
                "point": [round(row["px"], 7), round(row["py"], 7)],
                # The shape itself, to be outlined: a road or a parking strip is not on the
                # map's own layers.
                "geometry": json.loads(row["geojson"]),
            }
        )
    return results


# --- what is here -----------------------------------------------------------------------------


def _bbox(extent: tuple[float, float, float, float] | None) -> list[float] | None:
    return [round(v, 7) for v in extent] if extent else None


def place_at(point: Point, *, language: str = "zh-hans") -> dict[str, Any]:
    """What a pin at `point` lands on, in words: inside a served community, its grid,
    compound and the nearest building within NEAR_BUILDING_M, with `label` the phrase that
    names the place ("中交中央公园D2 D2-1栋附近"); outside, the nearest served community
    (`nearest`, with its distance in metres and bounding box) to offer instead.

    Communities, grids, compounds and buildings are public layers: nothing here is private.
    """
    english = language.lower().startswith("en")

    def name(obj: Any) -> str:
        english_name: str = getattr(obj, "name_en", "") if english else ""
        return english_name or str(obj.name)

    community = (
        Community.objects.filter(boundary__covers=point)
        .annotate(
            xmin=_Coordinate("ST_XMin", F("boundary")),
            ymin=_Coordinate("ST_YMin", F("boundary")),
            xmax=_Coordinate("ST_XMax", F("boundary")),
            ymax=_Coordinate("ST_YMax", F("boundary")),
        )
        .order_by("code")
        .first()
    )
    if community is None:
        # The GiST index's nearest-neighbour order (<->, in degrees) picks a few candidates;
        # metres on the spheroid then decide among them.
        candidates = Community.objects.order_by(
            RawSQL("boundary <-> ST_GeomFromEWKT(%s)", [point.ewkt])
        ).values("pk")[:NEAREST_CANDIDATES]
        nearest = (
            Community.objects.filter(pk__in=candidates)
            .annotate(
                distance=_GeodesicDistance("boundary", point),
                xmin=_Coordinate("ST_XMin", F("boundary")),
                ymin=_Coordinate("ST_YMin", F("boundary")),
                xmax=_Coordinate("ST_XMax", F("boundary")),
                ymax=_Coordinate("ST_YMax", F("boundary")),
            )
            .order_by("distance", "code")
            .first()
        )
        return {
            "inside": False,
            "label": None,
            "detail": _("This place is outside the communities this service covers."),
            "nearest": None
            if nearest is None
            else {
                "id": nearest.pk,
                "name": name(nearest),
                "distance_m": round(nearest.distance),  # type: ignore[attr-defined]
                "bbox": _bbox(
                    (nearest.xmin, nearest.ymin, nearest.xmax, nearest.ymax)  # type: ignore[attr-defined]
                ),
            },
        }
    grid = Grid.objects.filter(community=community, boundary__covers=point).order_by("code").first()
    compound = (
        Compound.objects.filter(community=community, boundary__covers=point).order_by("pk").first()
    )
    building = (
        Building.objects.filter(community=community)
        # A box test the footprints' GiST index answers, before metres on the spheroid:
        # 0.001° is over 25 m in both directions below latitude 77°.
        .filter(footprint__dwithin=(point, 0.001))
        .annotate(distance=_GeodesicDistance("footprint", point))
        .filter(distance__lte=NEAR_BUILDING_M)
        .select_related("compound")
        .order_by("distance", "number")
        .first()
    )
    if building is not None:
        owner = building.compound or compound
        place = f"{name(owner)} {building.number}" if owner else building.number
        label = _("near %(place)s") % {"place": place}
    elif compound is not None:
        label = _("in %(place)s") % {"place": name(compound)}
    elif grid is not None:
        label = _("in %(community)s, grid %(grid)s") % {
            "community": name(community),
            "grid": grid.code,
        }
    else:
        label = _("in %(place)s") % {"place": name(community)}
    return {
        "inside": True,
        "label": label,
        "community": {
            "id": community.pk,
            "name": name(community),
            "bbox": _bbox(
                (community.xmin, community.ymin, community.xmax, community.ymax)  # type: ignore[attr-defined]
            ),
        },
        "grid": {"code": grid.code} if grid else None,
        "compound": {"name": name(compound)} if compound else None,
        "building": {"number": building.number} if building else None,
    }


def served_communities(
    *, language: str = "zh-hans", ids: Any = None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Served communities (all, or those with `ids`) by code, at most `limit`, each with its
    bounding box: the buttons of a chooser, or where a map opens."""
    english = language.lower().startswith("en")
    rows = Community.objects.select_related("subdistrict").annotate(
        xmin=_Coordinate("ST_XMin", F("boundary")),
        ymin=_Coordinate("ST_YMin", F("boundary")),
        xmax=_Coordinate("ST_XMax", F("boundary")),
        ymax=_Coordinate("ST_YMax", F("boundary")),
    )
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    rows = rows.order_by("code")
    if limit is not None:
        rows = rows[:limit]
    return [
        {
            "id": c.pk,
            "name": (english and c.name_en) or c.name,
            "context": (english and c.subdistrict.name_en) or c.subdistrict.name,
            "bbox": _bbox((c.xmin, c.ymin, c.xmax, c.ymax)),  # type: ignore[attr-defined]
        }
        for c in rows
    ]
