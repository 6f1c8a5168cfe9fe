"""The notice board: published notices for everyone; drafting and the approval steps for a
community's staff, through apps.notices.services (the rules and who may do what live there)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from apps.notices import access, selectors, services
from apps.notices.models import Notice
from apps.regions.models import Community, Compound

from .. import schema
from ..serializers import notices as s

COMMUNITY = OpenApiParameter(
    "community",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    required=True,
    description="The community's code: its published notices, newest first.",
)
SECTION = OpenApiParameter(
    "section",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=list(Notice.Section.values),
    description="Only this section (party, government or finance affairs).",
)


def community_by_code(code: str | None, field: str = "community") -> Community:
    """The community with `code`, or a 400 naming the field."""
    if not code:
        raise exceptions.ValidationError({field: [_("Give a community code.")]})
    community = Community.objects.filter(code=code).first()
    if community is None:
        raise exceptions.ValidationError({field: [_("There is no community with that code.")]})
    return community


@extend_schema_view(
    list=extend_schema(
        operation_id="notices_list",
        tags=["notices"],
        parameters=[COMMUNITY, SECTION],
        responses={200: s.NoticeSerializer(many=True), **schema.errors(400)},
    ),
)
class NoticeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.NoticeSerializer
    queryset = Notice.objects.none()

    def get_queryset(self) -> QuerySet[Notice]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Notice.objects.none()
        community = community_by_code(self.request.query_params.get("community"))
        section = self.request.query_params.get("section") or None
        if section is not None and section not in Notice.Section.values:
            raise exceptions.ValidationError({"section": [_("There is no such section.")]})
        return selectors.published_notices(community, section=section).select_related("community")

    def _visible(self, pk: str | None) -> Notice:
        # Published notices for everyone; unpublished ones only for the community's staff.
        notice = selectors.notice_with_attachments(int(pk)) if pk and pk.isdigit() else None
        if notice is None or not access.can_view(self.request.user, notice):
            raise Http404
        return notice

    @extend_schema(
        operation_id="notices_retrieve",
        tags=["notices"],
        description="A published notice; the community's staff also open drafts and notices "
        "awaiting approval.",
        responses={200: s.NoticeSerializer, **schema.errors(404)},
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(s.NoticeSerializer(self._visible(pk)).data)

    @extend_schema(
        operation_id="notices_create",
        tags=["notices"],
        request=s.NoticeCreateSerializer,
        responses={201: s.NoticeSerializer, **schema.errors(400, 401, 403)},
        description="Draft a notice (the community's staff); `submit` sends it for approval "
        "at once. Finance notices may name a compound of the same community.",
    )
    def create(self, request: Request) -> Response:
        body = s.NoticeCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        community = community_by_code(data["community"])
        compound = None
        if data["compound"] is not None:
            compound = Compound.objects.filter(pk=data["compound"]).first()
            if compound is None:
                raise exceptions.ValidationError({"compound": [_("There is no such compound.")]})
        user: Any = request.user
        notice = services.notice_create(
            actor=user,
            community=community,
            section=data["section"],
            title=data["title"],
            body=data["body"],
            compound=compound,
            submit=data["submit"],
        )
        out = selectors.notice_with_attachments(notice.pk)
        return Response(s.NoticeSerializer(out).data, status=201)

    @extend_schema(
        operation_id="notices_partial_update",
        tags=["notices"],
        request=s.NoticeUpdateSerializer,
        responses={200: s.NoticeSerializer, **schema.WRITE_ERRORS},
        description="Change a draft or returned notice (its author or a community admin; any "
        "subset of the fields). The notice's history keeps the previous values. 409 once it "
        "is submitted or published.",
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        notice = self._visible(pk)
        body = s.NoticeUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if values.get("compound") is not None:
            compound = Compound.objects.filter(pk=values["compound"]).first()
            if compound is None:
                raise exceptions.ValidationError({"compound": [_("There is no such compound.")]})
            values["compound"] = compound
        services.notice_update(notice=notice, actor=request.user, **values)
        out = selectors.notice_with_attachments(notice.pk)
        return Response(s.NoticeSerializer(out).data)

    @extend_schema(
        operation_id="notices_transition",
        tags=["notices"],
        request=s.NoticeTransitionRequestSerializer,
        responses={200: s.NoticeTransitionResultSerializer, **schema.WRITE_ERRORS},
        description="Submit, approve (publishes), return or withdraw a notice; returning "
        "and withdrawing need a note. 409 when the notice's status does not allow it.",
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        notice = self._visible(pk)
        body = s.NoticeTransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        notice = services.notice_transition(
            notice=notice, action=data["action"], actor=request.user, note=data["note"]
        )
        out = {"id": notice.pk, "status": notice.status, "action": data["action"]}
        return Response(s.NoticeTransitionResultSerializer(out).data)
