"""Shared schema pieces: the error body and the error responses every operation documents."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    """Every 4xx body: a message a person can act on, a machine code, per-field messages."""

    detail = serializers.CharField()
    code = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


_DESCRIPTIONS = {
    400: "Invalid input: `detail` says what was wrong, `errors` per field.",
    401: "Not signed in (session or `Authorization: Token <key>`).",
    403: "Signed in, but not allowed to do this.",
    404: "No such object, or not one you may see.",
    409: "The object's current state does not allow this step.",
    429: "Too many submissions: wait `Retry-After` seconds.",
}


def errors(*codes: int) -> dict[int, Any]:
    """Error responses for @extend_schema(responses=...)."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_DESCRIPTIONS[code])
        for code in codes
    }


READ_ERRORS = errors(400, 401, 403)
DETAIL_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(400, 401, 403, 404, 409)
