"""Works and programmes: public reads, and the planner's writes through apps.works.services."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework_gis.filters import InBBoxFilter

from apps.works import selectors, services
from apps.works.access import planner_communities
from apps.works.models import Programme, Work

from .. import schema
from ..filters import WorkFilter
from ..serializers import works as s
from .geo import FeaturePagination


def _works_for(user: Any) -> QuerySet[Work]:
    # Planners also see their communities' proposals; everyone sees decided works.
    visible = Q(pk__in=selectors.public_works().values("pk")) | Q(
        community__in=planner_communities(user)
    )
    return Work.objects.filter(visible).order_by("planned_end", "name", "pk")


@extend_schema_view(
    list=extend_schema(
        operation_id="works_list",
        tags=["works"],
        responses={200: s.WorkFeatureSerializer(many=True), **schema.errors(400)},
    ),
    retrieve=extend_schema(
        operation_id="works_retrieve",
        tags=["works"],
        responses={200: s.WorkFeatureSerializer, **schema.errors(404)},
    ),
    create=extend_schema(
        operation_id="works_create",
        tags=["works"],
        description="Record a work (status “proposed”) in a community you plan for; its "
        "history starts with who recorded it, when.",
        request=s.WorkCreateSerializer,
        responses={201: s.WorkFeatureSerializer, **schema.errors(400, 401, 403)},
    ),
    partial_update=extend_schema(
        operation_id="works_partial_update",
        tags=["works"],
        description="Correct a work's facts (any subset of the fields). The status moves "
        "only through `transitions`; the community stays.",
        request=s.WorkWriteSerializer,
        responses={200: s.WorkFeatureSerializer, **schema.errors(400, 401, 403, 404)},
    ),
)
class WorkViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.WorkFeatureSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]  # no PUT: edits are PATCH
    pagination_class = FeaturePagination
    filter_backends = [InBBoxFilter, *viewsets.ReadOnlyModelViewSet.filter_backends]
    filterset_class = WorkFilter
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True

    def get_queryset(self) -> QuerySet[Work]:
        return _works_for(self.request.user)

    def _manageable(self, pk: str | None) -> Work:
        return get_object_or_404(_works_for(self.request.user), pk=pk)

    def _feature(self, work: Work, status: int = 200) -> Response:
        return Response(s.WorkFeatureSerializer(work).data, status=status)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.WorkCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        work = services.work_create(by=request.user, **body.validated_data)
        return self._feature(work, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        work = self._manageable(kwargs.get("pk"))
        body = s.WorkWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        work = services.work_update(work=work, by=request.user, **body.validated_data)
        return self._feature(work)

    @extend_schema(
        operation_id="works_transition",
        tags=["works"],
        request=s.WorkTransitionRequestSerializer,
        responses={200: s.WorkTransitionResultSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        work = self._manageable(pk)
        body = s.WorkTransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.work_transition(
            work=work, action=data["action"], by=request.user, note=data["note"], on=data["on"]
        )
        work.refresh_from_db()
        out = {"id": work.pk, "status": work.status, "action": data["action"]}
        return Response(s.WorkTransitionResultSerializer(out).data)

    @extend_schema(
        operation_id="works_progress_add",
        tags=["works"],
        request=s.WorkProgressRequestSerializer,
        responses={201: s.WorkProgressResultSerializer, **schema.WRITE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def progress(self, request: Request, pk: str | None = None) -> Response:
        work = self._manageable(pk)
        body = s.WorkProgressRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        update = services.work_progress_add(work=work, by=request.user, **body.validated_data)
        return Response(s.WorkProgressResultSerializer(update).data, status=201)


def _with_progress(programmes: QuerySet[Programme]) -> list[Programme]:
    """The programmes with their `progress` as of today (one query)."""
    rows = selectors.programmes_progress(programmes, today=timezone.localdate())
    for progress in rows:
        progress.programme.progress = progress  # type: ignore[attr-defined]
    return [p.programme for p in rows]


@extend_schema_view(
    list=extend_schema(
        operation_id="programmes_list",
        tags=["works"],
        responses={200: s.ProgrammeSerializer(many=True), **schema.errors(400)},
    ),
    retrieve=extend_schema(
        operation_id="programmes_retrieve",
        tags=["works"],
        responses={200: s.ProgrammeSerializer, **schema.errors(404)},
    ),
    create=extend_schema(
        operation_id="programmes_create",
        tags=["works"],
        description="A programme of a district where you plan works.",
        request=s.ProgrammeWriteSerializer,
        responses={201: s.ProgrammeSerializer, **schema.errors(400, 401, 403)},
    ),
    partial_update=extend_schema(
        operation_id="programmes_partial_update",
        tags=["works"],
        description="Change a programme of your district (any subset of the fields).",
        request=s.ProgrammeWriteSerializer,
        responses={200: s.ProgrammeSerializer, **schema.errors(400, 401, 403, 404)},
    ),
)
class ProgrammeViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Programmes with done/target, days left and the forecast, as of today."""

    serializer_class = s.ProgrammeSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]  # no PUT: edits are PATCH
    queryset = Programme.objects.order_by("deadline", "pk")

    def _show(self, programme: Programme, status: int = 200) -> Response:
        (row,) = _with_progress(Programme.objects.filter(pk=programme.pk))
        return Response(s.ProgrammeSerializer(row).data, status=status)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._show(self.get_object())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        body = s.ProgrammeWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        programme = services.programme_create(by=request.user, **body.validated_data)
        return self._show(programme, status=201)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        programme = self.get_object()
        body = s.ProgrammeWriteSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        programme = services.programme_update(
            programme=programme, by=request.user, **body.validated_data
        )
        return self._show(programme)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = _with_progress(
            Programme.objects.filter(pk__in=[p.pk for p in page or []]).order_by("deadline", "pk")
        )
        return self.get_paginated_response(s.ProgrammeSerializer(rows, many=True).data)
