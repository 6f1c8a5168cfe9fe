"""Which layers can be imported, and how: natural keys, columns, references to other rows.

An `Importer` upserts rows of one registry layer by its natural key (a grid by its
community's code and its own code, ...). References (foreign keys) are resolved in bulk,
one query per reference: by a code or name column, by a default given on the command line
(`--community DR`), or, for the community, by where the feature lies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Reference:
    """A foreign key filled from the file.

    `lookups`: (column, field of the referenced model), in order of preference.
    `within`: another reference of the same row that scopes the lookup (a compound is
    found by name within the row's community). `locate`: the referenced model's geometry
    field; rows that name no value get the referenced row their feature lies in.
    `export`: (column, ORM path) added to exports so that a round trip can resolve it again.
    """

    field: str
    model: str
    lookups: tuple[tuple[str, str], ...]
    required: bool = True
    within: str | None = None
    locate: str | None = None
    export: tuple[tuple[str, str], ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(column for column, _lookup in self.lookups)

    def related_model(self) -> type[models.Model]:
        return apps.get_model(self.model)


@dataclass(frozen=True)
class Importer:
    """How rows of one layer are read from a file and upserted."""

    layer: str
    model: str
    geometry_field: str
    key: tuple[str, ...]  # natural key as attribute names ("community_id", "code")
    columns: tuple[str, ...]  # model fields copied from columns of the same name
    references: tuple[Reference, ...] = ()
    # The one geometry type the model takes; single-part multis and polygons are adapted
    # to it. None when the model decides (a facility's kind decides its types).
    geometry_type: str | None = None

    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def known_columns(self) -> tuple[str, ...]:
        return (*self.columns, *(c for ref in self.references for c in ref.columns))

    @property
    def export_columns(self) -> dict[str, str]:
        return {column: path for ref in self.references for column, path in ref.export}


COMMUNITY = Reference(
    field="community",
    model="regions.Community",
    lookups=(("community_code", "code"), ("community_name", "name")),
    locate="boundary",
    export=(("community_code", "community__code"),),
)

IMPORTERS = {
    importer.layer: importer
    for importer in (
        Importer(
            layer="communities",
            model="regions.Community",
            geometry_field="boundary",
            geometry_type="MultiPolygon",
            key=("code",),
            columns=(
                "code",
                "name",
                "name_en",
                "established_on",
                "population",
                "households",
                "party_members",
                "integrity_team_size",
                "service_hall_hours",
            ),
            references=(
                Reference(
                    field="subdistrict",
                    model="regions.Subdistrict",
                    lookups=(("subdistrict_code", "code"), ("subdistrict_name", "name")),
                    export=(("subdistrict_code", "subdistrict__code"),),
                ),
            ),
        ),
        Importer(
            layer="grids",
            model="regions.Grid",
            geometry_field="boundary",
            geometry_type="Polygon",
            key=("community_id", "code"),
            columns=("code", "name", "name_en"),
            references=(COMMUNITY,),
        ),
        Importer(
            layer="compounds",
            model="regions.Compound",
            geometry_field="boundary",
            geometry_type="Polygon",
            key=("community_id", "name"),
            columns=("name", "name_en"),
            references=(
                COMMUNITY,
                Reference(
                    field="property_company",
                    model="accounts.Organisation",
                    lookups=(("property_company_name", "name"),),
                    required=False,
                ),
            ),
        ),
        Importer(
            layer="buildings",
            model="regions.Building",
            geometry_field="footprint",
            geometry_type="Polygon",
            key=("community_id", "number"),
            columns=("number", "name", "floors", "households"),
            references=(
                COMMUNITY,
                Reference(
                    field="compound",
                    model="regions.Compound",
                    lookups=(("compound_name", "name"),),
                    required=False,
                    within="community",
                ),
            ),
        ),
        Importer(
            layer="facilities",
            model="facilities.Facility",
            geometry_field="geom",
            key=("community_id", "kind", "name"),
            columns=(
                "kind",
                "name",
                "name_en",
                "status",
                "opening_hours",
                "capacity",
                "description",
                "completed_on",
            ),
            references=(
                COMMUNITY,
                Reference(
                    field="managing_organisation",
                    model="accounts.Organisation",
                    lookups=(("managing_organisation_name", "name"),),
                    required=False,
                ),
            ),
        ),
    )
}


def resolve_reference(
    reference: Reference,
    values: dict[int, Any],
    *,
    scopes: dict[int, int | None] | None = None,
) -> tuple[dict[int, int], dict[int, str]]:
    """Ids of the referenced rows for `values` (row index → (lookup, value)), in one query
    per lookup; and the rows whose value matched nothing, with the reason."""
    model = reference.related_model()
    found: dict[int, int] = {}
    problems: dict[int, str] = {}
    by_lookup: dict[str, dict[int, Any]] = {}
    for row, (lookup, value) in values.items():
        by_lookup.setdefault(lookup, {})[row] = value
    for lookup, wanted in by_lookup.items():
        rows = model._default_manager.filter(**{f"{lookup}__in": set(wanted.values())})
        if reference.within and scopes is not None:
            rows = rows.filter(**{f"{reference.within}__in": {s for s in scopes.values() if s}})
            within = f"{reference.within}_id"
            index = {(getattr(obj, within), getattr(obj, lookup)): obj.pk for obj in rows}
            keys = {row: (scopes.get(row), value) for row, value in wanted.items()}
        else:
            index = {getattr(obj, lookup): obj.pk for obj in rows}
            keys = dict(wanted)
        for row, key in keys.items():
            if key in index:
                found[row] = index[key]
            else:
                problems[row] = _("no %(model)s with %(lookup)s “%(value)s”") % {
                    "model": model._meta.verbose_name,
                    "lookup": getattr(model._meta.get_field(lookup), "verbose_name", lookup),
                    "value": wanted[row],
                }
    return found, problems


def locate_rows(reference: Reference, wkb_by_row: dict[int, bytes]) -> dict[int, int]:
    """For each row's geometry, the referenced row (e.g. community) that contains a point
    on its surface — one query for all rows, answered from the GiST index."""
    if not wkb_by_row or reference.locate is None:
        return {}
    model = reference.related_model()
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    geometry = qn(str(getattr(model._meta.get_field(reference.locate), "column", "")))
    pk = qn(str(model._meta.pk.column))  # type: ignore[union-attr]
    sql = f"""
        SELECT p.i, (
            SELECT c.{pk} FROM {table} AS c
            WHERE ST_Intersects(c.{geometry}, ST_PointOnSurface(ST_GeomFromWKB(p.wkb, 4326)))
            ORDER BY c.{pk} LIMIT 1
        )
        FROM unnest(%s::int[], %s::bytea[]) AS p(i, wkb)
    """  # noqa: S608 - identifiers come from the model's own metadata
    rows = list(wkb_by_row)
    with connection.cursor() as cursor:
        cursor.execute(sql, [rows, [wkb_by_row[row] for row in rows]])
        return {row: pk for row, pk in cursor.fetchall() if pk is not None}
