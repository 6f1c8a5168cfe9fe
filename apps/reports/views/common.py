"""Pieces the report views share: client address, error pages, JSON answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

# Chinese stays readable in the JSON (UTF-8), not \\u-escaped.
READABLE = {"ensure_ascii": False}


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. Behind a reverse proxy, set GRIDMAP_CLIENT_IP_HEADER to the
    header it fills in (e.g. "HTTP_X_REAL_IP"); otherwise every resident would share the
    proxy's address, and its rate limit."""
    header = getattr(settings, "GRIDMAP_CLIENT_IP_HEADER", "")
    if header:
        value = request.META.get(header, "")
        if value:
            return value.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def json_response(data: dict[str, Any], *, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params=READABLE)


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    """{field: [messages]} of a ValidationError ("__all__" for errors without a field)."""
    if hasattr(error, "error_dict"):
        return {
            field: [str(m) for m in ValidationError(errs).messages]
            for field, errs in error.error_dict.items()
        }
    return {"__all__": [str(m) for m in error.messages]}


def problem_page(
    request: HttpRequest, *, status: int, title: str, message: str, back: str = ""
) -> HttpResponse:
    """A page that says what went wrong and what to do (403, 404, 409, 429)."""
    context = {"title": title, "message": message, "back": back, "status": status}
    return render(request, "reports/problem.html", context, status=status)
