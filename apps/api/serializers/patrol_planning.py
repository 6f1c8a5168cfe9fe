"""Bodies of the patrol-planning writes (plans, conflicts, grid assignments, duty roster,
cancel, findings, track files) and what they answer.

The plan body is checked for shape here (so the schema documents it); the rules (grids of
the community, team roles, dates) are apps.patrols.forms.PlanPayload's, as on the page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from apps.patrols.models import DutyShift
from apps.patrols.models.plans import Recurrence


class LineStringSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["LineString"])
    coordinates = serializers.ListField(
        child=serializers.ListField(child=serializers.FloatField(), min_length=2, max_length=3),
        min_length=2,
    )


class PlanCheckpointSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    lat = serializers.FloatField()
    lng = serializers.FloatField()


class TeamSeatSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=_("A member of the plan's community."))
    role = serializers.CharField(help_text=_("Their role on the team, e.g. police_officer."))


class PlanRequestSerializer(serializers.Serializer):
    community = serializers.IntegerField(
        required=False, help_text=_("A community you manage (ignored when editing a plan).")
    )
    name = serializers.CharField(max_length=200)
    grids = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    route = LineStringSerializer(required=False, allow_null=True, default=None)
    checkpoints = PlanCheckpointSerializer(many=True, required=False, default=list)
    team = TeamSeatSerializer(many=True, required=False, default=list)
    start_time = serializers.CharField(help_text=_("HH:MM, local time."))
    end_time = serializers.CharField(help_text=_("HH:MM; earlier than the start: next day."))
    recurrence = serializers.ChoiceField(choices=Recurrence.choices)
    weekdays = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=6), required=False, default=list
    )
    starts_on = serializers.CharField(help_text=_("YYYY-MM-DD"))
    until = serializers.CharField(help_text=_("YYYY-MM-DD"))
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    accept_conflicts = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Save even though the plan has conflicts (otherwise 409 lists them)."),
    )


class PlanDraftSerializer(PlanRequestSerializer):
    id = serializers.IntegerField(
        required=False, help_text=_("The plan being edited, so its own patrols do not conflict.")
    )


class PlanConflictSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["double_booking", "grid_overlap"])
    message = serializers.CharField()
    details = serializers.DictField()


class PlanCheckSerializer(serializers.Serializer):
    conflicts = PlanConflictSerializer(many=True)
    patrols = serializers.IntegerField(help_text=_("How many patrols the plan would make."))


class GenerateResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    cancelled = serializers.IntegerField()
    restored = serializers.IntegerField()


class CoverPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()


class GridCoverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    people = CoverPersonSerializer(many=True)


class AssignmentRequestSerializer(serializers.Serializer):
    community = serializers.IntegerField()
    person = serializers.IntegerField()
    add = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    remove = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)


class DutyShiftSerializer(serializers.ModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    grid_id = serializers.IntegerField(read_only=True)
    grid_code = serializers.CharField(source="grid.code", read_only=True)
    person_id = serializers.IntegerField(read_only=True)
    person_name = serializers.CharField(source="person.__str__", read_only=True)

    class Meta:
        model = DutyShift
        fields = (
            "id",
            "community_id",
            "grid_id",
            "grid_code",
            "person_id",
            "person_name",
            "weekday",
            "on_date",
            "start_time",
            "end_time",
            "note",
        )


class DutyShiftRequestSerializer(serializers.Serializer):
    grid = serializers.IntegerField()
    person = serializers.IntegerField()
    start_time = serializers.TimeField()
    end_time = serializers.TimeField()
    weekday = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=6
    )
    on_date = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class CancelRequestSerializer(serializers.Serializer):
    note = serializers.CharField(
        allow_blank=True, max_length=2000, help_text=_("Why the patrol is cancelled.")
    )


class FindingRequestSerializer(serializers.Serializer):
    category = serializers.CharField(help_text=_("A report category (its slug or id)."))
    description = serializers.CharField(allow_blank=True, max_length=4000)
    lat = serializers.CharField()
    lng = serializers.CharField()
    photos = serializers.ListField(child=serializers.ImageField(), required=False)
    key = serializers.CharField(required=False, allow_blank=True, max_length=64)


class FindingResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.CharField(help_text=_("The tracking code of the report filed."))


class TrackFileRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A GPX or GeoJSON track."))


class TrackFileResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filename = serializers.CharField()
    points = serializers.IntegerField(source="point_count")
