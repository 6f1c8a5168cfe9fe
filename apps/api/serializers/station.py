"""The service station as the API shows it: stations, bookable services, tools, and a
resident's own bookings and loans."""

from __future__ import annotations

from rest_framework import serializers

from apps.facilities.models import Facility
from apps.station.models import BookableService, SlotBooking, StationService, Tool, ToolLoan


class StationServiceSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = StationService
        fields = ("id", "kind", "kind_label", "name", "name_en", "description", "opening_hours")


class StationSerializer(serializers.ModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    services = StationServiceSerializer(source="offered", many=True, read_only=True)

    class Meta:
        model = Facility
        fields = ("id", "community_id", "kind", "name", "opening_hours", "services")


class BookableSerializer(serializers.ModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    station_id = serializers.IntegerField(source="service.facility_id", read_only=True)

    class Meta:
        model = BookableService
        fields = (
            "id",
            "community_id",
            "station_id",
            "name",
            "name_en",
            "description",
            "slot_minutes",
            "capacity",
            "days_ahead",
            "cancel_notice_hours",
        )


class DateQuerySerializer(serializers.Serializer):
    date = serializers.DateField()


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(source="slot.starts_at")
    ends_at = serializers.DateTimeField(source="slot.ends_at")
    free = serializers.IntegerField()
    capacity = serializers.IntegerField()
    mine = serializers.BooleanField()
    past = serializers.BooleanField()


class ToolSerializer(serializers.ModelSerializer):
    community_id = serializers.IntegerField(read_only=True)
    station_id = serializers.IntegerField(source="facility_id", read_only=True)
    pieces = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tool
        fields = (
            "id",
            "community_id",
            "station_id",
            "name",
            "name_en",
            "description",
            "max_loan_days",
            "days_ahead",
            "pieces",
        )


class ToolDaySerializer(serializers.Serializer):
    day = serializers.DateField()
    free = serializers.IntegerField()
    total = serializers.IntegerField()


class BookingRequestSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)


class LoanRequestSerializer(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=1)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class BookingSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    bookable_id = serializers.IntegerField(read_only=True)
    bookable_name = serializers.CharField(source="bookable.name", read_only=True)
    station_id = serializers.IntegerField(source="bookable.service.facility_id", read_only=True)

    class Meta:
        model = SlotBooking
        fields = (
            "id",
            "code",
            "status",
            "status_label",
            "bookable_id",
            "bookable_name",
            "station_id",
            "starts_at",
            "ends_at",
            "note",
        )


class LoanSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    tool_id = serializers.IntegerField(read_only=True)
    tool_name = serializers.CharField(source="tool.name", read_only=True)
    item_label = serializers.CharField(source="item.label", read_only=True)
    station_id = serializers.IntegerField(source="tool.facility_id", read_only=True)
    first_day = serializers.DateField(read_only=True)
    last_day = serializers.DateField(read_only=True)

    class Meta:
        model = ToolLoan
        fields = (
            "id",
            "code",
            "status",
            "status_label",
            "tool_id",
            "tool_name",
            "item_label",
            "station_id",
            "first_day",
            "last_day",
        )
