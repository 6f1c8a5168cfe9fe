"""One exception handler for the API: the services' errors become 4xx with their message.

Services raise Django's PermissionDenied (403) and ValidationError (400), and each app its
own "illegal transition" error (409) or rate-limit error (429); a database that cannot be
reached is a retryable 503 with Retry-After. Every error body has the
shape of apps.api.schema.ErrorSerializer: {"detail": str, "code": str, "errors": {...}}.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from apps.core.db_unavailable import DATABASE_ERRORS, retry_after_seconds, unavailable_message
from apps.ledger.workflow import WorkflowError
from apps.meetings.errors import MeetingStateError
from apps.patrols.errors import PatrolError
from apps.reports.errors import RateLimitedError, TransitionNotAllowedError
from apps.works.services import TransitionRefusedError

CONFLICTS = (TransitionNotAllowedError, TransitionRefusedError, MeetingStateError)
# Errors that carry their own HTTP status (`status`) and message (`message`).
STATUS_ERRORS: tuple[type[Exception], ...] = (PatrolError, WorkflowError)
_STATUS_CODES = {400: "invalid", 403: "permission_denied", 404: "not_found", 409: "conflict"}


def _status_error(exc: Any) -> Response:
    status_code = int(exc.status)
    fields = getattr(exc, "errors", None) or {}
    errors = {
        str(key): [str(m) for m in (value if isinstance(value, list) else [value])]
        for key, value in fields.items()
    }
    code = _STATUS_CODES.get(status_code, "invalid")
    return Response(
        {"detail": str(exc.message), "code": code, "errors": errors}, status=status_code
    )


def _flatten(detail: Any) -> dict[str, list[str]]:
    """DRF's nested error detail as {field: [messages]} ("detail" for non-field errors)."""
    if isinstance(detail, dict):
        return {
            str(key): [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    if isinstance(detail, list):
        return {"detail": [str(m) for m in detail]}
    return {}


def _first(errors: dict[str, list[str]], fallback: str) -> str:
    for messages in errors.values():
        if messages:
            return messages[0]
    return fallback


def _django_validation(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            ("detail" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in error.message_dict.items()
        }
    return {"detail": [str(m) for m in error.messages]}


def _unreadable_body(exc: Exception) -> Response | None:
    """A body too big to read (413) or not parseable (400), said in the user's language."""
    if isinstance(exc, RequestDataTooBig):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        message = _(
            "The request body is larger than %(mb).1f MB: send a smaller one (a simpler shape, "
            "fewer or smaller files)."
        ) % {"mb": megabytes}
        return Response({"detail": message, "code": "too_large", "errors": {}}, status=413)
    if isinstance(exc, exceptions.ParseError):
        message = _(
            "The request body could not be read (%(error)s): send valid JSON (no NaN or "
            "Infinity) or form data."
        ) % {"error": str(exc.detail)}
        return Response({"detail": message, "code": "parse_error", "errors": {}}, status=400)
    return None


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    unreadable = _unreadable_body(exc)
    if unreadable is not None:
        return unreadable
    if isinstance(exc, DATABASE_ERRORS):
        # The database restarts or fails over: retryable (idempotency keys make it safe).
        response = Response(
            {
                "detail": unavailable_message(context.get("request")),
                "code": "service_unavailable",
                "errors": {},
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = str(retry_after_seconds())
        return response
    if isinstance(exc, CONFLICTS):
        return Response(
            {"detail": exc.message, "code": "conflict", "errors": {}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, STATUS_ERRORS):
        return _status_error(exc)
    if isinstance(exc, RateLimitedError):
        response = Response(
            {"detail": exc.message, "code": "throttled", "errors": {}},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation(exc)
        return Response(
            {"detail": _first(errors, _("Invalid input.")), "code": "invalid", "errors": errors},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django log it and answer 500
    if isinstance(exc, exceptions.APIException):
        errors = _flatten(exc.detail) if isinstance(exc, exceptions.ValidationError) else {}
        detail = exc.detail if not errors else _first(errors, _("Invalid input."))
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "invalid"
        response.data = {"detail": str(detail), "code": code, "errors": errors}
    return response
