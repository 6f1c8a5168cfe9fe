"""The service station: public catalogue and availability; a signed-in resident's bookings
and loans. Every write goes through apps.station.services (which refuse with a status)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.facilities.models import Facility
from apps.station import selectors, services
from apps.station.models import BookableService, SlotBooking, Tool, ToolLoan

from .. import schema
from ..serializers import station as s

TAGS = ["station"]
STATION = OpenApiParameter(
    "station", OpenApiTypes.INT, description="Only this station's (a facility id)."
)
DATE = OpenApiParameter("date", OpenApiTypes.DATE, required=True, description="YYYY-MM-DD")


def _by_station(request: Request, queryset: QuerySet[Any], field: str) -> QuerySet[Any]:
    station = request.query_params.get("station", "")
    if not station:
        return queryset
    if not station.isdigit():
        raise exceptions.ValidationError({"station": [_("A station is given by its number.")]})
    return queryset.filter(**{field: int(station)})


@extend_schema_view(
    list=extend_schema(
        operation_id="stations_list",
        tags=TAGS,
        responses={200: s.StationSerializer(many=True), **schema.errors(400)},
    ),
)
class StationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Service stations and courier rest stations, with the services they offer."""

    serializer_class = s.StationSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self) -> QuerySet[Facility]:
        return selectors.stations()


@extend_schema_view(
    list=extend_schema(
        operation_id="station_bookables_list",
        tags=TAGS,
        parameters=[STATION],
        responses={200: s.BookableSerializer(many=True), **schema.errors(400)},
    ),
)
class BookableViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Services booked by time slot (housekeeping, a room...): availability and booking."""

    serializer_class = s.BookableSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet[BookableService]:
        bookables = BookableService.objects.filter(is_active=True).select_related("service")
        return _by_station(self.request, bookables, "service__facility_id").order_by("name", "pk")

    @extend_schema(
        operation_id="station_bookables_availability",
        tags=TAGS,
        parameters=[DATE],
        responses={200: s.SlotSerializer(many=True), **schema.errors(400, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def availability(self, request: Request, pk: str | None = None) -> Response:
        bookable = get_object_or_404(self.get_queryset(), pk=pk)
        query = s.DateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        slots = selectors.slot_availability(
            bookable, query.validated_data["date"], user=request.user
        )
        return Response(s.SlotSerializer(slots, many=True).data)

    @extend_schema(
        operation_id="station_bookables_book",
        tags=TAGS,
        description="Book a place in a slot (a member of the station's community). "
        "A full slot, or one you already hold, is refused with 409.",
        request=s.BookingRequestSerializer,
        responses={201: s.BookingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def book(self, request: Request, pk: str | None = None) -> Response:
        bookable = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.BookingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        booking = services.booking_create(
            bookable=bookable, resident=request.user, **body.validated_data
        )
        return Response(s.BookingSerializer(booking).data, status=201)


@extend_schema_view(
    list=extend_schema(
        operation_id="station_tools_list",
        tags=TAGS,
        parameters=[STATION],
        responses={200: s.ToolSerializer(many=True), **schema.errors(400)},
    ),
)
class ToolViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Tools lent by whole days: how many pieces, which days have one free, borrowing."""

    serializer_class = s.ToolSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def get_queryset(self) -> QuerySet[Tool]:
        tools = Tool.objects.filter(is_active=True).annotate(
            pieces=Count("items", filter=Q(items__is_active=True))
        )
        return _by_station(self.request, tools, "facility_id").order_by("name", "pk")

    @extend_schema(
        operation_id="station_tools_availability",
        tags=TAGS,
        responses={200: s.ToolDaySerializer(many=True), **schema.errors(404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def availability(self, request: Request, pk: str | None = None) -> Response:
        tool = get_object_or_404(self.get_queryset(), pk=pk)
        return Response(s.ToolDaySerializer(selectors.tool_availability(tool), many=True).data)

    @extend_schema(
        operation_id="station_tools_borrow",
        tags=TAGS,
        description="Borrow a piece for whole days (a member of the station's community). "
        "With no piece free for all of those days, 409.",
        request=s.LoanRequestSerializer,
        responses={201: s.LoanSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def borrow(self, request: Request, pk: str | None = None) -> Response:
        tool = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.LoanRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loan = services.loan_create(tool=tool, borrower=request.user, **body.validated_data)
        return Response(s.LoanSerializer(loan).data, status=201)


@extend_schema_view(
    list=extend_schema(
        operation_id="station_my_bookings_list",
        tags=TAGS,
        responses={200: s.BookingSerializer(many=True), **schema.READ_ERRORS},
    ),
)
class MyBookingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own slot bookings, latest first."""

    serializer_class = s.BookingSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[SlotBooking]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return SlotBooking.objects.none()
        return selectors.bookings_of(self.request.user)

    @extend_schema(
        operation_id="station_my_bookings_cancel",
        tags=TAGS,
        request=s.NoteSerializer,
        responses={200: s.BookingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        booking = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        booking = services.booking_transition(
            booking=booking, action="cancel", actor=request.user, note=body.validated_data["note"]
        )
        return Response(s.BookingSerializer(booking).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="station_my_loans_list",
        tags=TAGS,
        responses={200: s.LoanSerializer(many=True), **schema.READ_ERRORS},
    ),
)
class MyLoanViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your own tool loans, latest first."""

    serializer_class = s.LoanSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[ToolLoan]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ToolLoan.objects.none()
        return selectors.loans_of(self.request.user)

    @extend_schema(
        operation_id="station_my_loans_cancel",
        tags=TAGS,
        request=s.NoteSerializer,
        responses={200: s.LoanSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        loan = get_object_or_404(self.get_queryset(), pk=pk)
        body = s.NoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loan = services.loan_transition(
            loan=loan, action="cancel", actor=request.user, note=body.validated_data["note"]
        )
        return Response(s.LoanSerializer(loan).data)
