"""OGC API – Features, Part 1 (Core, GeoJSON, HTML, OpenAPI 3.0) over the layer registry.

Thin views: parse (params.py), read (selectors.py), answer JSON or HTML (responses.py).
Items are encoded by PostgreSQL (apps.core.geojson.feature_page): one query per page, with
the exact number matched, and wrapped here in the OGC envelope without parsing them.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core.layers import Layer

from . import openapi
from .params import CRS84, check_known, parse_items_query
from .responses import (
    GEOJSON,
    HTML,
    JSON,
    OPENAPI_JSON,
    OgcNotFoundError,
    json_response,
    link,
    ogc_view,
    self_links,
    url,
)
from .selectors import (
    Extent,
    collection_extents,
    item_json,
    items_page,
    visible_layer,
    visible_layers,
)

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
]
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
ONLY_F = ("f",)


def layer_or_404(name: str, user: Any) -> Layer:
    layer = visible_layer(name, user)
    if layer is None:
        names = ", ".join(layer.name for layer in visible_layers(user))
        raise OgcNotFoundError(
            _("There is no collection “%(name)s”. Collections: %(names)s.")
            % {"name": name, "names": names}
        )
    return layer


@ogc_view
def landing(request: HttpRequest, *, html: bool) -> HttpResponse:
    check_known(request.GET, ONLY_F)
    links = [
        *self_links(request, "landing", html=html),
        link(
            url(request, "openapi", f="json"),
            "service-desc",
            OPENAPI_JSON,
            _("The API definition (OpenAPI 3.0)"),
        ),
        link(url(request, "openapi", f="html"), "service-doc", HTML, _("The API documentation")),
        link(url(request, "conformance", f="json"), "conformance", JSON, _("Conformance classes")),
        link(url(request, "collections", f="json"), "data", JSON, _("Collections")),
    ]
    # Newer clients look for the OGC link relation URIs instead of the short names.
    for short in ("conformance", "data"):
        (found,) = (item for item in links if item["rel"] == short)
        links.append({**found, "rel": f"http://www.opengis.net/def/rel/ogc/1.0/{short}"})
    document = {
        "title": _("gridmap: community grid management"),
        "description": _(
            "Every map layer of gridmap (communities, grids, compounds, buildings, "
            "facilities and more) as OGC API – Features collections in WGS 84."
        ),
        "links": links,
    }
    if html:
        return render(request, "ogcapi/landing.html", {"document": document})
    return json_response(document)


@ogc_view
def conformance(request: HttpRequest, *, html: bool) -> HttpResponse:
    check_known(request.GET, ONLY_F)
    document = {"conformsTo": CONFORMANCE}
    if html:
        return render(request, "ogcapi/conformance.html", {"document": document})
    return json_response(document)


@ogc_view
def collections(request: HttpRequest, *, html: bool) -> HttpResponse:
    check_known(request.GET, ONLY_F)
    layers = visible_layers(request.user)
    extents = collection_extents(layers, request.user)
    document = {
        "links": self_links(request, "collections", html=html),
        "collections": [
            collection_document(request, layer, extents[layer.name]) for layer in layers
        ],
    }
    if html:
        return render(request, "ogcapi/collections.html", {"document": document})
    return json_response(document)


@ogc_view
def collection(request: HttpRequest, collection_id: str, *, html: bool) -> HttpResponse:
    check_known(request.GET, ONLY_F)
    layer = layer_or_404(collection_id, request.user)
    extent = collection_extents([layer], request.user)[layer.name]
    document = collection_document(request, layer, extent, html=html)
    if html:
        return render(request, "ogcapi/collection.html", {"document": document, "layer": layer})
    return json_response(document)


def collection_document(
    request: HttpRequest, layer: Layer, extent: Extent, *, html: bool = False
) -> dict[str, Any]:
    name = layer.name
    document: dict[str, Any] = {
        "id": name,
        "title": str(layer.title),
        "description": _("%(title)s: %(type)s features with the properties %(fields)s.")
        % {"title": layer.title, "type": layer.geometry_type, "fields": ", ".join(layer.fields)},
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "links": [
            *self_links(request, "collection", name, html=html),
            link(url(request, "items", name, f="json"), "items", GEOJSON, _("Features as GeoJSON")),
            link(url(request, "items", name, f="html"), "items", HTML, _("Features as HTML")),
        ],
    }
    spatial: dict[str, Any] = {}
    if extent.bbox is not None:
        spatial = {"spatial": {"bbox": [list(extent.bbox)], "crs": CRS84}}
    temporal: dict[str, Any] = {}
    if layer.datetime_field:
        interval = [rfc3339(extent.start), rfc3339(extent.end)]
        temporal = {"temporal": {"interval": [interval], "trs": GREGORIAN}}
    if spatial or temporal:
        document["extent"] = {**spatial, **temporal}
    return document


def rfc3339(value: dt.datetime | dt.date | None) -> str | None:
    """A date-time in UTC with Z; a date as the start of that day in the site's time zone."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = timezone.make_aware(dt.datetime.combine(value, dt.time.min))
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@ogc_view
def items(request: HttpRequest, collection_id: str, *, html: bool) -> HttpResponse:
    layer = layer_or_404(collection_id, request.user)
    query = parse_items_query(request.GET, layer)
    matched, returned, features = items_page(layer, request.user, query)

    kept = {key: value for key, value in request.GET.items() if key not in ("f", "offset")}
    kept["limit"] = str(query.limit)

    def page(offset: int, f: str) -> str:
        return url(request, "items", layer.name, **kept, offset=offset or None, f=f)

    served = "html" if html else "json"
    other, other_type = ("json", GEOJSON) if html else ("html", HTML)
    links = [
        link(page(query.offset, served), "self", HTML if html else GEOJSON, _("This page")),
        link(page(query.offset, other), "alternate", other_type, _("This page in another format")),
        link(
            url(request, "collection", layer.name, f="json"), "collection", JSON, str(layer.title)
        ),
    ]
    if query.offset + returned < matched:
        links.append(
            link(page(query.offset + query.limit, served), "next", links[0]["type"], _("Next page"))
        )
    if query.offset > 0:
        previous = max(0, min(query.offset - query.limit, matched - query.limit))
        links.append(link(page(previous, served), "prev", links[0]["type"], _("Previous page")))

    head = {
        "type": "FeatureCollection",
        "numberMatched": matched,
        "numberReturned": returned,
        "timeStamp": rfc3339(timezone.now().replace(microsecond=0)),
        "links": links,
    }
    if html:
        context = {
            "layer": layer,
            "head": head,
            "features": json.loads(features),
            "query": query,
            "first": query.offset + 1 if returned else 0,
            "last": query.offset + returned,
            "next": next((item for item in links if item["rel"] == "next"), None),
            "prev": next((item for item in links if item["rel"] == "prev"), None),
            "json_url": links[1]["href"],
        }
        return render(request, "ogcapi/items.html", context)
    # PostgreSQL's features go in as they came: no parsing of up to 10,000 features.
    envelope = json.dumps(head, ensure_ascii=False)
    body = f'{envelope[:-1]}, "features": {features}}}'
    return HttpResponse(body, content_type=GEOJSON)


@ogc_view
def item(request: HttpRequest, collection_id: str, feature_id: str, *, html: bool) -> HttpResponse:
    check_known(request.GET, ONLY_F)
    layer = layer_or_404(collection_id, request.user)
    text = None
    if feature_id.isascii() and feature_id.isdigit() and int(feature_id) < 2**63:
        text = item_json(layer, request.user, int(feature_id))
    if text is None:
        raise OgcNotFoundError(
            _("The collection “%(name)s” has no feature “%(id)s”.")
            % {"name": layer.name, "id": feature_id}
        )
    links = [
        *self_links(request, "item", layer.name, feature_id, json_type=GEOJSON, html=html),
        link(
            url(request, "collection", layer.name, f="json"), "collection", JSON, str(layer.title)
        ),
    ]
    if html:
        feature = json.loads(text)
        context = {"layer": layer, "feature": feature, "json_url": links[1]["href"]}
        return render(request, "ogcapi/item.html", context)
    envelope = json.dumps({"links": links}, ensure_ascii=False)
    # Insert the links into the Feature object PostgreSQL built.
    body = f"{text.rstrip()[:-1]}, {envelope[1:]}"
    return HttpResponse(body, content_type=GEOJSON)


@ogc_view
def api_definition(request: HttpRequest, *, html: bool) -> HttpResponse:
    check_known(request.GET, ONLY_F)
    document = openapi.definition(request, visible_layers(request.user))
    if html:
        return render(request, "ogcapi/api.html", {"operations": openapi.operations(document)})
    return json_response(document, content_type=OPENAPI_JSON)
