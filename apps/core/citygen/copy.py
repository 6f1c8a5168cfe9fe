"""COPY-speed writing into the real tables: column lists from the models' `_meta`, values
formatted in bulk with numpy, geometry as hex EWKB.

Columns the generator does not fill are taken from the model too: nullable ones are left
NULL, others get the field's default. So a later migration that adds a nullable or
defaulted column does not break the generator; one that adds a required column without a
default makes it fail with the column's name.
"""

from __future__ import annotations

import datetime
import io
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Value

NULL = "\\N"
SRID = 4326
Progress = Callable[[str, int, int], None]
# A column's values: an array (one value per row) or one constant for every row.
Column = Any


class MissingColumnError(RuntimeError):
    pass


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")


def literal(value: Any) -> str:
    """One value in COPY text format."""
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return _escape(str(value))


def default_columns(
    model: type[models.Model], given: Iterable[str], connection: BaseDatabaseWrapper
) -> dict[str, str]:
    """Constant COPY values for the concrete columns of `model` not in `given`."""
    given = set(given)
    now = datetime.datetime.now(datetime.UTC)
    out: dict[str, str] = {}
    for field in model._meta.concrete_fields:
        column = str(field.column)
        if column in given or field.primary_key or getattr(field, "generated", False):
            continue  # ours, the sequence's, or computed by the database
        db_default = getattr(field, "db_default", models.NOT_PROVIDED)
        if db_default is not models.NOT_PROVIDED:
            # Written out when it is a plain value: a database migrated before the default
            # was declared would otherwise get NULL.
            if isinstance(db_default, Value):
                db_default = db_default.value
            if not hasattr(db_default, "resolve_expression"):
                out[column] = literal(field.get_db_prep_save(db_default, connection))
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            out[column] = literal(now)
            continue
        if field.null:
            continue
        value = field.get_default()
        if value is None:
            raise MissingColumnError(
                f"{model._meta.label}.{field.name} is required and has no default: "
                "teach apps.core.citygen to fill it."
            )
        value = field.get_db_prep_save(value, connection)
        out[column] = literal(value)
    return out


def timestamps(values: np.ndarray) -> np.ndarray:
    """datetime64[s] (UTC) → COPY text, NaT → NULL."""
    text = np.char.add(np.datetime_as_string(values, unit="s"), "+00")
    return np.where(np.isnat(values), NULL, text)


def dates(values: np.ndarray) -> np.ndarray:
    text = np.datetime_as_string(values.astype("datetime64[D]"), unit="D")
    return np.where(np.isnat(values), NULL, text)


def numbers(values: np.ndarray, null: np.ndarray | None = None, fmt: str = "") -> np.ndarray:
    text = np.char.mod(fmt, values) if fmt else values.astype(str)
    return text if null is None else np.where(null, NULL, text)


def ids(values: np.ndarray) -> np.ndarray:
    """Integer ids, -1 meaning NULL."""
    return np.where(values < 0, NULL, values.astype(np.int64).astype(str))


# Hex EWKB, built for many geometries at once: little-endian, SRID flag set.
_EWKB_SRID = 0x20000000
_HEAD = [("order", "u1"), ("type", "<u4"), ("srid", "<u4")]


def _hex_rows(records: np.ndarray) -> np.ndarray:
    size = records.dtype.itemsize
    text = records.tobytes().hex().upper()
    return np.array([text[i : i + 2 * size] for i in range(0, len(text), 2 * size)], dtype=object)


def points_ewkb(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    dtype = np.dtype([*_HEAD, ("x", "<f8"), ("y", "<f8")])
    records = np.zeros(len(x), dtype=dtype)
    records["order"] = 1
    records["type"] = 1 | _EWKB_SRID
    records["srid"] = SRID
    records["x"], records["y"] = x, y
    return _hex_rows(records)


def lines_ewkb(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray) -> np.ndarray:
    dtype = np.dtype([*_HEAD, ("n", "<u4"), ("xy", "<f8", (4,))])
    records = np.zeros(len(x0), dtype=dtype)
    records["order"] = 1
    records["type"] = 2 | _EWKB_SRID
    records["srid"] = SRID
    records["n"] = 2
    records["xy"] = np.stack([x0, y0, x1, y1], axis=1)
    return _hex_rows(records)


def rectangles_ewkb(
    x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, *, multi: bool = False
) -> np.ndarray:
    """Axis-aligned rectangles as (Multi)Polygons, exterior ring counter-clockwise."""
    ring = [("rings", "<u4"), ("n", "<u4"), ("xy", "<f8", (10,))]
    if multi:
        dtype = np.dtype([*_HEAD, ("parts", "<u4"), ("porder", "u1"), ("ptype", "<u4"), *ring])
    else:
        dtype = np.dtype([*_HEAD, *ring])
    records = np.zeros(len(x0), dtype=dtype)
    records["order"] = 1
    records["srid"] = SRID
    if multi:
        records["type"] = 6 | _EWKB_SRID
        records["parts"] = 1
        records["porder"] = 1
        records["ptype"] = 3
    else:
        records["type"] = 3 | _EWKB_SRID
    records["rings"] = 1
    records["n"] = 5
    records["xy"] = np.stack([x0, y0, x1, y0, x1, y1, x0, y1, x0, y0], axis=1)
    return _hex_rows(records)


def copy_rows(
    connection: BaseDatabaseWrapper,
    model: type[models.Model],
    columns: Mapping[str, Column],
    count: int,
    *,
    progress: Progress | None = None,
    phase: str = "",
    chunk: int = 100_000,
) -> None:
    """COPY `count` rows into `model`'s table. `columns` maps column names to arrays of COPY
    text (or one constant); the model's other columns get NULL or their default."""
    table = model._meta.db_table
    defaults = default_columns(model, columns, connection)
    names = [*columns, *defaults]
    arrays: list[Column] = [*columns.values(), *defaults.values()]
    quoted = ", ".join(connection.ops.quote_name(name) for name in names)
    sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg2's own cursor, for copy_expert
        for start in range(0, count, chunk):
            stop = min(start + chunk, count)
            parts: list[Any] = []
            for values in arrays:
                if isinstance(values, np.ndarray | list):
                    parts.append(values[start:stop])
                else:
                    parts.append([literal(values) if not isinstance(values, str) else values])
            n = stop - start
            rows = zip(*(p if len(p) == n else p * n for p in parts), strict=True)
            buffer = io.StringIO("\n".join("\t".join(map(str, row)) for row in rows) + "\n")
            raw.copy_expert(sql, buffer)
            if progress:
                progress(phase, stop, count)


@contextmanager
def indexes_and_keys_rebuilt(
    cursor, tables: Sequence[str], timings: dict[str, float]
) -> Iterator[None]:
    """Drop the secondary indexes and the foreign keys of `tables`, and put them back
    (rebuilt in one pass, validated in one join) when the block ends: how pg_restore loads
    a table, and several times faster than checking a million rows one by one.

    Unique indexes and the primary key stay, so uniqueness is checked as rows arrive. The
    tables are locked until the transaction ends; if a key fails to validate, the caller's
    transaction fails and nothing is kept.
    """
    indexes: list[str] = []
    keys: list[tuple[str, str, str]] = []
    for table in tables:
        cursor.execute(
            """
            SELECT c.relname, pg_get_indexdef(x.indexrelid)
            FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid = %s::regclass AND NOT x.indisunique AND NOT x.indisprimary
            """,
            [table],
        )
        for name, definition in cursor.fetchall():
            indexes.append(definition)
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        for name, definition in cursor.fetchall():
            keys.append((table, name, definition))
            cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
    yield
    start = time.perf_counter()
    for definition in indexes:
        cursor.execute(definition)
    timings["indexes"] = time.perf_counter() - start
    start = time.perf_counter()
    for table, name, definition in keys:
        cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
    timings["keys"] = time.perf_counter() - start
