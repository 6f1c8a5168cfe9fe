"""Patrol planning through the API: plans (save, generate, archive, check for conflicts),
who covers which grid, the duty roster, and a patrol's cancel, findings and track files.

Thin: bodies are checked here, every write is one call of apps.patrols.services, and the
rules (who may, what state allows it) are the services' — their refusals become 4xx in
apps.api.exceptions. Plans, assignments and shifts are for the community's staff only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.models import Membership, User
from apps.accounts.roles import Role
from apps.patrols import services
from apps.patrols.access import is_patrol_staff, staff_communities, visible_instances
from apps.patrols.conflicts import patrol_plan_check
from apps.patrols.errors import NotFoundError, PatrolError
from apps.patrols.forms import PlanPayload
from apps.patrols.models import DutyShift, PatrolInstance, PatrolPlan
from apps.patrols.services.people import ASSIGNABLE_ROLES
from apps.regions.models import Community, Grid

from .. import schema
from ..serializers import patrol_planning as s
from ..serializers.patrols import PatrolPlanSerializer, PatrolStatusSerializer

TAGS = ["patrol planning"]
CONFLICT_409 = OpenApiResponse(
    response=schema.ErrorSerializer,
    description="The plan has conflicts, their messages in `errors.conflicts` (details from "
    "`conflicts/`); send `accept_conflicts` to save anyway.",
)


class IsPatrolStaff(permissions.IsAuthenticated):
    """Signed in and a community admin somewhere; which rows is each query's business."""

    message = gettext_lazy("Only community staff plan patrols.")  # in the caller's language

    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and is_patrol_staff(request.user)


def _user(request: Request) -> User:
    user = request.user
    assert isinstance(user, User)  # guaranteed by the permission classes
    return user


class PlanningPlanViewSet(viewsets.GenericViewSet):
    """Save, regenerate and archive the plans of the communities you manage."""

    serializer_class = PatrolPlanSerializer
    permission_classes = [IsPatrolStaff]

    def get_queryset(self) -> QuerySet[PatrolPlan]:
        return PatrolPlan.objects.filter(community__in=staff_communities(self.request.user))

    def _draft(self, request: Request, plan: PatrolPlan | None, body: Any) -> Any:
        body.is_valid(raise_exception=True)
        # PlanPayload applies the page's rules to the same keys, field by field.
        community = plan.community if plan else None
        return PlanPayload(dict(request.data), user=request.user, community=community).clean()

    def _save(self, request: Request, plan: PatrolPlan | None) -> Response:
        body = s.PlanRequestSerializer(data=request.data)
        data = self._draft(request, plan, body)
        conflicts = patrol_plan_check(data=data, plan=plan)
        if conflicts and not body.validated_data["accept_conflicts"]:
            return Response(
                {
                    "detail": _(
                        "The plan has conflicts: look at them, then save anyway or change it."
                    ),
                    "code": "conflict",
                    "errors": {"conflicts": [c.message for c in conflicts]},
                },
                status=409,
            )
        saved = services.patrol_plan_save(data=data, by=_user(request), plan=plan)
        return Response(PatrolPlanSerializer(saved).data, status=200 if plan else 201)

    @extend_schema(
        operation_id="planning_plans_create",
        tags=TAGS,
        request=s.PlanRequestSerializer,
        responses={201: PatrolPlanSerializer, **schema.errors(400, 401, 403), 409: CONFLICT_409},
    )
    def create(self, request: Request) -> Response:
        return self._save(request, None)

    @extend_schema(
        operation_id="planning_plans_update",
        tags=TAGS,
        request=s.PlanRequestSerializer,
        responses={
            200: PatrolPlanSerializer,
            **schema.errors(400, 401, 403, 404),
            409: CONFLICT_409,
        },
    )
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._save(request, self.get_object())

    @extend_schema(
        operation_id="planning_plans_conflicts",
        tags=TAGS,
        description="The conflicts the plan would have if saved as sent; nothing is saved.",
        request=s.PlanDraftSerializer,
        responses={200: s.PlanCheckSerializer, **schema.errors(400, 401, 403, 404)},
    )
    @action(detail=False, methods=["post"])
    def conflicts(self, request: Request) -> Response:
        body = s.PlanDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan_id = body.validated_data.get("id")
        plan = None
        if plan_id is not None:
            plan = self.get_queryset().filter(pk=plan_id).first()
            if plan is None:
                raise NotFoundError(_("There is no such plan among those you manage."))
        data = self._draft(request, plan, body)
        found = patrol_plan_check(data=data, plan=plan)
        out = {"conflicts": [c.as_json() for c in found], "patrols": len(data.windows())}
        return Response(s.PlanCheckSerializer(out).data)

    @extend_schema(
        operation_id="planning_plans_generate",
        tags=TAGS,
        description="Make the plan's patrols match its schedule from now on (idempotent).",
        request=None,
        responses={200: s.GenerateResultSerializer, **schema.errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        counts = services.patrol_plan_generate(plan=self.get_object(), by=_user(request))
        return Response(s.GenerateResultSerializer(counts).data)

    @extend_schema(
        operation_id="planning_plans_archive",
        tags=TAGS,
        description="Stop the plan: its future planned patrols are cancelled, history stays.",
        request=None,
        responses={200: PatrolPlanSerializer, **schema.errors(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        plan = services.patrol_plan_archive(plan=self.get_object(), by=_user(request))
        return Response(PatrolPlanSerializer(plan).data)


def _managed_community(request: Request, value: Any) -> Community:
    managed = Community.objects.filter(pk__in=staff_communities(request.user))
    community = managed.filter(pk=value).first() if str(value or "").isdigit() else None
    if community is None:
        raise NotFoundError(
            _("Choose one of the communities you manage."),
            errors={"community": _("Unknown.")},
        )
    return community


def grid_cover(community: Community) -> list[dict[str, Any]]:
    """Each grid of the community with the people covering it (two queries)."""
    links = (
        Membership.grids.through.objects.filter(
            membership__community=community,
            membership__is_active=True,
            membership__role__in=ASSIGNABLE_ROLES,
        )
        .select_related("membership__user")
        .order_by("membership__role", "membership__user__display_name")
    )
    people: dict[int, list[dict[str, Any]]] = {}
    for link in links:
        m = link.membership
        people.setdefault(link.grid_id, []).append(
            {"id": m.user_id, "name": str(m.user), "role": m.role, "role_label": Role(m.role).label}
        )
    grids = Grid.objects.filter(community=community).order_by("code")
    return [
        {"id": g.pk, "code": g.code, "name": g.name, "people": people.get(g.pk, [])}
        for g in grids.only("pk", "code", "name")
    ]


class GridAssignmentViewSet(viewsets.GenericViewSet):
    """Who covers each grid of a community you manage; put people on grids or take them off."""

    permission_classes = [IsPatrolStaff]
    serializer_class = s.GridCoverSerializer
    queryset = Grid.objects.none()  # only for the schema generator; rows come from grid_cover
    pagination_class = None  # a community has a handful of grids: one list

    @extend_schema(
        operation_id="planning_assignments_list",
        tags=TAGS,
        parameters=[OpenApiParameter("community", int, required=True)],
        responses={200: s.GridCoverSerializer(many=True), **schema.errors(401, 403, 404)},
    )
    def list(self, request: Request) -> Response:
        community = _managed_community(request, request.query_params.get("community"))
        return Response(s.GridCoverSerializer(grid_cover(community), many=True).data)

    @extend_schema(
        operation_id="planning_assignments_change",
        tags=TAGS,
        description="Give the person the grids `add`, take away `remove`; answers the new cover.",
        request=s.AssignmentRequestSerializer,
        responses={200: s.GridCoverSerializer(many=True), **schema.errors(400, 401, 403, 404)},
    )
    def create(self, request: Request) -> Response:
        body = s.AssignmentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        community = _managed_community(request, data["community"])
        person = User.objects.filter(pk=data["person"]).first()
        if person is None:
            raise PatrolError(_("Choose a person first."), errors={"person": _("Unknown.")})
        if not data["add"] and not data["remove"]:
            raise PatrolError(_("Select one or more grids first."), errors={"add": _("Required.")})
        services.grid_assignment_change(
            community=community,
            person=person,
            add=data["add"],
            remove=data["remove"],
            by=_user(request),
        )
        return Response(s.GridCoverSerializer(grid_cover(community), many=True).data)


class DutyShiftViewSet(viewsets.GenericViewSet):
    """The duty roster of the communities you manage: list, add and remove shifts."""

    permission_classes = [IsPatrolStaff]
    serializer_class = s.DutyShiftSerializer

    def get_queryset(self) -> QuerySet[DutyShift]:
        return (
            DutyShift.objects.filter(community__in=staff_communities(self.request.user))
            .select_related("grid", "person")
            .order_by("grid__code", "on_date", "weekday", "start_time", "pk")
        )

    @extend_schema(
        operation_id="planning_duty_shifts_list",
        tags=TAGS,
        parameters=[OpenApiParameter("community", int, required=False)],
        responses={200: s.DutyShiftSerializer(many=True), **schema.errors(400, 401, 403)},
    )
    def list(self, request: Request) -> Response:
        shifts = self.get_queryset()
        community = request.query_params.get("community")
        if community is not None:
            shifts = shifts.filter(community=_managed_community(request, community))
        page = self.paginate_queryset(shifts)
        rows = s.DutyShiftSerializer(page if page is not None else shifts, many=True).data
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    @extend_schema(
        operation_id="planning_duty_shifts_create",
        tags=TAGS,
        request=s.DutyShiftRequestSerializer,
        responses={201: s.DutyShiftSerializer, **schema.errors(400, 401, 403)},
    )
    def create(self, request: Request) -> Response:
        body = s.DutyShiftRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        grid = Grid.objects.filter(
            pk=data.pop("grid"), community__in=staff_communities(request.user)
        ).first()
        if grid is None:
            raise PatrolError(
                _("Choose a grid of a community you manage."), errors={"grid": _("Unknown.")}
            )
        person = User.objects.filter(pk=data.pop("person")).first()
        if person is None:
            raise PatrolError(_("Choose a person first."), errors={"person": _("Unknown.")})
        shift = services.duty_shift_create(grid=grid, person=person, by=_user(request), **data)
        return Response(s.DutyShiftSerializer(shift).data, status=201)

    @extend_schema(
        operation_id="planning_duty_shifts_delete",
        tags=TAGS,
        responses={204: None, **schema.errors(401, 403, 404)},
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.duty_shift_delete(shift=self.get_object(), by=_user(request))
        return Response(status=204)


class PatrolActionViewSet(viewsets.GenericViewSet):
    """Cancel a patrol (staff), record a finding or upload a track file (its team)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PatrolStatusSerializer

    def get_queryset(self) -> QuerySet[PatrolInstance]:
        return visible_instances(self.request.user).select_related("plan")

    def _visible(self, pk: Any) -> PatrolInstance:
        return get_object_or_404(self.get_queryset(), pk=pk)

    @extend_schema(
        operation_id="planning_patrols_cancel",
        tags=TAGS,
        request=s.CancelRequestSerializer,
        responses={200: PatrolStatusSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        instance = self._visible(pk)
        body = s.CancelRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = services.patrol_cancel(
            instance=instance, by=_user(request), note=body.validated_data["note"]
        )
        out = {
            "id": instance.pk,
            "status": instance.status,
            "status_label": instance.get_status_display(),
        }
        return Response(PatrolStatusSerializer(out).data)

    @extend_schema(
        operation_id="planning_patrols_finding",
        tags=TAGS,
        description="Filed as a report at (lat, lng), linked to the patrol; the answer "
        "carries the report's tracking code.",
        request={"multipart/form-data": s.FindingRequestSerializer},
        responses={201: s.FindingResultSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def findings(self, request: Request, pk: str | None = None) -> Response:
        instance = self._visible(pk)
        body = s.FindingRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        finding = services.patrol_finding_record(
            instance=instance,
            person=_user(request),
            category=data["category"],
            description=data["description"],
            lon=data["lng"],
            lat=data["lat"],
            photos=request.FILES.getlist("photos"),
            idempotency_key=data.get("key") or None,
        )
        out = {"id": finding.pk, "report": finding.report.code if finding.report else ""}
        return Response(s.FindingResultSerializer(out).data, status=201)

    @extend_schema(
        operation_id="planning_patrols_track_file",
        tags=TAGS,
        description="A GPX or GeoJSON file; a broken one is refused (400) and nothing saved.",
        request={"multipart/form-data": s.TrackFileRequestSerializer},
        responses={201: s.TrackFileResultSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"], url_path="track-files", parser_classes=[MultiPartParser])
    def track_files(self, request: Request, pk: str | None = None) -> Response:
        instance = self._visible(pk)
        body = s.TrackFileRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        content = upload.read(upload.size + 1 if upload.size is not None else -1)
        saved = services.patrol_track_import(
            instance=instance,
            person=_user(request),
            filename=upload.name or "track",
            content=content,
        )
        return Response(s.TrackFileResultSerializer(saved).data, status=201)
