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
)
class WorkViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.WorkFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends = [InBBoxFilter, *viewsets.ReadOnlyModelViewSet.filter_backends]
    filterset_class = WorkFilter
    bbox_filter_field = "geom"
    bbox_filter_include_overlapping = True

    def get_queryset(self) -> QuerySet[Work]:
        return _works_for(self.request.user)

    def _manageable(self, pk: str | None) -> Work:
        return get_object_or_404(_works_for(self.request.user), pk=pk)

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


@extend_schema_view(
    list=extend_schema(
        operation_id="programmes_list",
        tags=["works"],
        responses={200: s.ProgrammeSerializer(many=True), **schema.errors(400)},
    ),
)
class ProgrammeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Programmes with done/target, days left and the forecast, as of today."""

    serializer_class = s.ProgrammeSerializer
    queryset = Programme.objects.order_by("deadline", "pk")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        rows = selectors.programmes_progress(
            Programme.objects.filter(pk__in=[p.pk for p in page or []]).order_by("deadline", "pk"),
            today=timezone.localdate(),
        )
        for progress in rows:
            progress.programme.progress = progress  # type: ignore[attr-defined]
        return self.get_paginated_response(
            s.ProgrammeSerializer([p.programme for p in rows], many=True).data
        )
