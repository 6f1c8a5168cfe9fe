"""Report endpoints: reads scoped like the console and the public layer; writes call the
same services as the web pages (apps.reports.services), so the rules live in one place."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_gis.filters import InBBoxFilter

from apps.reports import selectors, services
from apps.reports.forms import parse_target
from apps.reports.models import Category, Report
from apps.reports.sla import with_overdue
from apps.reports.states import Action
from apps.reports.views.common import client_ip

from .. import schema
from ..filters import ReportFilter
from ..serializers import reports as s
from .geo import FeaturePagination

WRITE_PARSERS = [MultiPartParser, FormParser, JSONParser]


@extend_schema_view(
    list=extend_schema(
        operation_id="report_categories_list",
        tags=["reports"],
        responses={200: s.CategorySerializer(many=True), **schema.errors(400)},
    ),
)
class CategoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Active report categories, in the report form's order."""

    queryset = Category.objects.filter(is_active=True).order_by("sort_order", "pk")
    serializer_class = s.CategorySerializer
    permission_classes = [permissions.AllowAny]


def _staff(request: Request) -> bool:
    return selectors.is_staff_for_reports(request.user)


@extend_schema_view(
    list=extend_schema(
        operation_id="reports_list",
        tags=["reports"],
        description="Staff: the reports of their console scope, with the console's columns. "
        "Everyone else: accepted reports of public categories, public facts only. Staff "
        "features carry these extra properties: code, description, dispatched_to, "
        "accept_due, dispatch_due, handle_due, closed_at.",
        responses={200: s.ReportPublicFeatureSerializer(many=True), **schema.errors(400)},
    ),
    retrieve=extend_schema(
        operation_id="reports_retrieve",
        tags=["reports"],
        description="Public facts; staff in whose scope the report is also get the staff "
        "properties listed under reports_list.",
        responses={200: s.ReportPublicFeatureSerializer, **schema.errors(404)},
    ),
)
class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    pagination_class = FeaturePagination
    filter_backends = [InBBoxFilter, *viewsets.ReadOnlyModelViewSet.filter_backends]
    filterset_class = ReportFilter
    bbox_filter_include_overlapping = True

    @property
    def bbox_filter_field(self) -> str:
        # The public filter tests the blurred point: a tiny bbox must not locate a private one.
        return "location" if _staff(self.request) else "public_location"

    def get_permissions(self) -> list[Any]:
        # Anyone may file a report or say "me too", as on the web form; the other writes
        # check the person in the services (and need a sign-in here).
        if self.action in ("create", "me_too"):
            return [permissions.AllowAny()]
        return super().get_permissions()

    def get_parsers(self) -> list[Any]:
        return [parser() for parser in WRITE_PARSERS]

    def get_queryset(self) -> QuerySet[Report]:
        if _staff(self.request):
            return selectors.console_reports(self.request.user).order_by("-submitted_at", "-pk")
        return (
            with_overdue(selectors.public_reports())
            .select_related("category", "grid")
            .order_by("-submitted_at", "-pk")
        )

    def get_serializer_class(self) -> type:
        if self.action == "create":
            return s.ReportSubmitSerializer
        if self.action == "transitions":
            return s.TransitionRequestSerializer
        if self.action == "me_too":
            return s.ResidentNoteSerializer
        if _staff(self.request):
            return s.ReportStaffFeatureSerializer
        return s.ReportPublicFeatureSerializer

    @extend_schema(
        operation_id="reports_submit",
        tags=["reports"],
        request={
            "multipart/form-data": s.ReportSubmitSerializer,
            "application/json": s.ReportSubmitSerializer,
        },
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="Same as the `idempotency_key` field.",
            )
        ],
        responses={
            201: s.SubmissionSerializer,
            200: s.SubmissionSerializer,
            **schema.errors(400, 429),
        },
        description="File a report (the web form's rules: inside a served community, at most "
        "3 photos, anonymous submissions rate-limited). 200 when the idempotency key was "
        "already used: the first report comes back unchanged.",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.ReportSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user: Any = request.user
        submission = services.report_submit(
            category=data["category"],
            description=data["description"],
            lon=data["lon"],
            lat=data["lat"],
            photos=data.get("photos", []),
            reporter=user if user.is_authenticated else None,
            contact_phone=data["contact_phone"],
            contact_email=data["contact_email"],
            hide_identity=data["hide_identity"],
            location_private=data["location_private"],
            idempotency_key=data["idempotency_key"] or request.headers.get("Idempotency-Key"),
            client_ip=client_ip(request),
            source=Report.Source.WEB,
        )
        report = submission.report
        out = s.SubmissionSerializer(
            {"code": report.code, "status": report.status, "created": submission.created}
        )
        return Response(
            out.data, status=status.HTTP_201_CREATED if submission.created else status.HTTP_200_OK
        )

    @extend_schema(
        operation_id="reports_transition",
        tags=["reports"],
        request={
            "multipart/form-data": s.TransitionRequestSerializer,
            "application/json": s.TransitionRequestSerializer,
        },
        responses={200: s.TransitionResultSerializer, **schema.WRITE_ERRORS},
        description="Take one workflow step (accept, reject, dispatch, start, handle, verify, "
        "fail_verification, close, defer). 409 when the report's status does not allow it.",
    )
    @action(detail=True, methods=["post"], url_path="transitions")
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        # Only reports of the console scope: others are 404, as on the console.
        report = get_object_or_404(selectors.console_reports(request.user), pk=pk)
        body = s.TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        _apply_step(request, report, data)
        report.refresh_from_db()
        out = s.TransitionResultSerializer(
            {
                "id": report.pk,
                "code": report.code,
                "status": report.status,
                "action": data["action"],
            }
        )
        return Response(out.data)

    @extend_schema(
        operation_id="reports_me_too",
        tags=["reports"],
        request=None,
        responses={200: s.MeTooResultSerializer, **schema.errors(404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="me-too")
    def me_too(self, request: Request, pk: str | None = None) -> Response:
        report = get_object_or_404(selectors.public_reports(), pk=pk)
        user: Any = request.user
        report, counted = services.report_me_too(
            report=report,
            user=user if user.is_authenticated else None,
            client_ip=client_ip(request),
        )
        out = s.MeTooResultSerializer(
            {"id": report.pk, "me_too_count": report.me_too_count, "counted": counted}
        )
        return Response(out.data)


def _apply_step(request: Request, report: Report, data: dict[str, Any]) -> None:
    """Call the service of `action` (the console's mapping of form fields to services)."""
    user: Any = request.user
    step, note, photos = data["action"], data["note"], data.get("photos", [])
    if step == Action.ACCEPT:
        services.report_accept(report=report, actor=user, note=note)
    elif step == Action.REJECT:
        services.report_reject(report=report, actor=user, reason=note)
    elif step == Action.DISPATCH:
        to_user, to_organisation = parse_target(data["target"], community_ids=[report.community_id])
        services.report_dispatch(
            report=report, actor=user, to_user=to_user, to_organisation=to_organisation, note=note
        )
    elif step == Action.START:
        services.report_start(report=report, actor=user, note=note)
    elif step == Action.HANDLE:
        services.report_handle(report=report, actor=user, feedback=note, photos=photos)
    elif step == Action.VERIFY:
        services.report_verify(report=report, actor=user, note=note, photos=photos)
    elif step == Action.FAIL_VERIFICATION:
        services.report_fail_verification(report=report, actor=user, reason=note, photos=photos)
    elif step == Action.CLOSE:
        services.report_close(report=report, actor=user, note=note)
    elif step == Action.DEFER:
        services.report_defer(report=report, actor=user, hours=data.get("hours") or 0, reason=note)


class TrackingViewSet(viewsets.GenericViewSet):
    """What the holder of a tracking code may see and do (the /r/<code>/ page)."""

    permission_classes = [permissions.AllowAny]
    queryset = Report.objects.none()
    serializer_class = s.TrackedReportSerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9-]+"
    parser_classes = WRITE_PARSERS
    pagination_class = None

    def _report(self, code: str) -> Report:
        report = selectors.report_by_code(code)
        if report is None:
            raise_not_found()
        return report  # type: ignore[return-value]

    @extend_schema(
        operation_id="tracking_retrieve",
        tags=["tracking"],
        responses={200: s.TrackedReportSerializer, **schema.errors(404)},
    )
    def retrieve(self, request: Request, code: str) -> Response:
        return Response(s.TrackedReportSerializer(self._report(code)).data)

    @extend_schema(
        operation_id="tracking_timeline",
        tags=["tracking"],
        responses={200: s.TimelineStepSerializer(many=True), **schema.errors(404)},
    )
    @action(detail=True, methods=["get"])
    def timeline(self, request: Request, code: str) -> Response:
        steps = selectors.public_timeline(self._report(code))
        return Response(
            s.TimelineStepSerializer(steps, many=True, context={"request": request}).data
        )

    @extend_schema(
        operation_id="tracking_confirm",
        tags=["tracking"],
        request=s.ResidentNoteSerializer,
        responses={200: s.TrackedReportSerializer, **schema.errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, code: str) -> Response:
        return self._resident_step(request, code, confirm=True)

    @extend_schema(
        operation_id="tracking_dispute",
        tags=["tracking"],
        request=s.ResidentNoteSerializer,
        responses={200: s.TrackedReportSerializer, **schema.errors(400, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def dispute(self, request: Request, code: str) -> Response:
        return self._resident_step(request, code, confirm=False)

    def _resident_step(self, request: Request, code: str, *, confirm: bool) -> Response:
        report = self._report(code)
        body = s.ResidentNoteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user: Any = request.user
        person = user if user.is_authenticated else None
        note = body.validated_data["note"]
        if confirm:
            services.report_confirm(report=report, note=note, user=person)
        else:
            services.report_dispute(report=report, reason=note, user=person)
        return Response(s.TrackedReportSerializer(self._report(code)).data)


def raise_not_found() -> None:
    from rest_framework.exceptions import NotFound

    raise NotFound()
