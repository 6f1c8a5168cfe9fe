"""Read-only GeoJSON endpoints of the base layers (communities, grids, compounds, buildings,
facilities), with the layer registry's row-level rules, a bbox filter and paging."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework_gis.filters import InBBoxFilter
from rest_framework_gis.pagination import GeoJsonPagination

from apps.core.layers import registry

from .. import schema
from ..serializers import geo


class FeaturePagination(GeoJsonPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # The body is a FeatureCollection with the paging figures beside "features". The
        # serializer's schema is a reference to its "<Feature>List" collection component.
        ref = schema.get("$ref", "")
        features = (
            {"type": "array", "items": {"$ref": ref.removesuffix("List")}}
            if ref.endswith("List")
            else schema.get("properties", {}).get("features", schema)
        )
        return {
            "type": "object",
            "required": ["type", "count", "features"],
            "properties": {
                "type": {"type": "string", "enum": ["FeatureCollection"]},
                "count": {"type": "integer"},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "features": features,
            },
        }


class LayerViewSet(viewsets.ReadOnlyModelViewSet):
    """Rows of one registry layer as GeoJSON features; `in_bbox=minlon,minlat,maxlon,maxlat`
    keeps the features intersecting the box (answered from the GiST index)."""

    layer_name: ClassVar[str]
    pagination_class = FeaturePagination
    filter_backends = [InBBoxFilter]
    bbox_filter_include_overlapping = True

    def get_queryset(self) -> QuerySet[Any]:
        layer = registry.get(self.layer_name)
        return layer.rows(self.request.user).order_by("pk")


def _layer_viewset(name: str, geo_field: str, serializer: type, tag: str) -> type:
    documented = extend_schema_view(
        list=extend_schema(
            operation_id=f"{name}_list",
            tags=[tag],
            responses={200: serializer(many=True), **schema.errors(400)},
        ),
        retrieve=extend_schema(
            operation_id=f"{name}_retrieve",
            tags=[tag],
            responses={200: serializer, **schema.errors(404)},
        ),
    )
    cls = type(
        f"{name.title()}ViewSet",
        (LayerViewSet,),
        {
            "layer_name": name,
            "bbox_filter_field": geo_field,
            "serializer_class": serializer,
            "__doc__": f"The {name} layer as GeoJSON features (public fields only).",
            "__module__": __name__,
        },
    )
    return documented(cls)


CommunityViewSet = _layer_viewset(
    "communities", "boundary", geo.CommunityFeatureSerializer, "regions"
)
GridViewSet = _layer_viewset("grids", "boundary", geo.GridFeatureSerializer, "regions")
CompoundViewSet = _layer_viewset("compounds", "boundary", geo.CompoundFeatureSerializer, "regions")
BuildingViewSet = _layer_viewset("buildings", "footprint", geo.BuildingFeatureSerializer, "regions")
FacilityViewSet = _layer_viewset("facilities", "geom", geo.FacilityFeatureSerializer, "facilities")
