"""Reports: public features (what the public map shows), staff features (what the console
shows), the public timeline, and the bodies of the write endpoints."""

from __future__ import annotations

from django.contrib.gis.db.models import PointField
from drf_spectacular.contrib.rest_framework_gis import build_geo_schema
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from apps.reports.models import DESCRIPTION_MAX_LENGTH, Category, Report
from apps.reports.services import MAX_PHOTOS
from apps.reports.states import Action, Status

# Actions staff take through POST /reports/{id}/transitions/ (residents confirm or dispute
# through the tracking-code endpoints instead).
STAFF_ACTIONS = [
    a for a in Action.values if a not in (Action.SUBMIT, Action.CONFIRM, Action.DISPUTE)
]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ("id", "code", "name", "name_en", "accept_hours", "dispatch_hours", "handle_hours")


@extend_schema_field(build_geo_schema(PointField()))
class GeneratedPointField(GeometryField):
    """A point the database computes (a generated column): the schema can't read its type."""


class ReportPublicFeatureSerializer(GeoFeatureModelSerializer):
    """Anyone: the public layer's facts; no description, code, name or contact."""

    category_code = serializers.CharField(source="category.code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    is_overdue = serializers.BooleanField(read_only=True)
    grid_code = serializers.CharField(source="grid.code", read_only=True, allow_null=True)
    # Blurred to its ~150 m cell when the resident kept the exact spot private. Named after
    # the model's point field, so the schema documents it as a GeoJSON Point.
    location = GeneratedPointField(source="public_location", read_only=True)

    class Meta:
        model = Report
        geo_field = "location"
        fields = (
            "id",
            "category_code",
            "category_name",
            "status",
            "status_label",
            "submitted_at",
            "is_overdue",
            "me_too_count",
            "grid_code",
            "community_id",
        )


class ReportStaffFeatureSerializer(ReportPublicFeatureSerializer):
    """Staff in whose scope the report is: the console's columns. Contacts stay off the API."""

    dispatched_to = serializers.CharField(source="dispatched_to_label", read_only=True)
    location = GeometryField(read_only=True)  # staff handling it see the exact spot

    class Meta(ReportPublicFeatureSerializer.Meta):
        fields: tuple[str, ...] = (  # type: ignore[assignment]
            *ReportPublicFeatureSerializer.Meta.fields,
            "code",
            "description",
            "dispatched_to",
            "accept_due",
            "dispatch_due",
            "handle_due",
            "closed_at",
        )


class TimelineStepSerializer(serializers.Serializer):
    """One public step: roles and organisations, never a person's name."""

    at = serializers.DateTimeField()
    action = serializers.ChoiceField(choices=Action.choices)
    action_label = serializers.CharField()
    role_label = serializers.CharField()
    status_label = serializers.CharField()
    target = serializers.CharField()
    note = serializers.CharField()
    photos = serializers.SerializerMethodField()

    def get_photos(self, step: object) -> list[str]:
        request = self.context.get("request")
        urls = [photo.file.url for photo in step.photos]  # type: ignore[attr-defined]
        return [request.build_absolute_uri(u) if request else u for u in urls]


class TrackedReportSerializer(serializers.Serializer):
    """What the holder of a tracking code sees."""

    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    category_name = serializers.CharField(source="category.name")
    description = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    me_too_count = serializers.IntegerField()


class ReportSubmitSerializer(serializers.Serializer):
    """The web form's fields; the service checks them (one place for the rules)."""

    category = serializers.CharField(help_text="Category code or id.")
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    photos = serializers.ListField(
        child=serializers.ImageField(), required=False, max_length=MAX_PHOTOS
    )
    contact_phone = serializers.CharField(required=False, allow_blank=True, default="")
    contact_email = serializers.CharField(required=False, allow_blank=True, default="")
    hide_identity = serializers.BooleanField(required=False, default=False)
    location_private = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Keep the exact spot private: public maps show it blurred to about 150 m.",
    )
    idempotency_key = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="16-64 of [A-Za-z0-9_-]; the same key again returns the first report.",
    )


class SubmissionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The tracking code: keep it to follow the report.")
    status = serializers.ChoiceField(choices=Status.choices)
    created = serializers.BooleanField(help_text="False when the idempotency key was seen.")


class TransitionRequestSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=STAFF_ACTIONS)
    note = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Reason or feedback when needed."
    )
    target = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text='dispatch: "user:<id>" or "org:<id>".',
    )
    hours = serializers.IntegerField(required=False, help_text="defer: hours to extend by.")
    photos = serializers.ListField(
        child=serializers.ImageField(), required=False, max_length=MAX_PHOTOS
    )


class TransitionResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    action = serializers.ChoiceField(choices=Action.choices)


class ResidentNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MeTooResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    me_too_count = serializers.IntegerField()
    counted = serializers.BooleanField(help_text="False when you had already said so.")
