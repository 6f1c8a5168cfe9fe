"""The one layer registry: every map layer is declared here once.

A `Layer` says which model and geometry column it draws, which properties are public, how
metric values are computed (in PostGIS), and who may see which rows. Map pages, the GeoJSON
endpoints and, later, vector tiles, OGC API Features and exports all read `registry`, so a
layer is never described twice. A Layer knows nothing about output formats: encoders take
`layer.rows(user, ...)` (a plain queryset) and turn it into GeoJSON, MVT, CSV...

Adding a layer: declare a `Layer` (or a subclass overriding `visible_rows` for special
scoping) in the app that owns the model, and `registry.register(...)` it from that app's
`AppConfig.ready()`. The five base layers are registered by `apps.core.apps.CoreConfig`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.gis.db.models import GeometryField
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import NullIf, Round
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core.geo import GeodesicArea, GeodesicLength

Annotations = Mapping[str, Any] | Callable[[], Mapping[str, Any]]

# GeoJSON geometry type names for GeoDjango's field geom_type ("GEOMETRY" for mixed layers).
GEOJSON_GEOMETRY_TYPES = {
    "POINT": "Point",
    "LINESTRING": "LineString",
    "POLYGON": "Polygon",
    "MULTIPOINT": "MultiPoint",
    "MULTILINESTRING": "MultiLineString",
    "MULTIPOLYGON": "MultiPolygon",
    "GEOMETRYCOLLECTION": "GeometryCollection",
    "GEOMETRY": "Geometry",
}


class Scope(enum.Enum):
    """Who may see a layer's rows."""

    PUBLIC = "public"  # everyone, anonymous residents too
    MEMBERS = "members"  # only people with an active membership in the row's community


def communities_for(user: Any) -> models.QuerySet:
    """Ids of the communities `user` has an active membership in; every community for a
    superuser; none for anonymous users.

    Returns a lazy `values_list` queryset, so `filter(community__in=communities_for(user))`
    stays one SQL query (a subselect), however many communities there are.
    """
    community_model = apps.get_model("regions", "Community")
    if user is None or not user.is_authenticated or not user.is_active:
        return community_model.objects.none().values_list("pk", flat=True)
    if user.is_superuser:
        return community_model.objects.values_list("pk", flat=True)
    return community_model.objects.filter(
        memberships__user=user, memberships__is_active=True
    ).values_list("pk", flat=True)


@dataclass(frozen=True)
class Layer:
    """One map layer, declared once.

    `fields` are the public property names. Each is a model field, a `__` lookup or a key
    of `annotations`; nothing private (a resident's phone, a username) may be listed.
    `community_lookup` is the path from a row to its community id ("pk" for communities
    themselves): it scopes MEMBERS layers and serves the `?community=` filter.
    """

    name: str
    title: str | Promise
    model: type[models.Model]
    geometry_field: str
    fields: tuple[str, ...]
    annotations: Annotations = field(default_factory=dict)
    label_field: str | None = None
    min_zoom: int = 0
    scope: Scope = Scope.PUBLIC
    community_lookup: str = "community"
    # The row's date or date-time that OGC API `datetime` filters and temporal extents use
    # (a field, lookup or annotation); None when the layer has no time.
    datetime_field: str | None = None
    # A layer with many features in view (buildings, reports): the map page draws it from
    # vector tiles (/tiles/<name>/{z}/{x}/{y}.pbf) when a view holds more than its threshold.
    tiles: bool = False

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"Layer name {self.name!r} must be a plain identifier.")
        if self.label_field is not None and self.label_field not in self.fields:
            raise ValueError(f"Layer {self.name!r}: label_field must be one of its fields.")

    @property
    def geometry_type(self) -> str:
        """The GeoJSON geometry type of the layer ("Geometry" when it mixes types)."""
        geometry = self.model._meta.get_field(self.geometry_field)
        # A computed column (reports' blurred `public_location`) declares its type inside.
        geometry = getattr(geometry, "output_field", geometry)
        geom_type = geometry.geom_type  # type: ignore[union-attr]
        return GEOJSON_GEOMETRY_TYPES.get(geom_type.upper(), "Geometry")

    def get_annotations(self) -> dict[str, Any]:
        """Fresh annotation expressions for a queryset (callables are called each time)."""
        annotations = self.annotations() if callable(self.annotations) else self.annotations
        return dict(annotations)

    def visible_rows(self, user: Any) -> models.QuerySet:
        """The rows `user` may see. Override in a subclass for finer scopes (e.g. a grid
        worker's own grids); keep it a queryset so encoders can add filters in SQL."""
        rows = self.model._default_manager.all()
        if self.scope is Scope.PUBLIC:
            return rows
        return rows.filter(**{f"{self.community_lookup}__in": communities_for(user)})

    def rows(
        self,
        user: Any,
        *,
        communities: Any = None,
        bbox: tuple[float, float, float, float] | None = None,
    ) -> models.QuerySet:
        """Visible rows, optionally limited to some communities (ids or an id queryset) and
        to features intersecting a lon/lat bbox, with the layer's annotations added.

        The bbox test is `ST_Intersects(geom, ST_MakeEnvelope(..., 4326))`, which PostGIS
        answers from the geometry column's GiST index.
        """
        rows = self.visible_rows(user)
        if communities is not None:
            rows = rows.filter(**{f"{self.community_lookup}__in": communities})
        if bbox is not None:
            rows = rows.filter(**{f"{self.geometry_field}__intersects": MakeEnvelope(*bbox)})
        return rows.annotate(**self.get_annotations())


class MakeEnvelope(models.Func):
    """ST_MakeEnvelope(xmin, ymin, xmax, ymax, 4326): a lon/lat box as a geometry."""

    function = "ST_MakeEnvelope"

    def __init__(self, xmin: float, ymin: float, xmax: float, ymax: float) -> None:
        values = [
            Value(float(v), output_field=models.FloatField()) for v in (xmin, ymin, xmax, ymax)
        ]
        super().__init__(*values, Value(4326), output_field=GeometryField(srid=4326))


class LayerRegistry:
    """Layers by name, in the order they were registered (bottom of the map first)."""

    def __init__(self) -> None:
        self._layers: dict[str, Layer] = {}

    def register(self, layer: Layer) -> Layer:
        if self._layers.get(layer.name, layer) is not layer:
            raise ValueError(f"A different layer named {layer.name!r} is already registered.")
        self._layers[layer.name] = layer
        return layer

    def get(self, name: str) -> Layer:
        try:
            return self._layers[name]
        except KeyError:
            known = ", ".join(self._layers) or "none"
            raise KeyError(f"No map layer named {name!r}; registered layers: {known}.") from None

    def all(self) -> list[Layer]:
        return list(self._layers.values())

    def __contains__(self, name: object) -> bool:
        return name in self._layers

    def __iter__(self) -> Iterator[Layer]:
        return iter(self.all())


registry = LayerRegistry()


def _area_m2(geometry_field: str) -> Any:
    # Geodesic square metres on the WGS 84 spheroid, rounded in SQL to 0.1 m².
    return Round(GeodesicArea(geometry_field), 1)


def _nonzero(expression: Any) -> Any:
    # A point has no area and a polygon no length: null says "not applicable", 0 would lie.
    return NullIf(expression, Value(0.0))


def _bilingual_names(prefix: str, path: str) -> dict[str, F]:
    """`<prefix>_name` and `<prefix>_name_en` annotations read through the relation `path`."""
    return {f"{prefix}_name": F(f"{path}__name"), f"{prefix}_name_en": F(f"{path}__name_en")}


def register_base_layers() -> None:
    """The five layers every gridmap has; called from CoreConfig.ready()."""
    if "communities" in registry:  # already done (ready() may run again in tests)
        return
    community = apps.get_model("regions", "Community")
    grid = apps.get_model("regions", "Grid")
    compound = apps.get_model("regions", "Compound")
    building = apps.get_model("regions", "Building")
    facility = apps.get_model("facilities", "Facility")

    registry.register(
        Layer(
            name="communities",
            title=_("Communities"),
            model=community,
            geometry_field="boundary",
            fields=(
                "code",
                "name",
                "name_en",
                "subdistrict_name",
                "subdistrict_name_en",
                "population",
                "households",
                "service_hall_hours",
                "area_m2",
            ),
            annotations=lambda: {
                **_bilingual_names("subdistrict", "subdistrict"),
                "area_m2": _area_m2("boundary"),
            },
            label_field="name",
            community_lookup="pk",
        )
    )
    registry.register(
        Layer(
            name="grids",
            title=_("Grids"),
            model=grid,
            geometry_field="boundary",
            fields=(
                "code",
                "name",
                "name_en",
                "community_id",
                "community_name",
                "community_name_en",
                "area_m2",
            ),
            annotations=lambda: {
                **_bilingual_names("community", "community"),
                "area_m2": _area_m2("boundary"),
            },
            label_field="code",
            min_zoom=12,
        )
    )
    registry.register(
        Layer(
            name="compounds",
            title=_("Compounds"),
            model=compound,
            geometry_field="boundary",
            fields=(
                "name",
                "name_en",
                "community_id",
                "community_name",
                "community_name_en",
                "property_company_name",
                "property_company_name_en",
                "area_m2",
            ),
            annotations=lambda: {
                **_bilingual_names("community", "community"),
                **_bilingual_names("property_company", "property_company"),
                "area_m2": _area_m2("boundary"),
            },
            label_field="name",
            min_zoom=13,
        )
    )
    registry.register(
        Layer(
            name="buildings",
            title=_("Buildings"),
            model=building,
            geometry_field="footprint",
            fields=(
                "number",
                "name",
                "floors",
                "households",
                "building_head_name",
                "compound_name",
                "compound_name_en",
                "community_id",
                "community_name",
                "community_name_en",
                "area_m2",
            ),
            annotations=lambda: {
                # The building head is shown by display name only: never a username or
                # phone number, which people often use as their login.
                "building_head_name": NullIf(F("building_head__display_name"), Value("")),
                **_bilingual_names("compound", "compound"),
                **_bilingual_names("community", "community"),
                "area_m2": _area_m2("footprint"),
            },
            label_field="number",
            min_zoom=15,
            tiles=True,
        )
    )
    registry.register(
        Layer(
            name="facilities",
            title=_("Facilities"),
            model=facility,
            geometry_field="geom",
            fields=(
                "name",
                "name_en",
                "kind",
                "status",
                "opening_hours",
                "capacity",
                "completed_on",
                "managing_organisation_name",
                "managing_organisation_name_en",
                "community_id",
                "community_name",
                "community_name_en",
                "area_m2",
                "length_m",
            ),
            annotations=lambda: {
                **_bilingual_names("managing_organisation", "managing_organisation"),
                **_bilingual_names("community", "community"),
                "area_m2": _nonzero(_area_m2("geom")),
                "length_m": _nonzero(Round(GeodesicLength("geom"), 1)),
            },
            label_field="name",
            min_zoom=13,
            datetime_field="completed_on",
        )
    )
