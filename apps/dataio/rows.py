"""Row by row work of an import: reading cells, resolving references, assigning values,
comparing with what is stored. Used by services.layer_import; no writes here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from .formats import SourceTable
from .importers import Importer, locate_rows, resolve_reference

# Geometries closer than this (degrees, ~0.1 mm) are the same geometry.
SAME_GEOMETRY_TOLERANCE = 1e-9


def cell(column: list[Any] | None, row: int) -> Any:
    if column is None:
        return None
    value = column[row]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def resolve_references(
    importer: Importer,
    table: SourceTable,
    geometries: dict[int, Any],
    defaults: dict[str, Any],
    problems: dict[int, str],
) -> dict[str, dict[int, int]]:
    """Ids of every reference of every row (one query per reference)."""
    resolved: dict[str, dict[int, int]] = {}
    for reference in importer.references:
        values: dict[int, tuple[str, Any]] = {}
        missing: list[int] = []
        for row in range(len(table)):
            given = next(
                (
                    (lookup, cell(table.columns.get(column), row))
                    for column, lookup in reference.lookups
                    if cell(table.columns.get(column), row) is not None
                ),
                None,
            )
            if given is not None:
                values[row] = given
            elif reference.field in defaults:
                values[row] = defaults[reference.field]
            else:
                missing.append(row)
        scopes = resolved.get(reference.within) if reference.within else None
        found, unknown = resolve_reference(
            reference, values, scopes=dict(scopes) if scopes is not None else None
        )
        if reference.locate:
            wkb = {row: shapely.to_wkb(geometries[row]) for row in missing if row in geometries}
            found.update(located := locate_rows(reference, wkb))
            missing = [row for row in missing if row not in located]
        for row, reason in unknown.items():
            problems.setdefault(row, reason)
        if reference.required:
            for row in missing:
                problems.setdefault(
                    row,
                    _("no %(field)s given (a %(columns)s column)%(where)s")
                    % {
                        "field": reference.field,
                        "columns": " / ".join(reference.columns),
                        "where": _(", and the feature lies in none") if reference.locate else "",
                    },
                )
        resolved[reference.field] = found
    return resolved


def clean_value(model_field: models.Field, value: Any) -> Any:
    if value is None:
        return "" if isinstance(model_field, models.CharField | models.TextField) else None
    if isinstance(model_field, models.IntegerField) and isinstance(value, str):
        try:  # "12.0" from a spreadsheet is the whole number 12
            number = float(value)
        except ValueError:
            return value  # full_clean says why it is not a number
        value = number if number.is_integer() else value
    if isinstance(model_field, models.IntegerField) and isinstance(value, float):
        if not value.is_integer():
            raise ValidationError(
                {model_field.name: _("“%(value)s” is not a whole number.") % {"value": value}}
            )
        return int(value)
    is_date = isinstance(model_field, models.DateField)
    if (
        is_date
        and not isinstance(model_field, models.DateTimeField)
        and isinstance(value, dt.datetime)
    ):
        return value.date()
    return value


def error_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" if name != "__all__" else " ".join(messages)
            for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def same_geometry(old: GEOSGeometry | None, new: GEOSGeometry) -> bool:
    if old is None:
        return False
    a, b = old.clone(), new.clone()
    a.normalize()
    b.normalize()
    return bool(a.equals_exact(b, SAME_GEOMETRY_TOLERANCE))


def existing_rows(
    model: type[models.Model], importer: Importer, key_of: dict[int, tuple]
) -> dict[tuple, Any]:
    if not key_of:
        return {}
    filters = {
        f"{name}__in": {key[i] for key in key_of.values()} for i, name in enumerate(importer.key)
    }
    found = {}
    for instance in model._default_manager.filter(**filters):
        key = tuple(str(getattr(instance, name)) for name in importer.key)
        found[key] = instance
    return found


def assign(
    instance: models.Model,
    importer: Importer,
    table: SourceTable,
    row: int,
    resolved: dict[str, dict[int, int]],
    geometry: Any,
) -> None:
    for name in importer.columns:
        if name not in table.columns:
            continue
        model_field = instance._meta.get_field(name)
        setattr(instance, name, clean_value(model_field, cell(table.columns[name], row)))  # type: ignore[arg-type]
    for reference in importer.references:
        if reference.field in resolved and (
            row in resolved[reference.field] or any(c in table.columns for c in reference.columns)
        ):
            setattr(instance, f"{reference.field}_id", resolved[reference.field].get(row))
    setattr(
        instance,
        importer.geometry_field,
        GEOSGeometry(memoryview(shapely.to_wkb(geometry)), srid=4326),
    )


def changed(instance: models.Model, before: dict[str, Any], geometry_field: str) -> bool:
    for model_field in instance._meta.concrete_fields:
        name = model_field.attname
        if name in ("created_at", "updated_at"):
            continue
        if name == geometry_field:
            if not same_geometry(before[name], getattr(instance, name)):
                return True
        elif before[name] != getattr(instance, name):
            return True
    return False
