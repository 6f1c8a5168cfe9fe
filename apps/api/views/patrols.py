"""Patrol plans and patrols: reads scoped by apps.patrols.access, writes through its services.

A police officer (or any team member) sees the patrols they are on; the community's staff see
all of the community's; anonymous callers see nothing (401).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.patrols import services
from apps.patrols.access import visible_instances, visible_plans
from apps.patrols.errors import PatrolError
from apps.patrols.models import CheckIn, Checkpoint, PatrolInstance, PatrolPlan

from .. import schema
from ..serializers import patrols as s

TAGS = ["patrols"]


@extend_schema_view(
    list=extend_schema(
        operation_id="patrol_plans_list",
        tags=TAGS,
        responses={200: s.PatrolPlanSerializer(many=True), **schema.READ_ERRORS},
    ),
    retrieve=extend_schema(
        operation_id="patrol_plans_retrieve",
        tags=TAGS,
        responses={200: s.PatrolPlanSerializer, **schema.DETAIL_ERRORS},
    ),
)
class PatrolPlanViewSet(viewsets.ReadOnlyModelViewSet):
    """Plans of the communities whose patrols you manage, and plans whose team you are on."""

    serializer_class = s.PatrolPlanSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[PatrolPlan]:
        checkpoints = Checkpoint.objects.order_by("position", "pk")
        return (
            visible_plans(self.request.user)
            .prefetch_related(Prefetch("checkpoints", queryset=checkpoints))
            .order_by("community_id", "name", "pk")
        )


def _status(instance: PatrolInstance) -> Response:
    out = {
        "id": instance.pk,
        "status": instance.status,
        "status_label": instance.get_status_display(),
    }
    return Response(s.PatrolStatusSerializer(out).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="patrol_instances_list",
        tags=TAGS,
        responses={200: s.PatrolInstanceSerializer(many=True), **schema.READ_ERRORS},
    ),
    retrieve=extend_schema(
        operation_id="patrol_instances_retrieve",
        tags=TAGS,
        responses={200: s.PatrolInstanceSerializer, **schema.DETAIL_ERRORS},
    ),
)
class PatrolInstanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Patrols (one day of a plan) you may see; start, end, check in and record the track."""

    serializer_class = s.PatrolInstanceSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[PatrolInstance]:
        return (
            visible_instances(self.request.user).select_related("plan").order_by("starts_at", "pk")
        )

    def _visible(self, pk: Any) -> PatrolInstance:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(
        operation_id="patrol_instances_start",
        tags=TAGS,
        request=None,
        responses={200: s.PatrolStatusSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str | None = None) -> Response:
        instance = services.patrol_start(instance=self._visible(pk), by=request.user)
        return _status(instance)

    @extend_schema(
        operation_id="patrol_instances_end",
        tags=TAGS,
        request=s.PatrolNoteSerializer,
        responses={200: s.PatrolStatusSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: str | None = None) -> Response:
        instance = self._visible(pk)
        body = s.PatrolNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = services.patrol_end(
            instance=instance, by=request.user, note=body.validated_data["note"]
        )
        return _status(instance)

    @extend_schema(
        operation_id="patrol_instances_check_in",
        tags=TAGS,
        description="On site within 50 m of the checkpoint (geodesic); farther away the "
        "check-in is still recorded, as remote, with its distance in metres.",
        request=s.CheckInRequestSerializer,
        responses={201: s.CheckInResultSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="check-ins")
    def check_ins(self, request: Request, pk: str | None = None) -> Response:
        instance = self._visible(pk)
        body = s.CheckInRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        checkpoint = instance.plan.checkpoints.filter(pk=data["checkpoint"]).first()
        if checkpoint is None:
            raise PatrolError(
                _("Choose a checkpoint of this patrol."), errors={"checkpoint": _("Unknown.")}
            )
        checkin = services.patrol_check_in(
            instance=instance,
            checkpoint=checkpoint,
            person=request.user,
            lon=data["lng"],
            lat=data["lat"],
            accuracy_m=data["accuracy"],
        )
        return Response(s.CheckInResultSerializer(checkin).data, status=201)

    def _checkin(self, pk: str | None, checkin_id: str) -> CheckIn:
        checkin = CheckIn.objects.filter(pk=int(checkin_id), instance=self._visible(pk)).first()
        if checkin is None:
            raise Http404
        return checkin

    @extend_schema(
        methods=["GET"],
        operation_id="patrol_instances_check_in_retrieve",
        tags=TAGS,
        responses={200: s.CheckInSerializer, **schema.DETAIL_ERRORS},
    )
    @extend_schema(
        methods=["PATCH"],
        operation_id="patrol_instances_check_in_note",
        tags=TAGS,
        description="Add or change the note of your own check-in; another person's is "
        "refused (403).",
        request=s.CheckInNoteSerializer,
        responses={200: s.CheckInSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["get", "patch"], url_path=r"check-ins/(?P<checkin_id>\d+)")
    def check_in(self, request: Request, pk: str | None = None, checkin_id: str = "") -> Response:
        checkin = self._checkin(pk, checkin_id)
        if request.method == "PATCH":
            body = s.CheckInNoteSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            checkin = services.checkin_note_update(
                checkin=checkin, person=request.user, note=body.validated_data["note"]
            )
        return Response(s.CheckInSerializer(checkin).data)

    @extend_schema(
        operation_id="patrol_instances_track_add",
        tags=TAGS,
        description="Positions recorded live during the patrol; all or none are saved.",
        request=s.TrackRequestSerializer,
        responses={201: s.TrackResultSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def track(self, request: Request, pk: str | None = None) -> Response:
        instance = self._visible(pk)
        body = s.TrackRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        points = [
            {**point, "time": point["time"].isoformat() if point["time"] else None}
            for point in body.validated_data["points"]
        ]
        added = services.patrol_track_append(instance=instance, person=request.user, points=points)
        return Response(s.TrackResultSerializer({"added": added}).data, status=201)
