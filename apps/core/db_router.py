"""Read replicas: map, OGC API, tile and export reads from a streaming replica; the rest from
the primary; and each person reads their own writes.

Enabled when DATABASE_REPLICA_URL is set (settings add a "replica" alias); without it every
query goes to "default", exactly as before. `ReplicaReadsMiddleware` marks the safe requests
of the views in REPLICA_VIEWS (by URL namespace and name, so no view needs to know) and the
router sends their reads to the replica. Writes always go to the primary.

Read-your-writes: a replica lags the primary by a little (usually well under a second). A
person who has just changed something (any non-safe request that succeeded) gets a signed
cookie, and for GRIDMAP_READ_YOUR_WRITES_SECONDS their reads stay on the primary: the
tracking page right after a submission shows the new report, the map shows the grid just
edited. Everyone else may see the change a moment later.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "gridmap_primary"
PIN_SALT = "gridmap.read-your-writes"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# URL namespace -> the URL names in it whose reads may come from the replica (None: all).
REPLICA_VIEWS: dict[str, frozenset[str] | None] = {
    "maps": frozenset({"map", "layer-list", "layer-geojson"}),
    "ogcapi": None,
    "tiles": None,
    "dataio": frozenset({"export"}),
    "reports": frozenset({"track"}),
}
# Sessions and API tokens stay on the primary: a sign-in must work at once on any server.
PRIMARY_ONLY_APPS = frozenset({"sessions", "authtoken"})

_replica_reads: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "gridmap_replica_reads", default=False
)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def pin_seconds() -> int:
    return int(getattr(settings, "GRIDMAP_READ_YOUR_WRITES_SECONDS", 15))


class PrimaryReplicaRouter:
    """Reads go to the replica inside a replica-read request, everything else to default."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if (
            _replica_reads.get()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
            and replica_configured()
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


def is_pinned(request: HttpRequest) -> bool:
    """Did this person change something in the last few seconds? (signed, time-stamped)"""
    value = request.get_signed_cookie(
        PIN_COOKIE, default=None, salt=PIN_SALT, max_age=pin_seconds()
    )
    return value is not None


def routed_to_replica(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None or request.method not in SAFE_METHODS:
        return False
    names = REPLICA_VIEWS.get(match.namespace, frozenset())
    return names is None or match.url_name in names


def _with_replica_reads(chunks: Iterable[Any]) -> Iterator[Any]:
    """A streaming response reads as it is sent, after the view has returned."""
    iterator = iter(chunks)
    while True:
        token = _replica_reads.set(True)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _replica_reads.reset(token)
        yield chunk


class ReplicaReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_configured():
            return self.get_response(request)
        token = _replica_reads.set(False)
        try:
            response = self.get_response(request)
        finally:
            _replica_reads.reset(token)
        if getattr(request, "_gridmap_replica_reads", False) and response.streaming:
            response.streaming_content = _with_replica_reads(response.streaming_content)  # type: ignore[attr-defined]
        if request.method not in SAFE_METHODS and response.status_code < 400:
            # Something changed on the primary: read from it for a while.
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=pin_seconds(),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if replica_configured() and routed_to_replica(request) and not is_pinned(request):
            request._gridmap_replica_reads = True  # type: ignore[attr-defined]
            _replica_reads.set(True)  # reset by __call__ when the response is back
        return None
