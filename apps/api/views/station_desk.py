"""The station desk: its staff list the day's bookings, open loans and waiting parcels,
move bookings and loans on, log parcels and hand them over with the pick-up code; a
resident sees their own parcels. Every write goes through apps.station.services."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.facilities.models import Facility
from apps.regions.models import Building
from apps.station import selectors, services
from apps.station.access import is_desk_staff, stations_staffed_by
from apps.station.errors import WrongCodeError
from apps.station.models import Parcel, SlotBooking, ToolLoan
from apps.station.slots import local_today

from .. import schema
from ..serializers import station as s
from ..serializers import station_desk as d

TAGS = ["station desk"]
DAY = OpenApiParameter(
    "date", OpenApiTypes.DATE, description="The day's bookings (YYYY-MM-DD); today by default."
)
BOOKING_ACTIONS = "`confirm`, `attend`, `no_show` or `cancel`"
LOAN_ACTIONS = "`confirm`, `pick_up`, `return`, `no_show` or `cancel`"


def _day(request: Request) -> datetime.date:
    raw = request.query_params.get("date", "")
    if not raw:
        return local_today()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {"date": [_("The date must look like 2024-07-21.")]}
        ) from None


@extend_schema_view(
    list=extend_schema(
        operation_id="station_desks_list",
        tags=TAGS,
        description="The stations whose desk you staff.",
        responses={200: s.StationSerializer(many=True), **schema.READ_ERRORS},
    ),
)
class StationDeskViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """One station's desk, for the community admins and property staff of its community."""

    serializer_class = s.StationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Facility]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Facility.objects.none()
        staffed = stations_staffed_by(self.request.user).values("pk")
        return selectors.stations().filter(pk__in=staffed)

    def _station(self, pk: str | None) -> Facility:
        # Other communities' stations are not found; a member without a desk role is refused.
        station = get_object_or_404(selectors.stations(), pk=pk)
        if not is_desk_staff(self.request.user, station.community_id):
            raise exceptions.PermissionDenied(_("Only the station's staff use its desk."))
        return station

    @extend_schema(
        operation_id="station_desks_bookings",
        tags=TAGS,
        parameters=[DAY],
        responses={200: d.DeskBookingSerializer(many=True), **schema.errors(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def bookings(self, request: Request, pk: str | None = None) -> Response:
        station = self._station(pk)
        rows = selectors.desk_bookings(station, _day(request)).select_related("bookable__service")
        return Response(d.DeskBookingSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="station_desks_loans",
        tags=TAGS,
        description="Loans still open: to confirm, to hand out, or out.",
        responses={200: d.DeskLoanSerializer(many=True), **schema.DETAIL_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def loans(self, request: Request, pk: str | None = None) -> Response:
        rows = selectors.desk_loans(self._station(pk))
        return Response(d.DeskLoanSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="station_desks_parcels",
        tags=TAGS,
        description="Parcels waiting, oldest first (no pick-up codes: the resident brings it).",
        responses={200: d.ParcelSerializer(many=True), **schema.DETAIL_ERRORS},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def parcels(self, request: Request, pk: str | None = None) -> Response:
        rows = selectors.desk_parcels(self._station(pk))[:200]
        return Response(d.ParcelSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="station_desks_log_parcel",
        tags=TAGS,
        description="Log a parcel left for a resident. The answer carries the six-digit "
        "pick-up code, shown only here and to the resident.",
        request=d.ParcelLogSerializer,
        responses={201: d.LoggedParcelSerializer, **schema.WRITE_ERRORS},
    )
    @parcels.mapping.post
    def log_parcel(self, request: Request, pk: str | None = None) -> Response:
        station = self._station(pk)
        body = d.ParcelLogSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        building = None
        if data["building"] is not None:
            building = Building.objects.filter(pk=data["building"]).first()
            if building is None:
                raise exceptions.ValidationError({"building": [_("There is no such building.")]})
        data["building"] = building
        parcel = services.parcel_log(facility=station, actor=request.user, **data)
        return Response(d.LoggedParcelSerializer(parcel).data, status=201)


def _desk_record(model: Any, pk: str | None, user: Any, station_field: str) -> Any:
    """A booking/loan/parcel of a station whose desk `user` staffs (404 otherwise)."""
    staffed = stations_staffed_by(user).values("pk")
    return get_object_or_404(model.objects.filter(**{f"{station_field}__in": staffed}), pk=pk)


class DeskBookingViewSet(viewsets.GenericViewSet):
    serializer_class = d.DeskBookingSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = SlotBooking.objects.none()

    @extend_schema(
        operation_id="station_desk_bookings_transition",
        tags=TAGS,
        description=f"Move a booking on: {BOOKING_ACTIONS}. 409 when its status or the time "
        "does not allow it.",
        request=d.DeskTransitionSerializer,
        responses={200: d.DeskBookingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        booking = _desk_record(SlotBooking, pk, request.user, "bookable__service__facility")
        body = d.DeskTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        booking = services.booking_transition(
            booking=booking, actor=request.user, **body.validated_data
        )
        return Response(d.DeskBookingSerializer(booking).data)


class DeskLoanViewSet(viewsets.GenericViewSet):
    serializer_class = d.DeskLoanSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = ToolLoan.objects.none()

    @extend_schema(
        operation_id="station_desk_loans_transition",
        tags=TAGS,
        description=f"Move a loan on: {LOAN_ACTIONS}. 409 when its status or the time does "
        "not allow it.",
        request=d.DeskTransitionSerializer,
        responses={200: d.DeskLoanSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        loan = _desk_record(ToolLoan, pk, request.user, "tool__facility")
        body = d.DeskTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        loan = services.loan_transition(loan=loan, actor=request.user, **body.validated_data)
        return Response(d.DeskLoanSerializer(loan).data)


class DeskParcelViewSet(viewsets.GenericViewSet):
    serializer_class = d.ParcelSerializer
    permission_classes = [permissions.IsAuthenticated]
    queryset = Parcel.objects.none()

    @extend_schema(
        operation_id="station_desk_parcels_hand_over",
        tags=TAGS,
        description="Hand a parcel over when the code the resident gives matches. A wrong "
        "code is 400 and says how many attempts are left; then the parcel locks (409).",
        request=d.HandOverSerializer,
        responses={200: d.ParcelSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: str | None = None) -> Response:
        parcel = _desk_record(Parcel, pk, request.user, "facility")
        body = d.HandOverSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            parcel = services.parcel_pick_up(
                parcel=parcel, code=body.validated_data["code"], actor=request.user
            )
        except WrongCodeError as wrong:
            wrong.errors = {"code": [str(wrong.message)]}  # type: ignore[attr-defined]
            raise
        return Response(d.ParcelSerializer(parcel).data)

    @extend_schema(
        operation_id="station_desk_parcels_transition",
        tags=TAGS,
        description="`unlock` a locked parcel (identity checked) or `return` it to the "
        "courier; both need a note. 409 when its status does not allow it.",
        request=d.DeskTransitionSerializer,
        responses={200: d.ParcelSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        parcel = _desk_record(Parcel, pk, request.user, "facility")
        body = d.DeskTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parcel = services.parcel_transition(
            parcel=parcel, actor=request.user, **body.validated_data
        )
        return Response(d.ParcelSerializer(parcel).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="station_my_parcels_list",
        tags=["station"],
        description="Parcels waiting for you (and past ones); the pick-up code while waiting.",
        responses={200: d.MyParcelSerializer(many=True), **schema.READ_ERRORS},
    ),
)
class MyParcelViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = d.MyParcelSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Parcel]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Parcel.objects.none()
        return selectors.parcels_of(self.request.user)
