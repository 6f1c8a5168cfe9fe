"""A clear, retryable 503 when the database cannot be reached, never a 500 with a traceback.

While PostgreSQL restarts (or a failover moves the primary), queries raise OperationalError
or InterfaceError. The answer says "try again in a moment" with a Retry-After header: an API
error body ({detail, code, errors}) for API and JSON clients, a small friendly page for
browsers. What it says depends on what the person did: a page view is simply "briefly
unavailable, try again" (the page reloads itself); only a submission (POST, PUT...) says it
was not saved and should be sent again, which is safe because report submissions carry an
idempotency key, so sending the same form or API call again files it once. The app
reconnects by itself: Django closes a connection that raised (`errors_occurred`) at the end
of the request, and CONN_HEALTH_CHECKS checks a persistent connection before reusing it.

Where the error is raised decides who catches it:
- in a view (or its template): `DatabaseUnavailableMiddleware.process_exception`;
- in a middleware (the sign-in throttle, the session saved after the view...): Django turns
  it into a 500 response right there, the debug page with DEBUG on, before any outer
  middleware sees the exception. `_note_database_error` (a `got_request_exception`
  receiver) marks the request, and `DatabaseUnavailableMiddleware.__call__`, which sits
  outside those middlewares, swaps that 500 for the 503;
- anywhere else: `server_error` (the project's handler500) answers the 503 too, and is
  Django's plain 500 page for every other error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("gridmap.db")

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Paths whose clients read the API's error body rather than a page.
API_PREFIXES = ("/api/",)
# Where reports are submitted: an idempotency key makes sending one again safe.
REPORT_PREFIXES = ("/report/", "/api/v1/reports/", "/open311/")
# Methods that only read: nothing the person sent needs sending again.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Marks a request whose handling raised a database error somewhere in the middleware.
_MARK = "_gridmap_database_unavailable"


def retry_after_seconds() -> int:
    return int(getattr(settings, "GRIDMAP_DB_RETRY_AFTER", 5))


def is_submission(request: HttpRequest | None) -> bool:
    """A request that sent something to be stored (a form, an API write); without a
    request, assume it did, the cautious reading."""
    return request is None or (request.method or "GET").upper() not in READ_METHODS


def unavailable_message(request: HttpRequest | None = None) -> str:
    """What the person reads: for a submission, that it was not saved and should be sent
    again; for a page view or an API read, only that the service is back in a moment."""
    if is_submission(request) and (request is None or request.path.startswith(REPORT_PREFIXES)):
        return _(
            "The service is briefly unavailable: its database cannot be reached, so what you "
            "sent was not saved. Send it again in a few seconds — sending the same report "
            "again never files it twice."
        )
    if is_submission(request):
        return _(
            "The service is briefly unavailable: its database cannot be reached, so what you "
            "sent was not saved. Send it again in a few seconds."
        )
    return _(
        "The service is briefly unavailable: its database cannot be reached. Please try "
        "again in a moment."
    )


def wants_api_body(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES) or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, in the reader's language."""
    # LocaleMiddleware may not have run (or its language may be gone) when a middleware
    # outside it raised: read the language from the request itself (cookie, Accept-Language),
    # which needs no database.
    language = getattr(request, "LANGUAGE_CODE", None) or translation.get_language_from_request(
        request
    )
    with translation.override(language):
        response = _unavailable_response(request)
    response["Retry-After"] = str(retry_after_seconds())
    response["Cache-Control"] = "no-store"
    # Logged once, as a warning, by whoever calls this (not again by Django as an error with
    # a traceback: an outage would fill the log with one per request).
    response._has_been_logged = True  # type: ignore[attr-defined]  # django.utils.log's flag
    return response


def _unavailable_response(request: HttpRequest) -> HttpResponse:
    message = unavailable_message(request)
    if wants_api_body(request):
        body: dict[str, object] = {"detail": message, "code": "service_unavailable"}
        if request.path.startswith(API_PREFIXES):
            # The API's Error body. Not for the report form's script: it shows per-field
            # errors when the answer has "errors", and the detail only when it has none.
            body["errors"] = {}
        return JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    # Rendered without the request: the navigation and the signed-in user come from the
    # database, which is what is missing.
    html = render_to_string(
        "core/db_unavailable.html",
        {
            "message": message,
            "retry_after": retry_after_seconds(),
            "submission": is_submission(request),
            # A page view reloads itself; this is where it reloads (the same page).
            "again_url": request.get_full_path(),
            "language_code": translation.get_language(),
        },
    )
    return HttpResponse(html, status=503)


@receiver(got_request_exception, dispatch_uid="core_db_unavailable_mark")
def _note_database_error(sender: Any, request: HttpRequest | None = None, **_: Any) -> None:
    """Django sends this while it turns an exception into a 500 (sys.exc_info() is set)."""
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        setattr(request, _MARK, True)


class DatabaseUnavailableMiddleware:
    """Turns a database error anywhere inside it into the 503 above.

    Placed right after the security and CSP middleware: every middleware that may query the
    database (sessions, authentication, the sign-in throttle, messages...) is inside it,
    and the 503 still gets the security headers and the Content-Security-Policy.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, _MARK, False):
            logger.warning("database unavailable during %s %s", request.method, request.path)
            return unavailable_response(request)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.warning(
            "database unavailable during %s %s: %s", request.method, request.path, exception
        )
        return unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 above when the error is the database's, Django's 500 otherwise."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        logger.warning("database unavailable during %s %s: %s", request.method, request.path, error)
        return unavailable_response(request)
    return defaults.server_error(request)
