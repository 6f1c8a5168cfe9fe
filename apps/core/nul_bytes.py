"""Refuse NUL characters in the URL, query string and form fields, with a 400 a person can read.

PostgreSQL cannot store or compare a text containing U+0000: psycopg raises ValueError the
moment such a string reaches a query, which would answer a 500 wherever a parameter is used
in a filter or a field is saved. No legitimate text contains one, so this middleware refuses
the request up front, in the error format of the part of the site it was sent to (Open311,
OGC API, REST API, or a plain page). JSON bodies are checked by the serializers (DRF's
CharField refuses NUL); uploaded files are not text and are not looked at here.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _offending(request: HttpRequest) -> str | None:
    """The name of the first parameter holding a NUL ("path" for the URL), or None."""
    if "\x00" in request.path:
        return "path"
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            return name.replace("\x00", "")
    if request.method == "POST" and request.content_type in FORM_TYPES:
        for name, values in request.POST.lists():
            if "\x00" in name or any("\x00" in v for v in values):
                return name.replace("\x00", "")
    return None


def _refusal(request: HttpRequest, name: str) -> HttpResponse:
    message = _(
        "“%(name)s” contains a NUL character (U+0000), which no text may hold: remove it and "
        "send the request again."
    ) % {"name": name[:60]}
    path = request.path
    if path.startswith("/open311/"):
        from apps.open311.api.encoding import render_errors

        return render_errors("json" if ".json" in path else "xml", 400, [message])
    if path.startswith("/ogcapi/"):
        body = {"code": "InvalidParameterValue", "description": message}
        return HttpResponse(json.dumps(body), content_type="application/json", status=400)
    if path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
        api_body = {"detail": message, "code": "invalid", "errors": {name: [message]}}
        return HttpResponse(json.dumps(api_body), content_type="application/json", status=400)
    page = f"<!doctype html><title>400</title><p>{html.escape(message)}</p>"
    return HttpResponse(page, content_type="text/html; charset=utf-8", status=400)


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = _offending(request)
        if name is not None:
            return _refusal(request, name)
        return self.get_response(request)
