"""JSON schemas of the OGC API documents, for the OpenAPI definition (openapi.py).

Compact versions of the schemas of OGC API – Features Part 1 (landing page, conformance,
collections, GeoJSON features with links), written for this service's answers.
"""

from __future__ import annotations

from typing import Any

REF = "#/components"


def ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"{REF}/{kind}/{name}"}


def base_schemas() -> dict[str, Any]:
    links = {"type": "array", "items": ref("schemas", "link")}
    string = {"type": "string"}
    return {
        "exception": {
            "type": "object",
            "required": ["code"],
            "properties": {"code": string, "description": string},
        },
        "link": {
            "type": "object",
            "required": ["href"],
            "properties": {"href": string, "rel": string, "type": string, "title": string},
        },
        "landingPage": {
            "type": "object",
            "required": ["links"],
            "properties": {"title": string, "description": string, "links": links},
        },
        "confClasses": {
            "type": "object",
            "required": ["conformsTo"],
            "properties": {"conformsTo": {"type": "array", "items": string}},
        },
        "extent": {
            "type": "object",
            "properties": {
                "spatial": {
                    "type": "object",
                    "properties": {
                        "bbox": {
                            "type": "array",
                            "items": {"type": "array", "items": {"type": "number"}},
                        },
                        "crs": string,
                    },
                },
                "temporal": {
                    "type": "object",
                    "properties": {
                        "interval": {
                            "type": "array",
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "string",
                                    "format": "date-time",
                                    "nullable": True,
                                },
                            },
                        },
                        "trs": string,
                    },
                },
            },
        },
        "collection": {
            "type": "object",
            "required": ["id", "links"],
            "properties": {
                "id": string,
                "title": string,
                "description": string,
                "links": links,
                "extent": ref("schemas", "extent"),
                "itemType": string,
                "crs": {"type": "array", "items": string},
                "storageCrs": string,
            },
        },
        "collections": {
            "type": "object",
            "required": ["links", "collections"],
            "properties": {
                "links": links,
                "collections": {"type": "array", "items": ref("schemas", "collection")},
            },
        },
        "geometryGeoJSON": {
            "type": "object",
            "required": ["type"],
            "properties": {
                "type": {
                    "type": "string",
                    "enum": [
                        "Point",
                        "MultiPoint",
                        "LineString",
                        "MultiLineString",
                        "Polygon",
                        "MultiPolygon",
                        "GeometryCollection",
                    ],
                },
                "coordinates": {"type": "array"},
            },
        },
        "featureGeoJSON": {
            "type": "object",
            "required": ["type", "geometry", "properties"],
            "properties": {
                "type": {"type": "string", "enum": ["Feature"]},
                "id": {"type": "integer"},
                "geometry": {"allOf": [ref("schemas", "geometryGeoJSON")], "nullable": True},
                "properties": {"type": "object", "nullable": True},
                "links": links,
            },
        },
        "featureCollectionGeoJSON": {
            "type": "object",
            "required": ["type", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "features": {"type": "array", "items": ref("schemas", "featureGeoJSON")},
                "links": links,
                "timeStamp": {"type": "string", "format": "date-time"},
                "numberMatched": {"type": "integer", "minimum": 0},
                "numberReturned": {"type": "integer", "minimum": 0},
            },
        },
    }
