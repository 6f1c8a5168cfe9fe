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
