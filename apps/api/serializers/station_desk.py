"""The station desk as the API shows it: bookings, loans and parcels of one station, for
its staff, and a resident's own parcels (the pick-up code only while it still waits)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.station.models import Parcel, SlotBooking, ToolLoan

from .station import BookingSerializer, LoanSerializer


class DeskBookingSerializer(BookingSerializer):
    # `status` is the booking's enum, named SlotBookingStatusEnum in the schema
    # (SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]).
    resident_name = serializers.StringRelatedField(source="resident")

    class Meta:  # not inheriting Meta: mypy pins the base's field tuple's length
        model = SlotBooking
        fields = (*BookingSerializer.Meta.fields, "resident_name")


class DeskLoanSerializer(LoanSerializer):
    borrower_name = serializers.StringRelatedField(source="borrower")

    class Meta:
        model = ToolLoan
        fields = (*LoanSerializer.Meta.fields, "borrower_name")


class DeskTransitionSerializer(serializers.Serializer):
    action = serializers.CharField(max_length=32)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ParcelSerializer(serializers.ModelSerializer):
    """A parcel without its pick-up code (what other staff screens and lists show)."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)
    station_id = serializers.IntegerField(source="facility_id", read_only=True)
    building_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Parcel
        fields: tuple[str, ...] = (
            "id",
            "status",
            "status_label",
            "station_id",
            "building_id",
            "unit",
            "recipient_name_masked",
            "phone_last4",
            "carrier",
            "shelf",
            "failed_attempts",
            "logged_at",
            "picked_up_at",
        )


class LoggedParcelSerializer(ParcelSerializer):
    """A parcel just logged, for the staff who logged it: with its pick-up code."""

    class Meta(ParcelSerializer.Meta):
        fields = (*ParcelSerializer.Meta.fields, "pickup_code")


class MyParcelSerializer(ParcelSerializer):
    """A resident's own parcel: the code while it waits, so they can collect it."""

    pickup_code = serializers.SerializerMethodField()

    class Meta(ParcelSerializer.Meta):
        fields = (*ParcelSerializer.Meta.fields, "pickup_code")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pickup_code(self, parcel: Parcel) -> Any:
        return parcel.pickup_code if parcel.status == Parcel.Status.STORED else None


class ParcelLogSerializer(serializers.Serializer):
    recipient_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=30)
    building = serializers.IntegerField(required=False, allow_null=True, default=None)
    unit = serializers.CharField(required=False, allow_blank=True, default="", max_length=16)
    carrier = serializers.CharField(required=False, allow_blank=True, default="", max_length=50)
    shelf = serializers.CharField(required=False, allow_blank=True, default="", max_length=16)


class HandOverSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12)
