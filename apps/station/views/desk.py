"""The station desk: today's bookings, open loans, parcels; logging and handing over parcels."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.ledger.forms import TransitionForm

from .. import selectors
from ..access import is_desk_staff, station_roles
from ..errors import WorkflowError
from ..forms import CodeLookupForm, ParcelForm, PickupForm
from ..models import (
    PARCEL_TRANSITIONS,
    UNCOLLECTED_AFTER_DAYS,
    BookableService,
    Parcel,
    SlotBooking,
    StationService,
    Tool,
    ToolLoan,
)
from ..services import loan_is_overdue, parcel_log, parcel_pick_up, parcel_transition
from ..slots import local_today
from .common import first_error, forbidden_desk, get_station, problem


@login_required
def desk(request: HttpRequest, facility_id: int) -> HttpResponse:
    station = get_station(facility_id)
    if not is_desk_staff(request.user, station.community_id):
        return forbidden_desk(request)
    try:
        raw_day = request.GET.get("date")
        day = datetime.date.fromisoformat(raw_day) if raw_day else local_today()
    except ValueError:
        return problem(request, _("The date must look like 2024-07-21."), status=400)
    last4 = re.sub(r"\D", "", request.GET.get("last4", ""))[:4]
    now = timezone.now()
    loans = list(selectors.desk_loans(station))
    for loan in loans:
        loan.overdue = loan_is_overdue(loan, now=now)  # type: ignore[attr-defined]
    cutoff = now - datetime.timedelta(days=UNCOLLECTED_AFTER_DAYS)
    parcels = list(selectors.desk_parcels(station, last4=last4)[:200])
    for parcel in parcels:
        parcel.uncollected = parcel.logged_at <= cutoff  # type: ignore[attr-defined]
    context = {
        "station": station,
        "day": day,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
        "bookings": selectors.desk_bookings(station, day),
        "loans": loans,
        "parcels": parcels,
        "last4": last4,
        "counts": selectors.station_counts(station),
        "uncollected_days": UNCOLLECTED_AFTER_DAYS,
        "lookup": CodeLookupForm(),
        "has_bookables": BookableService.objects.filter(service__facility=station).exists(),
        "has_tools": Tool.objects.filter(facility=station).exists(),
        "keeps_parcels": StationService.objects.filter(
            facility=station, kind=StationService.Kind.PARCEL_STORAGE
        ).exists(),
    }
    return render(request, "station/desk.html", context)


@login_required
def find_code(request: HttpRequest, facility_id: int) -> HttpResponse:
    """Open a booking or loan of this station by the confirmation code a resident shows."""
    station = get_station(facility_id)
    if not is_desk_staff(request.user, station.community_id):
        return forbidden_desk(request)
    code = re.sub(r"[\s-]", "", request.GET.get("code", "")).upper()
    booking = SlotBooking.objects.filter(code=code, bookable__service__facility=station).first()
    if booking is not None:
        return redirect("station:booking", pk=booking.pk)
    loan = ToolLoan.objects.filter(code=code, tool__facility=station).first()
    if loan is not None:
        return redirect("station:loan", pk=loan.pk)
    return problem(
        request,
        _("No booking or loan of this station has the code “%(code)s”. Check it and try again.")
        % {"code": code},
        status=404,
        back_url=reverse("station:desk", args=[station.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def parcel_create(request: HttpRequest, facility_id: int) -> HttpResponse:
    station = get_station(facility_id)
    if not is_desk_staff(request.user, station.community_id):
        return forbidden_desk(request)
    form = ParcelForm(request.POST or None, community_id=station.community_id)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                parcel = parcel_log(facility=station, actor=request.user, **form.cleaned_data)
            except WorkflowError as refused:
                error, status = str(refused), refused.status
            else:
                return redirect("station:parcel", pk=parcel.pk)
        else:
            error, status = first_error(form), 400
    context = {"station": station, "form": form, "error": error}
    return render(request, "station/parcel_form.html", context, status=status)


def _get_parcel(request: HttpRequest, pk: int) -> Parcel:
    parcel = get_object_or_404(Parcel.objects.select_related("facility", "building"), pk=pk)
    if parcel.recipient_id == request.user.pk or is_desk_staff(request.user, parcel.community_id):
        return parcel
    raise Http404


def _parcel_page(request: HttpRequest, parcel: Parcel, **extra: Any) -> dict[str, Any]:
    staff = is_desk_staff(request.user, parcel.community_id)
    roles = station_roles(request.user, parcel.community_id)
    actions = [
        move
        for move in PARCEL_TRANSITIONS.available(status=parcel.status, roles=roles)
        if move.action not in ("pick_up", "lock")
    ]
    return {
        "parcel": parcel,
        "is_staff": staff,
        "is_recipient": parcel.recipient_id == request.user.pk,
        "actions": actions if staff else [],
        "pickup_form": extra.pop("pickup_form", PickupForm()) if staff else None,
        "events": parcel.events.select_related("actor"),
        **extra,
    }


@login_required
def parcel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = _get_parcel(request, pk)
    return render(request, "station/parcel.html", _parcel_page(request, parcel))


@login_required
@require_POST
def parcel_pickup(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = _get_parcel(request, pk)
    if not is_desk_staff(request.user, parcel.community_id):
        return forbidden_desk(request)
    form = PickupForm(request.POST)
    if not form.is_valid():
        context = _parcel_page(request, parcel, pickup_form=form, error=first_error(form))
        return render(request, "station/parcel.html", context, status=400)
    try:
        parcel_pick_up(parcel=parcel, code=form.cleaned_data["code"], actor=request.user)
    except WorkflowError as refused:
        parcel.refresh_from_db()
        context = _parcel_page(request, parcel, error=str(refused))
        return render(request, "station/parcel.html", context, status=refused.status)
    return redirect("station:parcel", pk=parcel.pk)


@login_required
@require_POST
def parcel_change(request: HttpRequest, pk: int) -> HttpResponse:
    parcel = _get_parcel(request, pk)
    if not is_desk_staff(request.user, parcel.community_id):
        return forbidden_desk(request)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Choose an action."), status=400)
    try:
        parcel_transition(
            parcel=parcel,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except WorkflowError as refused:
        parcel.refresh_from_db()
        context = _parcel_page(request, parcel, error=str(refused))
        return render(request, "station/parcel.html", context, status=refused.status)
    return redirect("station:parcel", pk=parcel.pk)
