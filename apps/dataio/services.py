"""Importing a GIS file into a layer, and exporting a layer's rows to a GIS file.

`layer_import` is all or nothing: every row is read, adapted, resolved and validated with
the model's own full_clean first; if any row is refused, nothing is written and the report
lists each refused row with its reason (unless `skip_invalid`, which writes the others).
Then new rows are inserted and changed rows updated by natural key, in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyogrio.errors
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.geojson import feature_collection
from apps.core.history import is_tracked
from apps.core.layers import Layer, registry

from .formats import FileRefusedError, SourceTable, format_of, read_table
from .importers import IMPORTERS, Importer
from .repair import check_geometry, from_gcj02
from .rows import (
    assign,
    cell,
    changed,
    error_message,
    existing_rows,
    resolve_references,
)
from .writers import shapefile_names, write_features

Progress = Callable[[str, int, int], None]
# Exports keep 9 decimals (~0.1 mm), so that a round trip changes nothing measurable.
EXPORT_PRECISION = 9
BATCH = 500
NUMBER_RETURNED = re.compile(r'"numberReturned"\s*:\s*(\d+)')


class ImportRefusedError(Exception):
    """Some rows were refused: nothing was written. `report` says which and why."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            _("%(count)d row(s) refused; nothing was imported.") % {"count": len(report.refused)}
        )
        self.report = report


@dataclass
class ImportReport:
    layer: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False


def importer_for(layer_name: str) -> Importer:
    try:
        return IMPORTERS[layer_name]
    except KeyError:
        raise FileRefusedError(
            _("The layer “%(name)s” cannot be imported. Importable layers: %(names)s.")
            % {"name": layer_name, "names": ", ".join(IMPORTERS)}
        ) from None


def export_columns(layer: Layer) -> list[str]:
    """The layer's public fields, plus what its importer needs to find references again."""
    importer = IMPORTERS.get(layer.name)
    extras = list(importer.export_columns) if importer else []
    return [*layer.fields, *(name for name in extras if name not in layer.fields)]


def _rename_columns(
    table: SourceTable, importer: Importer, layer: Layer, *, kind: str, mapping: dict[str, str]
) -> None:
    for source, target in mapping.items():
        if source not in table.columns:
            raise FileRefusedError(
                _(
                    "--map %(source)s=%(target)s: the file has no column “%(source)s”; its columns "
                    "are: %(columns)s."
                )
                % {"source": source, "target": target, "columns": ", ".join(table.columns)}
            )
        table.columns[target] = table.columns.pop(source)
    known = set(importer.known_columns)
    aliases = {name.lower(): name for name in known}
    if kind == "shp":  # ten-character dBASE names of our own exports
        shorts = shapefile_names(["id", *export_columns(layer)])
        aliases.update({short.lower(): name for name, short in shorts.items() if name in known})
    for name in list(table.columns):
        alias = aliases.get(name.lower())
        if alias and alias != name and alias not in table.columns:
            table.columns[alias] = table.columns.pop(name)
    ignored = sorted(name for name in table.columns if name not in known)
    if ignored:
        table.notes.append(_("Columns not imported: %(names)s.") % {"names": ", ".join(ignored)})


@transaction.atomic
def layer_import(
    *,
    layer_name: str,
    path: Path,
    kind: str | None = None,
    lon: str | None = None,
    lat: str | None = None,
    mapping: dict[str, str] | None = None,
    from_gcj02_datum: bool = False,
    community_code: str | None = None,
    source_layer: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Upsert the features of the file at `path` into the layer `layer_name`.

    Raises FileRefusedError when the file cannot be used at all, and ImportRefusedError
    (nothing written) when rows were refused and `skip_invalid` is off.
    """
    importer = importer_for(layer_name)
    layer = registry.get(layer_name)
    model = importer.model_class()
    kind = format_of(path, kind)
    table = read_table(path, kind=kind, lon=lon, lat=lat, layer=source_layer)
    report = ImportReport(layer=layer_name, rows=len(table), dry_run=dry_run, notes=table.notes)
    _rename_columns(table, importer, layer, kind=kind, mapping=mapping or {})
    problems: dict[int, str] = dict(table.problems)

    geometries_in = from_gcj02(table.geometries) if from_gcj02_datum else table.geometries
    geometries: dict[int, Any] = {}
    for row, geometry in enumerate(geometries_in):
        if row in problems:
            continue
        fixed, reason, repaired = check_geometry(geometry, importer.geometry_type)
        if reason:
            problems[row] = reason
        else:
            geometries[row] = fixed
            if repaired:
                report.repaired.append(table.labels[row])

    defaults: dict[str, Any] = {}
    if community_code:
        defaults["community"] = ("code", community_code)
    resolved = resolve_references(importer, table, geometries, defaults, problems)

    # Existing rows by natural key, in one query.
    key_of: dict[int, tuple] = {}
    for row in range(len(table)):
        if row in problems:
            continue
        values = {name: cell(table.columns.get(name), row) for name in importer.key}
        for reference in importer.references:
            if f"{reference.field}_id" in importer.key:
                values[f"{reference.field}_id"] = resolved[reference.field].get(row)
        key_of[row] = tuple(
            str(values[name]) if values[name] is not None else None for name in importer.key
        )
    existing = existing_rows(model, importer, key_of)

    seen: dict[tuple, str] = {}
    to_create: list[models.Model] = []
    to_update: list[models.Model] = []
    total = len(table)
    for row in range(total):
        if progress and (row % 200 == 0 or row == total - 1):
            progress(_("checking"), row + 1, total)
        if row in problems:
            continue
        key = key_of[row]
        if key in seen:
            problems[row] = _("same key as row %(row)s (%(key)s)") % {
                "row": seen[key],
                "key": ", ".join(map(str, key)),
            }
            continue
        seen[key] = table.labels[row]
        instance = existing.get(key) or model()
        before = {f.attname: getattr(instance, f.attname) for f in model._meta.concrete_fields}
        try:
            assign(instance, importer, table, row, resolved, geometries[row])
            # Uniqueness is the natural key's job (looked up above, duplicates refused), so
            # full_clean skips its per-row queries; the database constraints still hold.
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            problems[row] = error_message(error)
            continue
        if instance.pk is None:
            to_create.append(instance)
        elif changed(instance, before, importer.geometry_field):
            to_update.append(instance)
        else:
            report.unchanged += 1

    report.refused = [(table.labels[row], reason) for row, reason in sorted(problems.items())]
    if report.refused and not skip_invalid:
        raise ImportRefusedError(report)
    _save(model, to_create, to_update, dry_run=dry_run, progress=progress)
    report.created, report.updated = len(to_create), len(to_update)
    return report


def _save(
    model: type[models.Model],
    to_create: list,
    to_update: list,
    *,
    dry_run: bool,
    progress: Progress | None,
) -> None:
    with transaction.atomic():
        # An import is a person's change: tracked models keep it in their audit history.
        tracked = is_tracked(model)
        if tracked:
            bulk_create_with_history(to_create, model, batch_size=BATCH)
        else:
            model._default_manager.bulk_create(to_create, batch_size=BATCH)
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if not f.primary_key and f.name != "created_at"
        ]
        for start in range(0, len(to_update), BATCH):
            batch = to_update[start : start + BATCH]
            for instance in batch:
                if hasattr(instance, "updated_at"):
                    instance.updated_at = timezone.now()  # bulk_update skips auto_now
            if tracked:
                bulk_update_with_history(batch, model, fields, batch_size=BATCH)
            else:
                model._default_manager.bulk_update(batch, fields)
            if progress:
                progress(_("saving"), min(start + BATCH, len(to_update)), len(to_update))
        if dry_run:
            transaction.set_rollback(True)


def layer_export(
    *,
    layer_name: str,
    path: Path,
    user: Any,
    kind: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    rows: models.QuerySet | None = None,
) -> int:
    """Write the rows of `layer_name` that `user` may see (optionally within `bbox`, or
    only `rows` of them) to `path`; returns the number of features written."""
    layer = registry.get(layer_name)
    kind = format_of(path, kind)
    visible = layer.rows(user, bbox=bbox)
    if rows is not None:
        visible = visible.filter(pk__in=rows.values("pk"))
    columns = export_columns(layer)
    importer = IMPORTERS.get(layer.name)
    if importer is not None:
        extras = importer.export_columns.items()
        visible = visible.annotate(
            **{name: F(to) for name, to in extras if name not in layer.fields}
        )
    text = feature_collection(
        visible, geometry_field=layer.geometry_field, fields=columns, precision=EXPORT_PRECISION
    )
    try:
        write_features(text, path, kind=kind, layer_name=layer.name, columns=columns)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.FeatureError, OSError) as error:
        raise FileRefusedError(
            _("The layer could not be written as %(format)s: %(reason)s")
            % {"format": kind, "reason": str(error).splitlines()[0][:200]}
        ) from None
    # json_build_object puts numberReturned at the start of the collection's text.
    match = NUMBER_RETURNED.search(text[:200])
    return int(match.group(1)) if match else 0
