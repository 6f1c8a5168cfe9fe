"""Works (public facts, as GeoJSON) and programmes with their progress figures."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from apps.works.models import Programme, Work
from apps.works.workflow import MOVES_BY_ACTION, WorkStatus

WORK_ACTIONS = sorted(MOVES_BY_ACTION)


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

    class Meta:
        model = Programme
        fields = (
            "id",
            "name",
            "name_en",
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
