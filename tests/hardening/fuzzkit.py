"""Shared pieces of the hardening tests: throwaway state, row counts, tokens, payloads.

The fuzz and corpus tests send hostile input through the real WSGI application into the
real test database. Each request runs inside a savepoint that is rolled back afterwards,
so nothing the fuzzers write leaks into the demo data other tests rely on.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction

# Free-text payloads that must round-trip literally and never execute.
HOSTILE_TEXTS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE reports_report; --",
    "1' OR '1'='1",
    "</textarea><svg onload=alert(1)>",
    "{{ 7*7 }} {% debug %}",
]


def row_counts() -> dict[str, int]:
    """Rows per table of every model: compared before and after refused input."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in counts or not model._meta.managed:
                continue
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - our own names
            counts[table] = cursor.fetchone()[0]
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    ignore = {"django_session", "reports_submissionattempt", "authtoken_token"}
    return {
        table: (before[table], after.get(table, 0))
        for table in before
        if table not in ignore and before[table] != after.get(table, 0)
    }


@contextlib.contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint that is always rolled back (even after a DB error)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextlib.contextmanager
def wsgi_in_test_transaction() -> Iterator[None]:
    """Keep the test's connection open across WSGI requests, as Django's test client does.

    Without this, request_started/finished close the connection (autocommit differs inside
    the test transaction), which would end the test's transaction.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def token_for(username: str) -> str:
    """An API token of a demo user (created inside the test's transaction)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.get(username=username)
    token, _created = Token.objects.get_or_create(user=user)
    return str(token.key)


def error_text(body: Any) -> str:
    """The human message of an error body (DRF/Open311/OGC shapes)."""
    if isinstance(body, list) and body:
        body = body[0]
    if isinstance(body, dict):
        for key in ("detail", "description", "message"):
            if body.get(key):
                return str(body[key])
    return ""


BAD = __import__("pathlib").Path(__file__).resolve().parent.parent / "data" / "bad"


def corpus(folder: str, *suffixes: str) -> list[Any]:
    """pytest params of the corpus files in tests/data/bad/<folder> (id: the file name)."""
    import json

    import pytest

    repaired = json.loads((BAD / "cases.json").read_text())["repaired"]
    files = sorted(p for p in (BAD / folder).iterdir() if not suffixes or p.suffix in suffixes)
    return [pytest.param(path, f"{folder}/{path.name}" in repaired, id=path.name) for path in files]


def refused_in_both_languages(send: Any) -> tuple[Any, str]:
    """Send twice (English, Chinese): a 4xx both times, a message each, not the same text.

    `send(language)` makes the request (inside a rolled-back savepoint) and returns the
    response. Returns the English response and its message.
    """
    messages = {}
    english = None
    for language in ("en", "zh-hans"):
        with rolled_back():
            response = send(language)
        assert 400 <= response.status_code < 500, (language, response.status_code)
        body = response.json() if "json" in response["Content-Type"] else None
        text = error_text(body) if body is not None else response.content.decode()
        assert len(text) > 10, body
        messages[language] = text
        if language == "en":
            english = response
    assert messages["en"] != messages["zh-hans"], messages
    return english, messages["en"]
