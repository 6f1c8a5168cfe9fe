"""GeoJSON features of the base layers: the layer registry's public fields, nothing more.

The rows and their annotations (geodesic `area_m2`, `length_m`, names of related rows) come
from apps.core.layers.registry, so the API shows exactly what the map shows.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from apps.facilities.models import Facility
from apps.regions.models import Building, Community, Compound, Grid


def _text() -> serializers.CharField:
    return serializers.CharField(read_only=True, allow_null=True)


def _metres() -> serializers.FloatField:
    return serializers.FloatField(read_only=True, allow_null=True)


class CommunityFeatureSerializer(GeoFeatureModelSerializer):
    subdistrict_name = _text()
    subdistrict_name_en = _text()
    area_m2 = _metres()

    class Meta:
        model = Community
        geo_field = "boundary"
        fields = (
            "id",
            "code",
            "name",
            "name_en",
            "subdistrict_name",
            "subdistrict_name_en",
            "population",
            "households",
            "service_hall_hours",
            "area_m2",
        )


class GridFeatureSerializer(GeoFeatureModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    community_name = _text()
    community_name_en = _text()
    area_m2 = _metres()

    class Meta:
        model = Grid
        geo_field = "boundary"
        fields = (
            "id",
            "code",
            "name",
            "name_en",
            "community_id",
            "community_name",
            "community_name_en",
            "area_m2",
        )


class CompoundFeatureSerializer(GeoFeatureModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    community_name = _text()
    community_name_en = _text()
    property_company_name = _text()
    property_company_name_en = _text()
    area_m2 = _metres()

    class Meta:
        model = Compound
        geo_field = "boundary"
        fields = (
            "id",
            "name",
            "name_en",
            "community_id",
            "community_name",
            "community_name_en",
            "property_company_name",
            "property_company_name_en",
            "area_m2",
        )


class BuildingFeatureSerializer(GeoFeatureModelSerializer):
    # The building head by display name only (never a username or phone number).
    building_head_name = _text()
    compound_name = _text()
    compound_name_en = _text()
    community_id = serializers.IntegerField(read_only=True)
    community_name = _text()
    community_name_en = _text()
    area_m2 = _metres()

    class Meta:
        model = Building
        geo_field = "footprint"
        fields = (
            "id",
            "number",
            "name",
            "floors",
            "households",
            "building_head_name",
            "compound_name",
            "compound_name_en",
            "community_id",
            "community_name",
            "community_name_en",
            "area_m2",
        )


class FacilityFeatureSerializer(GeoFeatureModelSerializer):
    managing_organisation_name = _text()
    managing_organisation_name_en = _text()
    community_id = serializers.IntegerField(read_only=True)
    community_name = _text()
    community_name_en = _text()
    area_m2 = _metres()
    length_m = _metres()

    class Meta:
        model = Facility
        geo_field = "geom"
        fields = (
            "id",
            "name",
            "name_en",
            "kind",
            "status",
            "opening_hours",
            "capacity",
            "completed_on",
            "managing_organisation_name",
            "managing_organisation_name_en",
            "community_id",
            "community_name",
            "community_name_en",
            "area_m2",
            "length_m",
        )
