"""The planner's pages: /works/ (filters, map, table, programmes, timeline), a work's page
with its history and the forms to move it and record progress, and the exports."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, F, FloatField
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from apps.maps.basemaps import tile_layers
from apps.regions.models import Community, Grid

from . import exports, selectors
from .access import can_plan, planner_communities
from .forms import LinkReportForm, ProgressForm, TransitionForm, WorkFilterForm
from .models import Work, WorkType
from .services import (
    TransitionRefusedError,
    work_feedback_resend,
    work_progress_add,
    work_report_link,
    work_transition,
)
from .workflow import DONE_STATUSES, STATUS_COLOURS, WorkStatus, moves_from

PAGE_SIZE = 50


def _refuse(request: HttpRequest) -> HttpResponse | None:
    """Sign-in for anonymous visitors; a 403 page for people who do not plan works."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not can_plan(request.user):
        message = _(
            "The works pages are for planners and community admins. Ask your community "
            "office for the role if you need it."
        )
        return render(request, "works/forbidden.html", {"message": message}, status=403)
    return None


def _filtered(request: HttpRequest) -> tuple[WorkFilterForm, models.QuerySet, bool]:
    """The filter form, the works it selects in the user's scope, and whether it was valid."""
    form = WorkFilterForm(request.GET or None, user=request.user)
    works = selectors.works_for_planner(request.user, today=timezone.localdate())
    if not form.is_bound:
        return form, works, True
    if not form.is_valid():
        return form, works.none(), False
    return form, form.filter(works), True


def _bounds(rows: Sequence[Mapping[str, Any]]) -> list[float] | None:
    if not rows:
        return None
    return [
        min(r["xmin"] for r in rows),
        min(r["ymin"] for r in rows),
        max(r["xmax"] for r in rows),
        max(r["ymax"] for r in rows),
    ]


def map_communities(
    scope: Any,
) -> tuple[list[dict[str, Any]], list[float] | None, list[float] | None]:
    """The planner's communities for the map (outline, name, number of works), the extent of
    them all, and the extent the map opens on: the communities with works in the district
    that has the most works (one query).

    A planner's communities can lie in districts kilometres apart (Furong and Yuelu in the
    demo); fitting all of them shows a few dots in blank space, so the map opens on the
    district where most of the work is, and the other communities are one click away.
    """
    rows = list(
        Community.objects.filter(pk__in=scope)
        .annotate(
            outline=AsGeoJSON(Transform("boundary", 4326), precision=6),
            district_id=F("subdistrict__district_id"),
            works_count=Count("works"),
            **{
                edge: models.Func(
                    "boundary", function=f"ST_{edge.upper()}", output_field=FloatField()
                )
                for edge in ("xmin", "ymin", "xmax", "ymax")
            },
        )
        .order_by("subdistrict__district_id", "code")
        .values(
            "pk",
            "code",
            "name",
            "outline",
            "district_id",
            "works_count",
            "xmin",
            "ymin",
            "xmax",
            "ymax",
        )  # fmt: skip
    )
    by_district: dict[int, int] = {}
    for row in rows:
        by_district[row["district_id"]] = (
            by_district.get(row["district_id"], 0) + row["works_count"]
        )
    home = None
    if any(by_district.values()):
        district = max(by_district, key=lambda d: by_district[d])
        home = _bounds([r for r in rows if r["district_id"] == district and r["works_count"]])
    communities = [
        {
            "id": row["pk"],
            "code": row["code"],
            "name": row["name"],
            "works": row["works_count"],
            "label": ngettext(
                "%(name)s · %(count)s work", "%(name)s · %(count)s works", row["works_count"]
            )
            % {"name": row["name"], "count": row["works_count"]},
            "outline": json.loads(row["outline"]),
        }
        for row in rows
    ]
    return communities, _bounds(rows), home


def status_legend() -> list[dict[str, str]]:
    return [
        {"code": s.value, "label": str(s.label), "colour": STATUS_COLOURS[s]} for s in WorkStatus
    ]


def _timeline(works: list[Work]) -> list[dict[str, Any]]:
    def iso(day: Any) -> str | None:
        return day.isoformat() if day else None

    return [
        {
            "id": w.pk,
            "name": w.name,
            "status": w.status,
            "planned": [iso(w.planned_start), iso(w.planned_end)],
            "actual": [iso(w.actual_start), iso(w.actual_end)],
            "progress": getattr(w, "progress_percent", None),
        }
        for w in works
    ]


def page_strings() -> dict[str, str]:
    return {
        "loading": _("Loading works…"),
        "load_failed": _("Could not load the works for the map. Reload the page to retry."),
        "none_on_map": _("No works match these filters."),
        "open_work": _("Open the work"),
        "planned": _("Planned dates"),
        "actual": _("Actual"),
        "today": _("Today"),
        "progress": _("Progress"),
        "legend": _("Status"),
        "communities": _("Communities"),
        "all_communities": _("All communities"),
        "no_dates": _("No planned dates"),
    }


@require_safe
def planner(request: HttpRequest) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    form, works, valid = _filtered(request)
    page = Paginator(works, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.urlencode()
    scope = planner_communities(request.user)
    communities, extent, home = map_communities(scope)
    rows = list(page.object_list)
    config = {
        "language": get_language() or "zh-hans",
        "geojson_url": reverse("works:export-geojson") + (f"?{filters}" if filters else ""),
        "detail_url": reverse("works:detail", args=[0]),
        "statuses": status_legend(),
        "extent": extent,
        # With no filter the map opens on `home`; a filtered map fits the works it shows.
        "home": home if not filters else None,
        "communities": communities,
        "timeline": _timeline(rows),
        "today": timezone.localdate().isoformat(),
        "basemap": tile_layers(get_language()),
    }
    context = {
        "form": form,
        "page": page,
        "works": rows,
        "filters": filters,
        "programmes": selectors.programmes_progress(
            selectors.programmes_for(request.user), today=timezone.localdate()
        ),
        "statuses": status_legend(),
        "config": config,
        "strings": page_strings(),
        "work_types": dict(WorkType.choices),
    }
    return render(request, "works/planner.html", context, status=200 if valid else 400)


def _scoped_work(request: HttpRequest, pk: int) -> Work:
    works = selectors.works_for_planner(request.user, today=timezone.localdate())
    return get_object_or_404(works, pk=pk)


def _detail(
    request: HttpRequest,
    work: Work,
    *,
    transition_form: TransitionForm | None = None,
    progress_form: ProgressForm | None = None,
    link_form: LinkReportForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    links = list(work.report_links.select_related("report", "report__category"))
    context = {
        "work": work,
        "funders": work.funders.select_related("organisation"),
        "history": selectors.work_history(work),
        "moves": moves_from(work.status),
        "transition_form": transition_form or TransitionForm(),
        "progress_form": progress_form or ProgressForm(initial={"on": today}),
        "refusal": refusal,
        "colour": STATUS_COLOURS[work.status],
        "site": {
            "geometry": work.geom.json,
            "colour": STATUS_COLOURS[work.status],
            "basemap": tile_layers(get_language()),
            # The site in its surroundings (apps/maps/static/maps/surroundings.js): the
            # registry layers around it, the grid it lies in outlined more strongly.
            "layers": {
                name: reverse("maps:layer-geojson", args=[name])
                for name in ("grids", "compounds", "buildings")
            },
            "grid": _grid_code_at(work),
        },
        "can_progress": work.status != WorkStatus.CANCELLED,
        "links": links,
        "link_form": link_form or LinkReportForm(),
        "is_done": work.status in DONE_STATUSES,
        # "Send again" only where a report is still without its feedback.
        "feedback_pending": any(link.feedback_at is None for link in links),
    }
    return render(request, "works/detail.html", context, status=status)


def _grid_code_at(work: Work) -> str:
    """The code of the grid the work's site lies in (the first by code when it crosses
    several), found in PostGIS."""
    grid = (
        Grid.objects.filter(community_id=work.community_id, boundary__intersects=work.geom)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    return grid or ""


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    return _detail(request, _scoped_work(request, pk))


def _form_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    work = _scoped_work(request, pk)
    form = TransitionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, work, transition_form=form, status=400)
    data = form.cleaned_data
    try:
        change = work_transition(
            work=work,
            action=data["action"],
            by=request.user,
            note=data["note"],
            on=data["on"],
            photos=[("after", photo) for photo in data["photos"]],
        )
    except TransitionRefusedError as error:
        return _detail(request, work, transition_form=form, refusal=error.message, status=409)
    except ValidationError as error:
        _form_error(form, error)
        return _detail(request, work, transition_form=form, status=400)
    messages.success(
        request, _("The work is now “%(status)s”.") % {"status": change.get_to_status_display()}
    )
    return redirect("works:detail", pk=work.pk)


@require_POST
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    work = _scoped_work(request, pk)
    form = ProgressForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, work, progress_form=form, status=400)
    data = form.cleaned_data
    photos = [("before", p) for p in data["before_photos"]]
    photos += [("after", p) for p in data["after_photos"]]
    try:
        work_progress_add(
            work=work,
            by=request.user,
            on=data["on"],
            percent=data["percent"],
            text=data["text"],
            photos=photos,
        )
    except TransitionRefusedError as error:
        return _detail(request, work, progress_form=form, refusal=error.message, status=409)
    except ValidationError as error:
        _form_error(form, error)
        return _detail(request, work, progress_form=form, status=400)
    messages.success(request, _("Progress recorded: %(percent)s%%.") % {"percent": data["percent"]})
    return redirect("works:detail", pk=work.pk)


@require_POST
def link_report(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    work = _scoped_work(request, pk)
    form = LinkReportForm(request.POST)
    if not form.is_valid():
        return _detail(request, work, link_form=form, status=400)
    try:
        link = work_report_link(
            work=work,
            code=form.cleaned_data["code"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _form_error(form, error)
        return _detail(request, work, link_form=form, status=400)
    messages.success(request, _("Report %(code)s linked.") % {"code": link.report.code})
    return redirect("works:detail", pk=work.pk)


@require_POST
def resend_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    work = _scoped_work(request, pk)
    try:
        sent = work_feedback_resend(work=work, by=request.user)
    except TransitionRefusedError as error:
        return _detail(request, work, refusal=error.message, status=409)
    messages.success(request, _("Feedback sent to %(count)d report(s).") % {"count": sent})
    return redirect("works:detail", pk=work.pk)


def _export(request: HttpRequest, encoder: Any) -> HttpResponse:
    refused = _refuse(request)
    if refused:
        return refused
    form, works, valid = _filtered(request)
    if not valid:
        problems = "; ".join(
            f"{form.fields[name].label if name in form.fields else name}: "
            + " ".join(str(error) for error in errors)
            for name, errors in form.errors.items()
        )
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    return encoder(works)


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.csv_response)


@require_safe
def export_geojson(request: HttpRequest) -> HttpResponse:
    return _export(request, exports.geojson_response)
