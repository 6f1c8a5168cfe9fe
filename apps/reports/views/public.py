"""The resident's pages: report a problem, nearby reports and "me too", call the grid
worker, the public tracking page with its confirm/dispute, photos, and "my reports"."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.accounts.models import Organisation
from apps.core.geo import LAT_RANGE, LON_RANGE
from apps.core.photos import ACCEPT, MAX_PHOTO_BYTES
from apps.maps.search import served_communities
from apps.regions.models import Community

from .. import selectors
from ..errors import RateLimitedError, TransitionNotAllowedError
from ..models import DESCRIPTION_MAX_LENGTH, Category, Report, ReportPhoto
from ..redact import redact_contacts
from ..services import (
    DISPUTE_WINDOW_DAYS,
    MAX_PHOTOS,
    report_confirm,
    report_dispute,
    report_me_too,
    report_submit,
)
from ..states import Action, Status
from ..workflow import target_status
from .common import client_ip, error_messages, json_response, problem_page, wants_json
from .strings import report_page_strings


def _point(request: HttpRequest) -> Point | None:
    try:
        lon, lat = float(request.GET.get("lon", "")), float(request.GET.get("lat", ""))
    except ValueError:
        return None
    if not (LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]):
        return None
    return Point(lon, lat, srid=4326)


def _bad_point() -> HttpResponse:
    return json_response(
        {"detail": _("Give lon and lat as decimal degrees, e.g. lon=112.98&lat=28.19.")},
        status=400,
    )


# --- reporting ----------------------------------------------------------------------------


# The most communities the report page offers as buttons.
CHOOSER_MAX = 12


def report_page(request: HttpRequest) -> HttpResponse:
    """GET: the phone-first reporting page. POST: submit (JSON for the page's script, a
    redirect to the tracking page or the page with its errors without JavaScript)."""
    if request.method == "POST":
        return _submit(request)
    return _render_report_page(request)


def _render_report_page(
    request: HttpRequest, *, errors: dict[str, list[str]] | None = None, status: int = 200
) -> HttpResponse:
    language = get_language() or ""
    extent = Community.objects.aggregate(e=Extent("boundary"))["e"]
    categories = Category.objects.filter(is_active=True)
    # A chooser of big buttons works for a district's handful of communities; past that,
    # the search box finds a community by name.
    communities = served_communities(language=language, limit=CHOOSER_MAX + 1)
    if len(communities) > CHOOSER_MAX:
        communities = []
    config = {
        "extent": list(extent) if extent else None,
        # Where the map opens: the person's own community; otherwise the page offers a
        # chooser of the served communities (and "use my location").
        "start": _start_community(request, language),
        "communities": communities,
        "language": language,
        "communities_url": reverse("maps:layer-geojson", args=["communities"]),
        "context_layers": [
            {"url": reverse("maps:layer-geojson", args=[name]), "min_zoom": zoom, "name": name}
            for name, zoom in (("grids", 14), ("compounds", 14), ("buildings", 15))
        ],
        # Labels from these zooms on: fewer words on a zoomed-out phone map.
        "label_zoom": {"compounds": 15, "buildings": 17},
        "search_url": reverse("maps:place-search"),
        "place_url": reverse("maps:place-at"),
        "nearby_url": reverse("reports:nearby"),
        "me_too_url": reverse("reports:me-too", args=[0]).replace("/0/", "/{id}/"),
        "grid_worker_url": reverse("reports:grid-worker"),
        "max_photos": MAX_PHOTOS,
        "max_photo_bytes": MAX_PHOTO_BYTES,
        "accept": ACCEPT,
        "description_max": DESCRIPTION_MAX_LENGTH,
    }
    context = {
        "categories": categories,
        "config": config,
        "communities": communities,
        "strings": {**report_page_strings(), **_place_strings()},
        "idempotency_key": secrets.token_urlsafe(24),
        "errors": errors or {},
        "values": request.POST if request.method == "POST" else {},
        "signed_in": request.user.is_authenticated,
        "accept": ACCEPT,
        "max_photos": MAX_PHOTOS,
        "description_max": DESCRIPTION_MAX_LENGTH,
    }
    return render(request, "reports/report.html", context, status=status)


def _start_community(request: HttpRequest, language: str) -> Any:
    """The served community the signed-in person belongs to (their first active
    membership), with its bounding box; None for anonymous people and non-members."""
    if not request.user.is_authenticated:
        return None
    membership = request.user.memberships.filter(is_active=True).order_by("pk")  # type: ignore[union-attr]
    found = served_communities(
        language=language, ids=membership.values_list("community_id", flat=True)[:1]
    )
    return found[0] if found else None


def _place_strings() -> dict[str, str]:
    """Texts of the report map's place search, chooser and pin confirmation."""
    return {
        "checking_place": _("Checking the place…"),
        "located_accuracy": _("Your location (±%(metres)s m)."),
        "pinned_at": _("Pinned: %(place)s. Drag the pin to adjust it."),
        "refused": _(
            "That spot is outside the communities this service covers, so the pin was not "
            "put there."
        ),
        "nearest": _("The nearest served community is %(name)s, %(distance)s away."),
        "go_to": _("Go to %(name)s"),
        "km": _("%(km)s km"),
        "m": _("%(m)s m"),
        "search_searching": _("Searching…"),
        "search_found": _("%(count)s places found: choose one."),
        "search_none": _("Nothing found for “%(query)s”. Try the compound or building name."),
        "search_failed": _("The search did not answer (no connection?). Try again."),
        "search_picked": _("Showing %(name)s."),
    }


def _submit(request: HttpRequest) -> HttpResponse:
    post = request.POST
    try:
        submission = report_submit(
            category=post.get("category", ""),
            description=post.get("description", ""),
            lon=post.get("lon", ""),
            lat=post.get("lat", ""),
            photos=request.FILES.getlist("photos"),
            reporter=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
            contact_phone=post.get("contact_phone", ""),
            contact_email=post.get("contact_email", ""),
            hide_identity=post.get("hide_identity") == "on",
            location_private=post.get("location_private") == "on",
            idempotency_key=post.get("idempotency_key") or None,
            client_ip=client_ip(request),
        )
    except ValidationError as error:
        errors = error_messages(error)
        if wants_json(request):
            first = next(iter(errors.values()))[0]
            return json_response({"errors": errors, "detail": first}, status=400)
        return _render_report_page(request, errors=errors, status=400)
    except RateLimitedError as error:
        response = (
            json_response({"detail": error.message}, status=429)
            if wants_json(request)
            else problem_page(request, status=429, title=_("Please wait"), message=error.message)
        )
        response["Retry-After"] = str(error.retry_after)
        return response
    report = submission.report
    url = reverse("reports:track", args=[report.code])
    if wants_json(request):
        return json_response(
            {"code": report.code, "url": url, "created": submission.created},
            status=201 if submission.created else 200,
        )
    return redirect(f"{url}?new=1")


@require_safe
def nearby(request: HttpRequest) -> HttpResponse:
    """Open reports within 30 m of lon/lat (of `category` if given), nearest first."""
    point = _point(request)
    if point is None:
        return _bad_point()
    category = request.GET.get("category", "")
    category_id = int(category) if category.isdigit() else None
    # Distances to a private location would give its exact spot away (trilateration).
    rows = selectors.nearby_open_reports(point, category_id=category_id).exclude(
        location_private=True
    )[:10]
    reports = [
        {
            "id": r.pk,
            "category": r.category.name,
            "status": r.status,
            "status_label": str(Status(r.status).label),
            "submitted_at": timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M"),
            "distance_m": round(getattr(r, "distance_m", 0.0), 1),
            "me_too_count": r.me_too_count,
            # A few words to recognise the problem by, with any phone number or address hidden.
            "excerpt": redact_contacts(r.description)[:80],
        }
        for r in rows
    ]
    return json_response({"radius_m": selectors.DUPLICATE_RADIUS_M, "reports": reports})


@require_POST
def me_too(request: HttpRequest, pk: int) -> HttpResponse:
    report = Report.objects.filter(pk=pk).first()
    if report is None:
        return json_response({"detail": _("There is no such report.")}, status=404)
    user = request.user if request.user.is_authenticated else None
    try:
        report, counted = report_me_too(report=report, user=user, client_ip=client_ip(request))  # type: ignore[arg-type]
    except TransitionNotAllowedError as error:
        return json_response({"detail": error.message}, status=409)
    message = (
        _("Thank you: your “me too” was added. %(count)d people now report this.")
        if counted
        else _("You already said “me too” to this report (%(count)d people report it).")
    ) % {"count": report.me_too_count + 1}
    return json_response(
        {"counted": counted, "me_too_count": report.me_too_count, "detail": message}
    )


@require_safe
def grid_worker(request: HttpRequest) -> HttpResponse:
    """一键呼叫网格员: the grid at lon/lat and its duty worker's public work phone."""
    point = _point(request)
    if point is None:
        return _bad_point()
    community = selectors.community_at(point)
    if community is None:
        return json_response(
            {"detail": _("This place is outside the communities this service covers.")},
            status=404,
        )
    grid = selectors.grid_at(point, community=community)
    worker = selectors.duty_worker_for(grid)
    data: dict[str, Any] = {
        "community": community.name,
        "grid": {"code": grid.code, "name": grid.name} if grid else None,
        "worker": None,
        "office": None,
    }
    if worker is not None and worker.work_phone:
        data["worker"] = {
            "name": worker.display_name or _("Grid worker"),
            "work_phone": worker.work_phone,
            "tel": "tel:" + "".join(c for c in worker.work_phone if c.isdigit() or c == "+"),
        }
    office = (
        Organisation.objects.filter(
            kind=Organisation.Kind.COMMUNITY_OFFICE,
            memberships__community=community,
            memberships__is_active=True,
        )
        .exclude(phone="")
        .first()
    )
    if office is not None:
        data["office"] = {
            "name": office.name,
            "phone": office.phone,
            "tel": "tel:" + "".join(c for c in office.phone if c.isdigit() or c == "+"),
        }
    if data["worker"] is None:
        data["detail"] = _("No grid worker with a public phone is on duty for this place.")
    return json_response(data)


# --- tracking -----------------------------------------------------------------------------


def _report_or_404(request: HttpRequest, code: str) -> Report:
    report = selectors.report_by_code(code)
    if report is None:
        raise Http404(_("There is no report with the tracking code “%(code)s”.") % {"code": code})
    return report


def resident_options(report: Report) -> dict[str, bool]:
    """Whether the resident may confirm or dispute now (the table, and the dispute window)."""
    can_dispute = target_status(Action.DISPUTE, report.status) is not None
    if report.status == Status.CLOSED and report.closed_at is not None:
        can_dispute = timezone.now() - report.closed_at <= datetime.timedelta(
            days=DISPUTE_WINDOW_DAYS
        )
    can_confirm = target_status(Action.CONFIRM, report.status) is not None and (
        report.confirmed_at is None
    )
    return {"can_confirm": can_confirm, "can_dispute": can_dispute}


# The seven steps of handling (上报 → 受理 → 派遣 → 处置 → 反馈 → 核查 → 结案), in order.
PROGRESS = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.IN_PROGRESS,
    Status.HANDLED,
    Status.VERIFIED,
    Status.CLOSED,
)


def progress_steps(status: str) -> list[dict[str, Any]]:
    reached = PROGRESS.index(Status(status)) if status in PROGRESS else 0
    return [{"label": step.label, "done": index <= reached} for index, step in enumerate(PROGRESS)]


@require_safe
def track(request: HttpRequest, code: str) -> HttpResponse:
    report = selectors.report_by_code(code)
    if report is None:
        return problem_page(
            request,
            status=404,
            title=_("Report not found"),
            message=_(
                "There is no report with the tracking code “%(code)s”. Check the code: it has "
                "8 letters and digits, like K7M2Q9XD."
            )
            % {"code": code},
        )
    context = {
        "report": report,
        "steps": progress_steps(report.status),
        "entries": selectors.public_timeline(report),
        "submission_photos": report.photos.filter(stage=ReportPhoto.Stage.SUBMISSION),
        "is_new": request.GET.get("new") == "1",
        "dispute_days": DISPUTE_WINDOW_DAYS,
        **resident_options(report),
    }
    return render(request, "reports/track.html", context)


@require_POST
def track_respond(request: HttpRequest, code: str, action: str) -> HttpResponse:
    """The resident confirms the fix or disputes it, from the tracking page."""
    report = _report_or_404(request, code)
    user = request.user if request.user.is_authenticated else None
    note = request.POST.get("note", "")
    back = reverse("reports:track", args=[report.code])
    try:
        if action == "confirm":
            report_confirm(report=report, note=note, user=user)  # type: ignore[arg-type]
        else:
            report_dispute(report=report, reason=note, user=user)  # type: ignore[arg-type]
    except TransitionNotAllowedError as error:
        return problem_page(
            request,
            status=409,
            title=_("This cannot be done now"),
            message=error.message,
            back=back,
        )
    except ValidationError:
        return problem_page(
            request,
            status=400,
            title=_("Say what is still wrong"),
            message=_("To dispute the fix, write what is still wrong, then send it again."),
            back=back,
        )
    return redirect(back)


@require_safe
def photo(request: HttpRequest, code: str, pk: int, variant: str) -> HttpResponseBase:
    """A report's photo for whoever holds its tracking code (staff pages use it too)."""
    found = ReportPhoto.objects.filter(pk=pk, report__code=code.upper()).first()
    if found is None:
        raise Http404(_("There is no such photo."))
    file = found.thumbnail if variant == "thumb" else found.file
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The photo file is missing.")) from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def my_reports(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.reports_of(request.user), 20)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "reports/my_reports.html", {"page": page})
