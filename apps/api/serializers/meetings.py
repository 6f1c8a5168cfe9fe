"""Joint meetings as the API shows them: list rows, a meeting with its agenda, decisions and
outcome, and the request bodies of the writes (the rules live in apps.meetings.services)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.meetings.models import AgendaItem, JointMeeting, MeetingDecision, MeetingOutcomePhoto
from apps.meetings.workflow import MeetingAction


class MeetingListSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, held or published")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    agenda_count = serializers.IntegerField(read_only=True)
    decision_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = JointMeeting
        fields = (
            "id",
            "community_code",
            "title",
            "date",
            "place",
            "status",
            "status_label",
            "agenda_count",
            "decision_count",
        )


class AgendaItemSerializer(serializers.ModelSerializer):
    report_id = serializers.IntegerField(read_only=True)
    report_code = serializers.CharField(source="report.code", read_only=True)

    class Meta:
        model = AgendaItem
        fields = ("id", "report_id", "report_code", "note", "order")


class DecisionSerializer(serializers.ModelSerializer):
    report_id = serializers.IntegerField(read_only=True, allow_null=True)
    payer_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = MeetingDecision
        fields = ("id", "text", "report_id", "payer_id", "amount", "due_date", "order")


class OutcomePhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingOutcomePhoto
        fields = ("id", "caption", "width", "height")


class OutcomeSerializer(serializers.Serializer):
    text = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    photos = OutcomePhotoSerializer(many=True)


class MeetingSerializer(serializers.ModelSerializer):
    community_code = serializers.CharField(source="community.code", read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, held or published")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    organisations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    outcome = serializers.SerializerMethodField()

    class Meta:
        model = JointMeeting
        fields = (
            "id",
            "community_code",
            "title",
            "date",
            "place",
            "status",
            "status_label",
            "organisations",
            "agenda",
            "decisions",
            "outcome",
        )

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, meeting: JointMeeting) -> Any:
        outcome = getattr(meeting, "outcome", None)  # None until an outcome is written
        if outcome is None:
            return None
        return OutcomeSerializer(
            {
                "text": outcome.text,
                "published_at": outcome.published_at,
                "photos": outcome.photos.all(),
            }
        ).data


class MeetingCreateSerializer(serializers.Serializer):
    community = serializers.CharField(max_length=32, help_text="The community's code.")
    title = serializers.CharField(max_length=200)
    date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    organisations = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list
    )


class MeetingUpdateSerializer(serializers.Serializer):
    """Any subset of a meeting's title, date, place, attending organisations and minutes
    (the community stays); refused once the outcome is published (409)."""

    title = serializers.CharField(max_length=200, required=False)
    date = serializers.DateField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    organisations = serializers.ListField(child=serializers.IntegerField(), required=False)
    notes = serializers.CharField(required=False, allow_blank=True, help_text="Minutes (staff).")


class AgendaAddSerializer(serializers.Serializer):
    report = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class DecisionAddSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=4000)
    report = serializers.IntegerField(required=False, allow_null=True, default=None)
    payer = serializers.IntegerField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, default=None
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class OutcomeSaveSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20000)
    caption = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class MeetingTransitionSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=[a for a in MeetingAction.values if a != MeetingAction.CREATE]
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
