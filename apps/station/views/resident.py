"""A resident's own bookings, loans and parcels; the detail pages staff open too."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.ledger.forms import TransitionForm

from .. import selectors
from ..access import is_desk_staff, roles_on
from ..errors import WorkflowError
from ..models import BOOKING_TRANSITIONS, LOAN_TRANSITIONS, SlotBooking, ToolLoan
from ..services import booking_transition, loan_is_overdue, loan_transition
from .common import problem


@login_required
def my_station(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    bookings = list(selectors.bookings_of(request.user)[:50])
    loans = list(selectors.loans_of(request.user)[:50])
    for loan in loans:
        loan.overdue = loan_is_overdue(loan, now=now)  # type: ignore[attr-defined]
    parcels = list(selectors.parcels_of(request.user)[:50])
    context = {
        "upcoming": [b for b in bookings if b.status in SlotBooking.ACTIVE],
        "past_bookings": [b for b in bookings if b.status not in SlotBooking.ACTIVE],
        "open_loans": [loan for loan in loans if loan.status in ToolLoan.ACTIVE],
        "past_loans": [loan for loan in loans if loan.status not in ToolLoan.ACTIVE],
        "waiting_parcels": [p for p in parcels if p.status in p.WAITING],
        "past_parcels": [p for p in parcels if p.status not in p.WAITING],
    }
    return render(request, "station/my.html", context)


def _visible(request: HttpRequest, record: Any, owner_field: str) -> None:
    """Only the booker and the station's desk staff see a booking or loan; to anyone else
    it does not exist (404), so codes and names cannot be fished for."""
    if getattr(record, f"{owner_field}_id") == request.user.pk:
        return
    if is_desk_staff(request.user, record.community_id):
        return
    raise Http404


def _booking_page(request: HttpRequest, booking: SlotBooking, **extra: Any) -> dict[str, Any]:
    roles = roles_on(request.user, booking, "resident")
    return {
        "booking": booking,
        "actions": BOOKING_TRANSITIONS.available(status=booking.status, roles=roles),
        "events": booking.events.select_related("actor"),
        "is_staff": is_desk_staff(request.user, booking.community_id),
        **extra,
    }


def _get_booking(pk: int) -> SlotBooking:
    return get_object_or_404(
        SlotBooking.objects.select_related("bookable__service__facility", "resident"), pk=pk
    )


@login_required
def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get_booking(pk)
    _visible(request, booking, "resident")
    return render(request, "station/booking.html", _booking_page(request, booking))


@login_required
@require_POST
def booking_change(request: HttpRequest, pk: int) -> HttpResponse:
    booking = _get_booking(pk)
    _visible(request, booking, "resident")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Choose an action."), status=400)
    try:
        booking_transition(
            booking=booking,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except WorkflowError as refused:
        booking.refresh_from_db()
        context = _booking_page(request, booking, error=str(refused))
        return render(request, "station/booking.html", context, status=refused.status)
    return redirect("station:booking", pk=booking.pk)


def _loan_page(request: HttpRequest, loan: ToolLoan, **extra: Any) -> dict[str, Any]:
    roles = roles_on(request.user, loan, "borrower")
    return {
        "loan": loan,
        "overdue": loan_is_overdue(loan),
        "actions": LOAN_TRANSITIONS.available(status=loan.status, roles=roles),
        "events": loan.events.select_related("actor"),
        "is_staff": is_desk_staff(request.user, loan.community_id),
        **extra,
    }


def _get_loan(pk: int) -> ToolLoan:
    return get_object_or_404(
        ToolLoan.objects.select_related("tool__facility", "item", "borrower"), pk=pk
    )


@login_required
def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _get_loan(pk)
    _visible(request, loan, "borrower")
    return render(request, "station/loan.html", _loan_page(request, loan))


@login_required
@require_POST
def loan_change(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _get_loan(pk)
    _visible(request, loan, "borrower")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Choose an action."), status=400)
    try:
        loan_transition(
            loan=loan,
            action=form.cleaned_data["action"],
            actor=request.user,
            note=form.cleaned_data["note"],
        )
    except WorkflowError as refused:
        loan.refresh_from_db()
        context = _loan_page(request, loan, error=str(refused))
        return render(request, "station/loan.html", context, status=refused.status)
    return redirect("station:loan", pk=loan.pk)
