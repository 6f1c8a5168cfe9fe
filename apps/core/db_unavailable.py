"""A clear, retryable 503 when the database cannot be reached, never a 500 with a traceback.

While PostgreSQL restarts (or a failover moves the primary), queries raise OperationalError
or InterfaceError. Nothing the person sent is lost: report submissions carry an idempotency
key, so sending the same form or API call again files it once. So the answer says "try again
in a moment" with a Retry-After header: an API error body ({detail, code, errors}) for API
and JSON clients, a small friendly page for browsers. The app reconnects by itself: Django
closes a connection that raised (`errors_occurred`) at the end of the request, and
CONN_HEALTH_CHECKS checks a persistent connection before reusing it.

`DatabaseUnavailableMiddleware` catches the error when a view raises it; `server_error`
(the project's handler500) catches it anywhere else (a session saved after the view, say)
and is Django's plain 500 page for every other error.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger("gridmap.db")

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Paths whose clients read the API's error body rather than a page.
API_PREFIXES = ("/api/",)


def retry_after_seconds() -> int:
    return int(getattr(settings, "GRIDMAP_DB_RETRY_AFTER", 5))


def unavailable_message() -> str:
    return _(
        "The service is briefly unavailable: its database cannot be reached. Nothing you sent "
        "was lost. Send it again in a few seconds — sending the same report again never files "
        "it twice."
    )


def wants_api_body(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIXES) or "application/json" in request.headers.get(
        "Accept", ""
    )


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After, in the reader's language (LocaleMiddleware has run)."""
    message = unavailable_message()
    response: HttpResponse
    if wants_api_body(request):
        body: dict[str, object] = {"detail": message, "code": "service_unavailable"}
        if request.path.startswith(API_PREFIXES):
            # The API's Error body. Not for the report form's script: it shows per-field
            # errors when the answer has "errors", and the detail only when it has none.
            body["errors"] = {}
        response = JsonResponse(body, status=503, json_dumps_params={"ensure_ascii": False})
    else:
        # Rendered without the request: the navigation and the signed-in user come from the
        # database, which is what is missing.
        html = render_to_string(
            "core/db_unavailable.html",
            {"message": message, "retry_after": retry_after_seconds(), "path": request.path},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(retry_after_seconds())
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's OperationalError/InterfaceError into the 503 above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

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
        return unavailable_response(request)
    return defaults.server_error(request)
