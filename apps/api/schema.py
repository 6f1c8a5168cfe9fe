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


def _multi(name: str, part: dict[str, Any]) -> dict[str, Any]:
    """The Multi* counterpart of a single-part GeoJSON geometry schema."""
    coordinates = part["properties"]["coordinates"]
    return {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": [name]},
            "coordinates": {"type": "array", "items": coordinates},
        },
        "required": ["type", "coordinates"],
    }


def _geometry_types(schema: dict[str, Any]) -> list[str] | None:
    """['Point', 'LineString', 'Polygon'] when `schema` is a oneOf of those geometries."""
    options = schema.get("oneOf")
    if not isinstance(options, list):
        return None
    names = []
    for option in options:
        enum = (
            option.get("properties", {}).get("type", {}).get("enum")
            if isinstance(option, dict)
            else None
        )
        if not enum or len(enum) != 1:
            return None
        names.append(enum[0])
    return names


def add_multipart_geometries(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: a generic geometry may also be MultiPoint/LineString/Polygon.

    drf-spectacular documents a model's generic GeometryField as Point | LineString | Polygon
    only, but works and facilities may be multi-part (the D4 elevators are a MultiPoint).
    """

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            if _geometry_types(node) == ["Point", "LineString", "Polygon"]:
                node["oneOf"] = node["oneOf"] + [
                    _multi(f"Multi{single['properties']['type']['enum'][0]}", single)
                    for single in list(node["oneOf"])
                ]
            for value in node.values():
                visit(value)
        elif isinstance(node, list):
            for value in node:
                visit(value)

    visit(result)
    return result


# Errors any operation can answer, whatever its view declares: a bad or expired token is a
# 401 and a missing right a 403 on every operation; a path id that names nothing, or a list
# page past the end, is a 404; a body in a format the operation does not read is a 415; while
# the database is unreachable, every operation answers 503 (apps.core.db_unavailable).
_ALWAYS_DESCRIPTIONS = {
    **_DESCRIPTIONS,
    404: "No such object, or not one you may see; on a list, no such page.",
    413: "The request body is too large to read.",
    415: "The request body is in a format this operation does not read.",
    503: "The database is briefly unreachable: send the same request again after "
    "`Retry-After` seconds (the same idempotency key never files a report twice).",
}
_LOCAL_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?$"


def _error_response(code: int) -> dict[str, Any]:
    return {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        "description": _ALWAYS_DESCRIPTIONS[code],
    }


def _local_times(node: Any) -> None:
    """A TimeField is a local wall-clock time ("22:00:00", Asia/Shanghai) with no offset,
    which JSON Schema's `format: time` (RFC 3339, offset required) does not describe."""
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node["pattern"] = _LOCAL_TIME
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def document_errors(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Postprocessing hook: every operation documents the errors it can answer (above)."""
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = [401, 403, 503]
            if operation.get("parameters") or operation.get("requestBody"):
                codes.append(400)
            if "{" in path or any(p.get("name") == "page" for p in operation.get("parameters", [])):
                codes.append(404)
            if operation.get("requestBody"):
                codes.extend((413, 415))
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(str(code), _error_response(code))
    _local_times(result.get("components", {}).get("schemas", {}))
    return result
