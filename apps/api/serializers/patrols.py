"""Patrol plans and patrols as the API shows them, and the bodies of the patrol writes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.patrols.models import Checkpoint, PatrolInstance, PatrolPlan
from apps.patrols.services.tracks import MAX_POINTS_PER_POST


class CheckpointSerializer(serializers.ModelSerializer):
    lat = serializers.FloatField(source="location.y", read_only=True)
    lng = serializers.FloatField(source="location.x", read_only=True)

    class Meta:
        model = Checkpoint
        fields = ("id", "name", "position", "lat", "lng")


class PatrolPlanSerializer(serializers.ModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    checkpoints = CheckpointSerializer(many=True, read_only=True)
    weekdays = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = PatrolPlan
        fields = (
            "id",
            "community_id",
            "name",
            "start_time",
            "end_time",
            "recurrence",
            "weekdays",
            "starts_on",
            "until",
            "is_active",
            "checkpoints",
        )


class PatrolInstanceSerializer(serializers.ModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    plan_id = serializers.IntegerField(read_only=True)
    plan_name = serializers.CharField(source="plan.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = PatrolInstance
        fields = (
            "id",
            "community_id",
            "plan_id",
            "plan_name",
            "service_date",
            "starts_at",
            "ends_at",
            "status",
            "status_label",
            "started_at",
            "ended_at",
        )


class PatrolNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class PatrolStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()


class CheckInRequestSerializer(serializers.Serializer):
    checkpoint = serializers.IntegerField(help_text=_("A checkpoint of the patrol's plan."))
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    accuracy = serializers.FloatField(required=False, allow_null=True, default=None)


class CheckInResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    checkpoint = serializers.IntegerField(source="checkpoint_id")
    on_site = serializers.BooleanField()
    distance_m = serializers.SerializerMethodField()
    checked_at = serializers.DateTimeField()

    def get_distance_m(self, checkin: Any) -> float:
        return round(checkin.distance_m, 1)


class CheckInNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=2000, help_text="Empty clears it.")


class CheckInSerializer(CheckInResultSerializer):
    """A check-in with its note (the person's own words about the spot)."""

    person = serializers.IntegerField(source="person_id")
    note = serializers.CharField()


class TrackPointSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    time = serializers.DateTimeField(required=False, allow_null=True, default=None)
    accuracy = serializers.FloatField(required=False, allow_null=True, default=None)


class TrackRequestSerializer(serializers.Serializer):
    points = TrackPointSerializer(many=True, allow_empty=False, max_length=MAX_POINTS_PER_POST)


class TrackResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
