"""The ledger: approved entries and compound balances for everyone; entering and approving
entries through apps.ledger.services (property staff enter, community admins approve)."""

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

from apps.facilities.models import Facility
from apps.ledger import access, selectors, services
from apps.ledger.models import LedgerEntry
from apps.regions.models import Compound
from apps.works.models import Work

from .. import schema
from ..serializers import ledger as s
from .notices import community_by_code


def _param(name: str, description: str, kind: Any = OpenApiTypes.INT) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.QUERY, required=True, description=description
    )


def _related(model: Any, pk: int | None, field: str, message: str) -> Any:
    if pk is None:
        return None
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise exceptions.ValidationError({field: [message]})
    return row


@extend_schema_view(
    list=extend_schema(
        operation_id="ledger_entries_list",
        tags=["ledger"],
        parameters=[_param("compound", "The compound's id: its approved entries, newest first.")],
        responses={200: s.LedgerEntrySerializer(many=True), **schema.errors(400)},
    ),
)
class LedgerEntryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.LedgerEntrySerializer
    queryset = LedgerEntry.objects.none()

    def get_queryset(self) -> QuerySet[LedgerEntry]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return LedgerEntry.objects.none()
        raw = self.request.query_params.get("compound", "")
        compound = Compound.objects.filter(pk=raw).first() if raw.isdigit() else None
        if compound is None:
            raise exceptions.ValidationError({"compound": [_("Give the id of a compound.")]})
        return selectors.public_entries(compound)

    def _visible(self, pk: str | None) -> LedgerEntry:
        # Approved entries for everyone; the others only at the desk of their staff/admins.
        entry = LedgerEntry.objects.filter(pk=pk).first() if pk and pk.isdigit() else None
        if entry is None or not access.can_view_entry(self.request.user, entry):
            raise Http404
        return entry

    @extend_schema(
        operation_id="ledger_entries_retrieve",
        tags=["ledger"],
        description="An approved entry; property staff and community admins also open the "
        "entries of their desk, any status.",
        responses={200: s.LedgerEntrySerializer, **schema.errors(404)},
    )
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(s.LedgerEntrySerializer(self._visible(pk)).data)

    @extend_schema(
        operation_id="ledger_entries_create",
        tags=["ledger"],
        request=s.LedgerEntryCreateSerializer,
        responses={201: s.LedgerEntrySerializer, **schema.errors(400, 401, 403)},
        description="Enter a draft entry (the compound's property staff); `submit` sends it "
        "for approval at once.",
    )
    def create(self, request: Request) -> Response:
        body = s.LedgerEntryCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        compound = _related(Compound, data["compound"], "compound", _("There is no such compound."))
        user: Any = request.user
        entry = services.ledger_entry_create(
            actor=user,
            compound=compound,
            kind=data["kind"],
            date=data["date"],
            amount=data["amount"],
            purpose=data["purpose"],
            facility=_related(Facility, data["facility"], "facility", _("No such facility.")),
            work=_related(Work, data["work"], "work", _("No such work.")),
            submit=data["submit"],
        )
        return Response(s.LedgerEntrySerializer(entry).data, status=201)

    @extend_schema(
        operation_id="ledger_entries_partial_update",
        tags=["ledger"],
        request=s.LedgerEntryUpdateSerializer,
        responses={200: s.LedgerEntrySerializer, **schema.WRITE_ERRORS},
        description="Change a draft or returned entry (the compound's property staff; any "
        "subset of the fields). The entry's history records the old and new values. 409 once "
        "it is submitted or approved.",
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        entry = self._visible(pk)
        body = s.LedgerEntryUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        if "facility" in values:
            values["facility"] = _related(
                Facility, values["facility"], "facility", _("No such facility.")
            )
        if "work" in values:
            values["work"] = _related(Work, values["work"], "work", _("No such work."))
        entry = services.ledger_entry_update(entry=entry, actor=request.user, **values)
        return Response(s.LedgerEntrySerializer(entry).data)

    @extend_schema(
        operation_id="ledger_entries_transition",
        tags=["ledger"],
        request=s.LedgerTransitionRequestSerializer,
        responses={200: s.LedgerTransitionResultSerializer, **schema.WRITE_ERRORS},
        description="Submit, approve (makes it public) or return an entry; returning needs a "
        "note. 409 when the entry's status does not allow it.",
    )
    @action(detail=True, methods=["post"])
    def transitions(self, request: Request, pk: str | None = None) -> Response:
        entry = self._visible(pk)
        body = s.LedgerTransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        entry = services.ledger_entry_transition(
            entry=entry, action=data["action"], actor=request.user, note=data["note"]
        )
        out = {"id": entry.pk, "status": entry.status, "action": data["action"]}
        return Response(s.LedgerTransitionResultSerializer(out).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="ledger_balances_list",
        tags=["ledger"],
        parameters=[_param("community", "The community's code: its compounds.", OpenApiTypes.STR)],
        description="Each compound's approved income, spending and balance (income − "
        "spending), in yuan.",
        responses={200: s.CompoundBalanceSerializer(many=True), **schema.errors(400)},
    ),
)
class CompoundBalanceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CompoundBalanceSerializer
    queryset = Compound.objects.none()

    def get_queryset(self) -> QuerySet[Compound]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Compound.objects.none()
        community = community_by_code(self.request.query_params.get("community"))
        return selectors.compounds_with_totals(community)
