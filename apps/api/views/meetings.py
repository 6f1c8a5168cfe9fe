"""Joint meetings (联席会议) of the communities you run or follow: community admins create
them, set the agenda, record decisions and the outcome, and move them on (hold, publish,
withdraw); planners read. Every write goes through apps.meetings.services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import Organisation
from apps.meetings import selectors, services
from apps.meetings.models import (
    AgendaItem,
    JointMeeting,
    MeetingDecision,
    MeetingOutcomePhoto,
)
from apps.reports.models import Report

from .. import schema
from ..serializers import meetings as m
from .notices import community_by_code

TAGS = ["meetings"]


def _organisations(ids: list[int]) -> list[Organisation]:
    organisations = list(Organisation.objects.filter(pk__in=ids))
    if len(organisations) != len(set(ids)):
        raise exceptions.ValidationError(
            {"organisations": [_("One of the organisations does not exist.")]}
        )
    return organisations


def _report(pk: int | None) -> Report | None:
    if pk is None:
        return None
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        raise exceptions.ValidationError({"report": [_("There is no such report.")]})
    return report


@extend_schema_view(
    list=extend_schema(
        operation_id="meetings_list",
        tags=TAGS,
        description="Meetings of the communities where you are a community admin or planner, "
        "latest first.",
        responses={200: m.MeetingListSerializer(many=True), **schema.READ_ERRORS},
    ),
)
class MeetingViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = m.MeetingListSerializer
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self) -> QuerySet[JointMeeting]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return JointMeeting.objects.none()
        return selectors.meetings_visible_to(self.request.user)

    def _meeting(self, pk: str | None) -> JointMeeting:
        meeting = selectors.meeting_for(self.request.user, int(pk)) if pk and pk.isdigit() else None
        if meeting is None:
            raise Http404
        return meeting

    def _show(self, meeting: JointMeeting, status: int = 200) -> Response:
        fresh = selectors.meeting_for(self.request.user, meeting.pk)
        return Response(m.MeetingSerializer(fresh).data, status=status)

    @extend_schema(
        operation_id="meetings_retrieve",
        tags=TAGS,
        responses={200: m.MeetingSerializer, **schema.DETAIL_ERRORS},
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(m.MeetingSerializer(self._meeting(pk)).data)

    @extend_schema(
        operation_id="meetings_create",
        tags=TAGS,
        description="A draft meeting of a community you are an admin of.",
        request=m.MeetingCreateSerializer,
        responses={201: m.MeetingSerializer, **schema.errors(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = m.MeetingCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organisations = _organisations(data["organisations"])
        user: Any = request.user
        meeting = services.meeting_create(
            actor=user,
            community=community_by_code(data["community"]),
            title=data["title"],
            date=data["date"],
            place=data["place"],
            organisations=organisations,
        )
        return self._show(meeting, status=201)

    @extend_schema(
        operation_id="meetings_partial_update",
        tags=TAGS,
        description="Change a meeting's title, date, place, attending organisations or "
        "minutes (a community admin; any subset). 409 once its outcome is published: "
        "withdraw it first.",
        request=m.MeetingUpdateSerializer,
        responses={200: m.MeetingSerializer, **schema.WRITE_ERRORS},
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        meeting = self._meeting(pk)
        body = m.MeetingUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        organisations = (
            _organisations(data["organisations"])
            if "organisations" in data
            else list(meeting.organisations.all())
        )
        user: Any = request.user
        services.meeting_update(
            meeting=meeting,
            actor=user,
            title=data.get("title", meeting.title),
            date=data.get("date", meeting.date),
            place=data.get("place", meeting.place),
            organisations=organisations,
            notes=data.get("notes", meeting.notes),
        )
        return self._show(meeting)

    @extend_schema(
        operation_id="meetings_agenda_add",
        tags=TAGS,
        description="Put a report of the meeting's community on its agenda (once).",
        request=m.AgendaAddSerializer,
        responses={201: m.MeetingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: str | None = None) -> Response:
        meeting = self._meeting(pk)
        body = m.AgendaAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user: Any = request.user
        report = _report(body.validated_data["report"])
        assert report is not None  # the field is required
        services.meeting_agenda_add(
            meeting=meeting, actor=user, report=report, note=body.validated_data["note"]
        )
        return self._show(meeting, status=201)

    @extend_schema(
        operation_id="meetings_agenda_remove",
        tags=TAGS,
        responses={204: None, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["delete"], url_path=r"agenda/(?P<item_id>\d+)")
    def agenda_remove(self, request: Request, pk: str | None = None, item_id: str = "") -> Response:
        meeting = self._meeting(pk)
        item = AgendaItem.objects.filter(pk=int(item_id), meeting=meeting).first()
        if item is None:
            raise Http404
        user: Any = request.user
        services.meeting_agenda_remove(meeting=meeting, actor=user, item=item)
        return Response(status=204)

    @extend_schema(
        operation_id="meetings_decisions_add",
        tags=TAGS,
        description="Record a decision: what, for which report, who pays how much (yuan), by when.",
        request=m.DecisionAddSerializer,
        responses={201: m.MeetingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def decisions(self, request: Request, pk: str | None = None) -> Response:
        meeting = self._meeting(pk)
        body = m.DecisionAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        payer = None
        if data["payer"] is not None:
            payer = Organisation.objects.filter(pk=data["payer"]).first()
            if payer is None:
                raise exceptions.ValidationError({"payer": [_("There is no such organisation.")]})
        user: Any = request.user
        services.meeting_decision_add(
            meeting=meeting,
            actor=user,
            text=data["text"],
            report=_report(data["report"]),
            payer=payer,
            amount=data["amount"],
            due_date=data["due_date"],
        )
        return self._show(meeting, status=201)

    @extend_schema(
        operation_id="meetings_decisions_remove",
        tags=TAGS,
        description="Remove a decision recorded by mistake (a community admin). 409 once the "
        "outcome is published.",
        responses={204: None, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["delete"], url_path=r"decisions/(?P<decision_id>\d+)")
    def decision_remove(
        self, request: Request, pk: str | None = None, decision_id: str = ""
    ) -> Response:
        meeting = self._meeting(pk)
        decision = MeetingDecision.objects.filter(pk=int(decision_id), meeting=meeting).first()
        if decision is None:
            raise Http404
        user: Any = request.user
        services.meeting_decision_remove(meeting=meeting, actor=user, decision=decision)
        return Response(status=204)

    @extend_schema(
        operation_id="meetings_outcome_save",
        tags=TAGS,
        description="Write (or rewrite) the outcome for residents and add photos; a photo "
        "that is not a real image refuses the whole request (400).",
        request={"multipart/form-data": m.OutcomeSaveSerializer},
        responses={200: m.MeetingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def outcome(self, request: Request, pk: str | None = None) -> Response:
        meeting = self._meeting(pk)
        body = m.OutcomeSaveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user: Any = request.user
        services.meeting_outcome_save(meeting=meeting, actor=user, **body.validated_data)
        return self._show(meeting)

    @extend_schema(
        operation_id="meetings_outcome_photo_remove",
        tags=TAGS,
        description="Remove a photo from the outcome (a community admin); its files go too. "
        "409 once the outcome is published.",
        responses={204: None, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["delete"], url_path=r"outcome/photos/(?P<photo_id>\d+)")
    def outcome_photo_remove(
        self, request: Request, pk: str | None = None, photo_id: str = ""
    ) -> Response:
        meeting = self._meeting(pk)
        photo = MeetingOutcomePhoto.objects.filter(
            pk=int(photo_id), outcome__meeting=meeting
        ).first()
        if photo is None:
            raise Http404
        user: Any = request.user
        services.meeting_outcome_photo_remove(meeting=meeting, actor=user, photo=photo)
        return Response(status=204)

    @extend_schema(
        operation_id="meetings_transition",
        tags=TAGS,
        description="`hold` (it took place), `publish` the outcome, or `withdraw` it (with a "
        "note). 409 when the meeting's status does not allow it.",
        request=m.MeetingTransitionSerializer,
        responses={200: m.MeetingSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        meeting = self._meeting(pk)
        body = m.MeetingTransitionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user: Any = request.user
        services.meeting_transition(meeting=meeting, actor=user, **body.validated_data)
        return self._show(meeting)
