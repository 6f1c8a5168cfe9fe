"""The OpenAPI 3.0 definition of the OGC API (its `service-desc`), built from the registry.

Each visible collection gets its own items paths, so that its property filters and the
types of its properties are spelled out for clients (QGIS, OWSLib, code generators).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core.layers import Layer

from .params import DEFAULT_LIMIT, MAX_LIMIT, output_field
from .schemas import base_schemas, ref

GEOJSON = "application/geo+json"


def _content(schema_name: str, media_type: str = "application/json") -> dict[str, Any]:
    return {
        media_type: {"schema": ref("schemas", schema_name)},
        "text/html": {"schema": {"type": "string"}},
    }


def _operation(
    operation_id: str,
    summary: str,
    schema_name: str,
    *,
    media_type: str = "application/json",
    parameters: list[dict[str, Any]] | None = None,
    not_found: bool = False,
    tag: str = "Capabilities",
) -> dict[str, Any]:
    responses: dict[str, Any] = {
        "200": {"description": summary, "content": _content(schema_name, media_type)},
        "400": ref("responses", "InvalidParameter"),
    }
    if not_found:
        responses["404"] = ref("responses", "NotFound")
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": [tag],
            "parameters": [ref("parameters", "f"), *(parameters or [])],
            "responses": responses,
        }
    }


JSON_TYPES: list[tuple[type[models.Field], dict[str, Any]]] = [
    (models.BooleanField, {"type": "boolean"}),
    (models.IntegerField, {"type": "integer"}),
    (models.AutoField, {"type": "integer"}),
    (models.FloatField, {"type": "number"}),
    (models.DecimalField, {"type": "number"}),
    (models.DateTimeField, {"type": "string", "format": "date-time"}),
    (models.DateField, {"type": "string", "format": "date"}),
]


def property_schema(layer: Layer) -> dict[str, Any]:
    """The JSON schema of a layer's `properties`, from the types the queryset resolves."""
    # The types do not depend on who asks; an anonymous user keeps every layer's rules happy.
    rows = layer.rows(AnonymousUser())
    properties = {}
    for name in layer.fields:
        field = output_field(rows, name)
        schema = next(
            (dict(json) for kind, json in JSON_TYPES if isinstance(field, kind)),
            {"type": "string"},
        )
        properties[name] = {**schema, "nullable": True}
    return {"type": "object", "properties": properties}


def _items_parameters(layer: Layer) -> list[dict[str, Any]]:
    parameters = [ref("parameters", name) for name in ("bbox", "limit", "offset")]
    if layer.datetime_field:
        parameters.append(ref("parameters", "datetime"))
    schema = property_schema(layer)["properties"]
    for name in layer.fields:
        value_schema = {key: value for key, value in schema[name].items() if key != "nullable"}
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "description": _("Only features whose %(name)s equals this value.") % {"name": name},
            "schema": value_schema,
            "style": "form",
            "explode": False,
        }
        parameters.append(parameter)
    return parameters


def definition(request: HttpRequest, layers: list[Layer]) -> dict[str, Any]:
    """The OpenAPI 3.0 document for the collections `layers`."""
    server = request.build_absolute_uri(reverse("ogcapi:landing")).rstrip("/")
    paths: dict[str, Any] = {
        "/": _operation("getLandingPage", _("Landing page"), "landingPage"),
        "/conformance": _operation("getConformance", _("Conformance classes"), "confClasses"),
        "/api": {
            "get": {
                "operationId": "getApiDefinition",
                "summary": _("This API definition"),
                "tags": ["Capabilities"],
                "parameters": [ref("parameters", "f")],
                "responses": {
                    "200": {
                        "description": _("The OpenAPI 3.0 definition"),
                        "content": {
                            "application/vnd.oai.openapi+json;version=3.0": {
                                "schema": {"type": "object"}
                            },
                            "text/html": {"schema": {"type": "string"}},
                        },
                    },
                    "400": ref("responses", "InvalidParameter"),
                },
            }
        },
        "/collections": _operation("getCollections", _("The collections"), "collections"),
        "/collections/{collectionId}": _operation(
            "describeCollection",
            _("One collection"),
            "collection",
            parameters=[ref("parameters", "collectionId")],
            not_found=True,
        ),
    }
    schemas = base_schemas()
    for layer in layers:
        properties_name = f"{layer.name}Properties"
        schemas[properties_name] = property_schema(layer)
        schemas[f"{layer.name}Feature"] = {
            "allOf": [
                ref("schemas", "featureGeoJSON"),
                {"type": "object", "properties": {"properties": ref("schemas", properties_name)}},
            ]
        }
        schemas[f"{layer.name}FeatureCollection"] = {
            "allOf": [
                ref("schemas", "featureCollectionGeoJSON"),
                {
                    "type": "object",
                    "properties": {
                        "features": {
                            "type": "array",
                            "items": ref("schemas", f"{layer.name}Feature"),
                        }
                    },
                },
            ]
        }
        title = str(layer.title)
        paths[f"/collections/{layer.name}/items"] = _operation(
            f"get{layer.name.title().replace('_', '')}Features",
            _("Features of %(title)s") % {"title": title},
            f"{layer.name}FeatureCollection",
            media_type=GEOJSON,
            parameters=_items_parameters(layer),
            tag=title,
        )
        paths[f"/collections/{layer.name}/items/{{featureId}}"] = _operation(
            f"get{layer.name.title().replace('_', '')}Feature",
            _("One feature of %(title)s") % {"title": title},
            f"{layer.name}Feature",
            media_type=GEOJSON,
            parameters=[ref("parameters", "featureId")],
            not_found=True,
            tag=title,
        )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": _("gridmap OGC API – Features"),
            "version": "1.0.0",
            "description": _(
                "Map layers of gridmap as OGC API – Features (Part 1: Core, GeoJSON, HTML, "
                "OpenAPI 3.0). Coordinates are longitude, latitude in WGS 84 (CRS84)."
            ),
            "license": {"name": "CC-BY-4.0"},
        },
        "servers": [{"url": server}],
        "tags": [{"name": "Capabilities"}, *({"name": str(layer.title)} for layer in layers)],
        "paths": paths,
        "components": {
            "parameters": _parameters([layer.name for layer in layers]),
            "schemas": schemas,
            "responses": {
                "InvalidParameter": {
                    "description": _("A parameter is unknown or has an invalid value."),
                    "content": {"application/json": {"schema": ref("schemas", "exception")}},
                },
                "NotFound": {
                    "description": _("No such collection or feature."),
                    "content": {"application/json": {"schema": ref("schemas", "exception")}},
                },
            },
        },
    }


def _parameters(collection_ids: list[str]) -> dict[str, Any]:
    query = {"in": "query", "required": False, "style": "form", "explode": False}
    return {
        "f": {
            **query,
            "name": "f",
            "description": _("Format: json (the default) or html."),
            "schema": {"type": "string", "enum": ["json", "html"]},
        },
        "bbox": {
            **query,
            "name": "bbox",
            "description": _("minlon,minlat,maxlon,maxlat in WGS 84 degrees."),
            "schema": {
                "type": "array",
                "minItems": 4,
                "maxItems": 6,
                "items": {"type": "number"},
            },
        },
        "limit": {
            **query,
            "name": "limit",
            "description": _("Features per page; more than %(max)d are served %(max)d.")
            % {"max": MAX_LIMIT},
            "schema": {"type": "integer", "minimum": 1, "default": DEFAULT_LIMIT},
        },
        "offset": {
            **query,
            "name": "offset",
            "description": _("Features to skip (the next link does this for you)."),
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        "datetime": {
            **query,
            "name": "datetime",
            "description": _("A date-time or an interval start/end, with .. for an open end."),
            "schema": {"type": "string"},
        },
        "collectionId": {
            "name": "collectionId",
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": collection_ids},
        },
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "schema": {"type": "string"},
        },
    }


def operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The definition's operations as rows for the HTML documentation page."""
    rows = []
    parameters = document["components"]["parameters"]
    for path, item in document["paths"].items():
        operation = item["get"]
        names = []
        for parameter in operation["parameters"]:
            if "$ref" in parameter:
                parameter = parameters[parameter["$ref"].rsplit("/", 1)[1]]
            names.append(parameter["name"])
        rows.append(
            {
                "path": path,
                "summary": operation["summary"],
                "tag": operation["tags"][0],
                "parameters": names,
                "statuses": sorted(operation["responses"]),
            }
        )
    return rows
