"""The planner's works list as CSV and GeoJSON: same filters, same rows, built in PostGIS.

GeoJSON goes through apps.core.geojson (one query, RFC 7946). The CSV carries the site as a
`WKT` column (ST_AsText), which GDAL/QGIS/GeoPandas read back as geometry, and starts with
a UTF-8 byte order mark so that spreadsheet programs show the Chinese names.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.gis.db.models.functions import GeoFunc
from django.contrib.postgres.aggregates import StringAgg
from django.db import models
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Round
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from apps.core.geo import GeodesicArea, GeodesicLength
from apps.core.geojson import ForcePolygonCCW, feature_collection

from .models import WorkFunder

# Columns of both exports, in order. Money is in yuan; dates are ISO 8601.
EXPORT_FIELDS = (
    "name",
    "name_en",
    "community_name",
    "programme_name",
    "work_type",
    "status",
    "facility_name",
    "contractor_name",
    "funded_by",
    "funded_yuan",
    "budget",
    "actual_cost",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "progress_percent",
    "expected_percent",
    "is_overdue",
    "is_at_risk",
    "length_m",
    "area_m2",
)


class AsText(GeoFunc):
    """ST_AsText(geom, decimals): WKT with at most `decimals` digits after the point."""

    function = "ST_AsText"
    output_field = models.TextField()


def _funders() -> dict[str, Any]:
    per_work = WorkFunder.objects.filter(work=OuterRef("pk")).order_by().values("work")
    text = per_work.annotate(
        text=StringAgg(
            Concat(
                F("organisation__name"),
                Value(" "),
                Cast("amount", output_field=models.TextField()),
                output_field=models.TextField(),
            ),
            delimiter="; ",
            order_by=("-amount", "organisation__name"),
        )
    ).values("text")
    total = per_work.annotate(total=Sum("amount")).values("total")
    return {
        "funded_by": Coalesce(Subquery(text[:1]), Value(""), output_field=models.TextField()),
        "funded_yuan": Subquery(total[:1], output_field=models.DecimalField()),
    }


def export_rows(works: models.QuerySet) -> models.QuerySet:
    """`works` (with schedule flags) annotated with every export column."""
    return works.annotate(
        community_name=F("community__name"),
        programme_name=F("programme__name"),
        facility_name=F("facility__name"),
        contractor_name=F("contractor__name"),
        length_m=NullIf(Round(GeodesicLength("geom"), 1), Value(0.0)),
        area_m2=NullIf(Round(GeodesicArea("geom"), 1), Value(0.0)),
        **_funders(),
    )


def _filename(extension: str) -> str:
    return f"works-{timezone.localdate().isoformat()}.{extension}"


def geojson_response(works: models.QuerySet) -> HttpResponse:
    text = feature_collection(export_rows(works), geometry_field="geom", fields=EXPORT_FIELDS)
    response = HttpResponse(text, content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{_filename("geojson")}"'
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def csv_response(works: models.QuerySet) -> StreamingHttpResponse:
    """The rows as CSV: `id`, the export fields, and the site as `WKT` (6 decimals)."""
    rows = (
        export_rows(works)
        .annotate(wkt=AsText(ForcePolygonCCW("geom"), Value(6)))
        .values_list("pk", *EXPORT_FIELDS, "wkt")
    )
    writer = csv.writer(_Echo())

    def lines() -> Any:
        yield "\ufeff" + writer.writerow(["id", *EXPORT_FIELDS, "WKT"])
        for row in rows.iterator(chunk_size=500):
            yield writer.writerow([_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response
