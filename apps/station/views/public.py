"""Public station pages: the list of stations, one station, its slots and its tools."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from .. import selectors
from ..access import is_desk_staff, is_member
from ..errors import WorkflowError
from ..forms import BookSlotForm, BorrowForm
from ..models import BookableService, StationService, Tool
from ..services import booking_create, loan_create
from ..slots import bookable_days, local_today
from .common import first_error, get_station, problem


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "station/index.html", {"stations": list(selectors.stations())})


def station_detail(request: HttpRequest, facility_id: int) -> HttpResponse:
    station = get_station(facility_id)
    services = StationService.objects.filter(facility=station, is_active=True).order_by(
        "order", "pk"
    )
    bookables = BookableService.objects.filter(
        service__facility=station, is_active=True, service__is_active=True
    ).order_by("name")
    tools = list(Tool.objects.filter(facility=station, is_active=True).order_by("name"))
    today_free = {}
    for tool in tools:
        # The horizon starts today: the first day's figure is today's.
        today_free[tool.pk] = selectors.tool_availability(tool)[0]
    context = {
        "station": station,
        "services": services,
        "bookables": bookables,
        "tools": [(tool, today_free[tool.pk]) for tool in tools],
        "keeps_parcels": services.filter(kind=StationService.Kind.PARCEL_STORAGE).exists(),
        "is_staff": is_desk_staff(request.user, station.community_id),
    }
    return render(request, "station/station.html", context)


def _pick_day(request: HttpRequest, days: list[datetime.date]) -> datetime.date | None:
    raw = request.GET.get("date") or request.POST.get("date")
    if not raw:
        return days[0] if days else None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def bookable_detail(request: HttpRequest, facility_id: int, bookable_id: int) -> HttpResponse:
    station = get_station(facility_id)
    bookable = get_object_or_404(
        BookableService.objects.select_related("service"),
        pk=bookable_id,
        service__facility=station,
    )
    days = bookable_days(bookable)
    day = _pick_day(request, days)
    if day is None:
        return problem(request, _("Pick a day from the list."), status=400)
    form = BookSlotForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                booking = booking_create(
                    bookable=bookable,
                    resident=request.user,
                    starts_at=form.cleaned_data["starts_at"],
                    note=form.cleaned_data["note"],
                )
            except WorkflowError as refused:
                error, status = str(refused), refused.status
            else:
                return redirect("station:booking", pk=booking.pk)
        else:
            error, status = first_error(form), 400
    context = {
        "station": station,
        "bookable": bookable,
        "days": days,
        "day": day,
        "slots": selectors.slot_availability(bookable, day, user=request.user),
        "form": form,
        "error": error,
        "can_book": is_member(request.user, station.community_id),
        "login_url": resolve_url(settings.LOGIN_URL),
        "strings": {"pick_time": _("Pick a time above"), "book_time": _("Book %(time)s")},
    }
    return render(request, "station/bookable.html", context, status=status)


@require_http_methods(["GET", "POST"])
def tool_detail(request: HttpRequest, facility_id: int, tool_id: int) -> HttpResponse:
    station = get_station(facility_id)
    tool = get_object_or_404(Tool, pk=tool_id, facility=station)
    form = BorrowForm(request.POST or None, tool=tool, initial={"start": local_today()})
    error, status = "", 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                loan = loan_create(
                    tool=tool,
                    borrower=request.user,
                    start=form.cleaned_data["start"],
                    days=form.cleaned_data["days"],
                )
            except WorkflowError as refused:
                error, status = str(refused), refused.status
            else:
                return redirect("station:loan", pk=loan.pk)
        else:
            error, status = first_error(form), 400
    context = {
        "station": station,
        "tool": tool,
        "availability": selectors.tool_availability(tool),
        "form": form,
        "error": error,
        "can_book": is_member(request.user, station.community_id),
        "login_url": resolve_url(settings.LOGIN_URL),
    }
    return render(request, "station/tool.html", context, status=status)


@require_GET
def services_json(request: HttpRequest) -> JsonResponse:
    """Offered services of facilities, for the public facility map's popups:
    `?ids=1,2,3` → {"facilities": {"1": [{kind, kind_label, name, name_en, description,
    opening_hours}, ...]}}."""
    raw = request.GET.get("ids", "")
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()][:500]
    except ValueError:
        return JsonResponse(
            {"detail": _("ids must be facility ids separated by commas, e.g. ids=1,2,3.")},
            status=400,
        )
    services = selectors.services_for_facilities(ids)
    return JsonResponse({"facilities": {str(k): v for k, v in services.items()}})
