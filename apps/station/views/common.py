"""Helpers of the station views: refusals as pages with the right status."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from apps.facilities.models import Facility
from apps.ledger.views import problem

from ..models import STATION_KINDS


def forbidden_desk(request: HttpRequest) -> HttpResponse:
    return problem(
        request,
        _("The station desk is for the community's admins and property staff."),
        status=403,
    )


def get_station(facility_id: int) -> Facility:
    return get_object_or_404(
        Facility.objects.select_related("community"), pk=facility_id, kind__in=STATION_KINDS
    )


def first_error(form: Any) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Check the form.")
