"""SQL of anonymous reads, compiled once and reused with each request's own numbers.

For an anonymous visitor, two tiles (or two bbox pages) of a layer differ only in the tile
coordinates (or the bbox): the rows rules, joins, annotations and encoding are the same
SQL. Building that SQL with the ORM costs more than PostgreSQL takes to answer it, so it
is built once per layer, language and shape of request, with sentinel numbers where the
request's own go, and the sentinels' places in the parameter list are filled in per
request. Values are still passed as parameters, never pasted into the SQL.

A template lives TTL_SECONDS: the SQL can hold the time it was built at (the reports
layer's overdue flags compare due times with "now"), so a flag may turn up to that many
seconds late — far less than the Cache-Control max-age the answers carry anyway.
Signed-in users' rows depend on their memberships: their SQL is always built afresh.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import EmptyResultSet

TTL_SECONDS = 5.0
# Distinctive numbers that stand for a request's values while a template is built; no
# layer's rules use them. Floats for bbox corners, integers for tile coordinates.
FLOAT_SENTINELS = (-179.123456789, -89.234567891, 179.345678912, 89.456789123)
INT_SENTINELS = (987_654_301, 987_654_302, 987_654_303)


@dataclass(frozen=True)
class _Template:
    sql: str | None  # None: Django knew without asking that no row matches
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (index in params, index in the request's values)
    built: float
    # What the key names by id() (a layer), held so that its id cannot be reused meanwhile.
    keep: Any = None


_templates: dict[Hashable, _Template] = {}
_lock = threading.Lock()


def compiled_sql(
    key: Hashable,
    build: Callable[[Sequence[Any]], tuple[str, Sequence[Any]]],
    sentinels: Sequence[Any],
    values: Sequence[Any],
    *,
    keep: Any = None,
) -> tuple[str, list[Any]]:
    """(sql, params) of `build(values)`, from a template `build(sentinels)` made at most
    TTL_SECONDS ago under `key`. Raises EmptyResultSet as `build` would.

    `key` must name everything besides `values` that the SQL depends on (layer, language,
    page size...); an object it names by id() goes in `keep`. When a sentinel cannot be
    found among the parameters (the value was folded into the SQL text), the SQL is built
    for this request alone.
    """
    now = time.monotonic()
    template = _templates.get(key)
    if template is None or now - template.built > TTL_SECONDS:
        template = _build(build, sentinels, now)
        if template is None:
            return _direct(build, values)
        template = replace(template, keep=keep)
        with _lock:
            _templates[key] = template
    if template.sql is None:
        raise EmptyResultSet
    params = list(template.params)
    for at, index in template.slots:
        params[at] = values[index]
    return template.sql, params


def _build(
    build: Callable[[Sequence[Any]], tuple[str, Sequence[Any]]],
    sentinels: Sequence[Any],
    now: float,
) -> _Template | None:
    try:
        sql, params = build(sentinels)
    except EmptyResultSet:
        return _Template(None, (), (), now)
    slots = tuple(
        (at, sentinels.index(value))
        for at, value in enumerate(params)
        if type(value) in (int, float) and value in sentinels
    )
    if {index for _at, index in slots} != set(range(len(sentinels))):
        return None
    return _Template(sql, tuple(params), slots, now)


def _direct(
    build: Callable[[Sequence[Any]], tuple[str, Sequence[Any]]], values: Sequence[Any]
) -> tuple[str, list[Any]]:
    sql, params = build(values)
    return sql, list(params)


def clear() -> None:
    """Forget every template (tests that change a layer's rules mid-way)."""
    with _lock:
        _templates.clear()
