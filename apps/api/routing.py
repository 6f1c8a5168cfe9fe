"""The API's router and its answer for URLs it does not know, both in the API's own terms.

Ids are numbers: a router that only matches digits turns `/reports/abc/` into a 404 from the
URL resolver, where a `[^/.]+` lookup would hand "abc" to `pk=` lookups (ValueError, 500).
Any other path under /api/v1/ is answered with the API's JSON error body, not an HTML page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter


class NumericIdRouter(DefaultRouter):
    """DefaultRouter whose `{id}` only matches digits, unless a viewset says otherwise."""

    def get_lookup_regex(self, viewset: Any, lookup_prefix: str = "") -> str:
        if getattr(viewset, "lookup_value_regex", None) is None and getattr(
            viewset, "lookup_field", "pk"
        ) in ("pk", "id"):
            name = getattr(viewset, "lookup_url_kwarg", None) or getattr(
                viewset, "lookup_field", "pk"
            )
            return f"(?P<{lookup_prefix}{name}>[0-9]+)"
        return super().get_lookup_regex(viewset, lookup_prefix)


@csrf_exempt  # a 404 whatever the method: there is nothing to protect
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """404 with the API's error body for a path no endpoint serves."""
    message = _("There is nothing at this address. The API's endpoints are listed at /api/v1/.")
    return JsonResponse({"detail": message, "code": "not_found", "errors": {}}, status=404)
