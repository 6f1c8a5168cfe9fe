"""Works (public facts, as GeoJSON) and programmes with their progress figures."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.contrib.rest_framework_gis import build_geometry_geo_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from apps.accounts.models import Organisation
from apps.facilities.models import Facility, FacilityKind
from apps.regions.models import Community, District
from apps.works.models import Programme, Work, WorkType
from apps.works.workflow import MOVES_BY_ACTION, WorkStatus

WORK_ACTIONS = sorted(MOVES_BY_ACTION)


@extend_schema_field(build_geometry_geo_schema())
class SiteField(GeometryField):
    """A GeoJSON geometry in a request body (documented as any geometry: the model says
    which types a site may take)."""

    def to_internal_value(self, value: Any) -> Any:
        # rest_framework_gis answers GDAL's own words ("Invalid geometry pointer..."): say
        # instead, in the user's language, what a site must look like.
        try:
            return super().to_internal_value(value)
        except (serializers.ValidationError, DjangoValidationError):
            raise serializers.ValidationError(
                _(
                    'This is not a GeoJSON geometry: give {"type": "Point", "coordinates": '
                    "[longitude, latitude]} (or a LineString, Polygon or Multi* of such positions) "
                    "in WGS 84."
                )
            ) from None


class WorkFeatureSerializer(GeoFeatureModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    community_id = serializers.IntegerField(read_only=True)
    programme_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Work
        geo_field = "geom"
        fields = (
            "id",
            "name",
            "name_en",
            "work_type",
            "status",
            "status_label",
            "community_id",
            "programme_id",
            "budget",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
        )


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme and where it stands today (apps.works.selectors.ProgrammeProgress)."""

    done = serializers.IntegerField(source="progress.done", read_only=True)
    target = serializers.IntegerField(source="progress.target", read_only=True)
    in_progress = serializers.IntegerField(source="progress.in_progress", read_only=True)
    percent = serializers.IntegerField(source="progress.percent", read_only=True)
    days_left = serializers.IntegerField(source="progress.days_left", read_only=True)
    overdue = serializers.BooleanField(source="progress.overdue", read_only=True)
    on_track = serializers.BooleanField(source="progress.on_track", read_only=True, allow_null=True)
    projected_completion = serializers.DateField(
        source="progress.projected_completion", read_only=True, allow_null=True
    )
    district_id = serializers.IntegerField(read_only=True)
    owner_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Programme
        fields = (
            "id",
            "name",
            "name_en",
            "district_id",
            "owner_id",
            "description",
            "start_date",
            "deadline",
            "budget",
            "done",
            "target",
            "in_progress",
            "percent",
            "days_left",
            "overdue",
            "on_track",
            "projected_completion",
        )


class WorkTransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=WORK_ACTIONS)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, allow_null=True, default=None)


class WorkTransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    action = serializers.CharField()


class WorkProgressRequestSerializer(serializers.Serializer):
    on = serializers.DateField()
    percent = serializers.IntegerField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class WorkProgressResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    work = serializers.IntegerField(source="work_id")
    on = serializers.DateField()
    percent = serializers.IntegerField()
    text = serializers.CharField()


class WorkWriteSerializer(serializers.Serializer):
    """A work's facts, as a planner corrects them (PATCH: any subset). The rules (site shape,
    dates in order, money not negative, facility of the same community) are the model's and
    apps.works.services', checked there; here only the types are parsed."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    programme = serializers.PrimaryKeyRelatedField(
        queryset=Programme.objects.all(), required=False, allow_null=True
    )
    facility = serializers.PrimaryKeyRelatedField(
        queryset=Facility.objects.all(), required=False, allow_null=True
    )
    facility_kind = serializers.ChoiceField(
        choices=FacilityKind.choices, required=False, allow_blank=True
    )
    work_type = serializers.ChoiceField(choices=WorkType.choices)
    geom = SiteField(help_text="The site: a GeoJSON geometry in WGS 84 (lon, lat).")
    contractor = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    actual_cost = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    planned_start = serializers.DateField(required=False, allow_null=True)
    planned_end = serializers.DateField(required=False, allow_null=True)
    actual_start = serializers.DateField(required=False, allow_null=True)
    actual_end = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class WorkCreateSerializer(WorkWriteSerializer):
    """A new work (status "proposed") of a community you plan for."""

    community = serializers.PrimaryKeyRelatedField(queryset=Community.objects.all())


class ProgrammeWriteSerializer(serializers.Serializer):
    """A programme's facts (PATCH: any subset); the rules are the model's."""

    name = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    target_count = serializers.IntegerField(help_text="How many sites the programme builds.")
    start_date = serializers.DateField()
    deadline = serializers.DateField()
    budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )
    description = serializers.CharField(required=False, allow_blank=True)
