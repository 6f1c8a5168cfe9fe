"""Content negotiation, links and errors shared by the OGC API views.

JSON is the default; HTML comes with `f=html` or when the client's Accept asks for
text/html (a browser). Errors use the OGC exception shape {"code", "description"}.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .params import OgcParameterError, parse_format

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI_JSON = "application/vnd.oai.openapi+json;version=3.0"
# Chinese stays readable in the JSON (UTF-8), not \\u-escaped.
READABLE = {"ensure_ascii": False}


class OgcNotFoundError(Exception):
    """A collection or feature that does not exist (or that the user may not see)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def wants_html(request: HttpRequest) -> bool:
    """f=html, or a browser's Accept (text/html) when f is not given. Raises on a bad f."""
    chosen = parse_format(request.GET)
    if chosen is not None:
        return chosen == "html"
    accept = request.headers.get("Accept", "")
    return "text/html" in accept


def url(request: HttpRequest, name: str, /, *args: Any, **params: Any) -> str:
    """Absolute URL of a named OGC view with query parameters (None values left out).

    `name` is positional-only: a layer property called "name" is a query parameter too.
    """
    path = reverse(f"ogcapi:{name}", args=args)
    query = {key: value for key, value in params.items() if value is not None}
    return request.build_absolute_uri(path + (f"?{urlencode(query)}" if query else ""))


def link(href: str, rel: str, media_type: str, title: str) -> dict[str, str]:
    return {"href": href, "rel": rel, "type": media_type, "title": title}


def self_links(
    request: HttpRequest, name: str, *args: Any, json_type: str = JSON, html: bool
) -> list[dict[str, str]]:
    """`self` and `alternate` links of a resource, the one served first."""
    as_json = link(url(request, name, *args, f="json"), "self", json_type, _("This document"))
    as_html = link(url(request, name, *args, f="html"), "self", HTML, _("This page"))
    if html:
        as_json["rel"], as_json["title"] = "alternate", _("This document as JSON")
        return [as_html, as_json]
    as_html["rel"], as_html["title"] = "alternate", _("This document as HTML")
    return [as_json, as_html]


def json_response(data: Any, *, content_type: str = JSON, status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, default=str)
    return HttpResponse(body, content_type=content_type, status=status)


def ogc_error(
    request: HttpRequest, status: int, code: str, description: str, *, html: bool = False
) -> HttpResponse:
    if html:
        context = {"status": status, "code": code, "description": description}
        return render(request, "ogcapi/error.html", context, status=status)
    return JsonResponse(
        {"code": code, "description": description}, status=status, json_dumps_params=READABLE
    )


def ogc_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET/HEAD only; a bad parameter is a 400 and a missing resource a 404, both in the
    OGC exception shape (or as a page when HTML was asked for)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            html = wants_html(request)
        except OgcParameterError as error:
            return ogc_error(request, 400, error.code, error.message)
        try:
            return view(request, *args, html=html, **kwargs)
        except OgcParameterError as error:
            return ogc_error(request, 400, error.code, error.message, html=html)
        except OgcNotFoundError as error:
            return ogc_error(request, 404, "NotFound", error.message, html=html)

    return require_safe(wrapper)
