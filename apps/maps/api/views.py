"""GeoJSON endpoints over the layer registry. Thin: parse, ask the registry, let SQL encode."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from apps.core.geojson import feature_collection
from apps.core.layers import Layer, registry

from .params import BadParameterError, parse_bbox, parse_community, parse_limit

GEOJSON_CONTENT_TYPE = "application/geo+json"
# Chinese stays readable in the JSON (UTF-8), not \\u-escaped.
READABLE = {"ensure_ascii": False}


def layer_summary(layer: Layer) -> dict:
    """What a client needs to know to draw a layer (used by the API and the map page)."""
    return {
        "name": layer.name,
        "title": str(layer.title),
        "url": reverse("maps:layer-geojson", args=[layer.name]),
        "geometry_type": layer.geometry_type,
        "min_zoom": layer.min_zoom,
        "label_field": layer.label_field,
        "fields": list(layer.fields),
        "tiles": layer.tiles,
        # Leaflet's {z}/{x}/{y} URL template of the layer's vector tiles (tiles layers only).
        "tiles_url": tile_url_template(layer) if layer.tiles else None,
    }


def tile_url_template(layer: Layer) -> str:
    return reverse("tiles:tile", args=[layer.name, 0, 0, 0]).replace(
        "/0/0/0.pbf", "/{z}/{x}/{y}.pbf"
    )


@require_safe
def layer_list(request: HttpRequest) -> JsonResponse:
    layers = [layer_summary(layer) for layer in registry]
    return JsonResponse({"layers": layers}, json_dumps_params=READABLE)


@require_safe
def layer_geojson(request: HttpRequest, name: str) -> HttpResponse:
    """One layer as an RFC 7946 FeatureCollection, built by PostgreSQL in one query.

    Query parameters: bbox=minlon,minlat,maxlon,maxlat; community=<id>|mine; limit=1..10000.
    """
    if name not in registry:
        return JsonResponse(
            {
                "detail": _("There is no map layer named “%(name)s”. Layers: %(names)s.")
                % {"name": name, "names": ", ".join(layer.name for layer in registry)},
            },
            status=404,
            json_dumps_params=READABLE,
        )
    layer = registry.get(name)
    try:
        bbox = parse_bbox(request.GET.get("bbox"))
        limit = parse_limit(request.GET.get("limit"))
        communities = parse_community(request.GET.get("community"), request.user)
    except BadParameterError as error:
        return JsonResponse(
            {"parameter": error.parameter, "detail": error.message},
            status=400,
            json_dumps_params=READABLE,
        )

    rows = layer.rows(request.user, communities=communities, bbox=bbox)
    text = feature_collection(
        rows, geometry_field=layer.geometry_field, fields=layer.fields, limit=limit
    )
    return HttpResponse(text, content_type=GEOJSON_CONTENT_TYPE)
