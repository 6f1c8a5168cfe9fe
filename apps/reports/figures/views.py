"""The figures dashboard (/figures/), its CSV exports and the open-reports-per-grid counts
the shaded map reads. Staff only: community admins and planners, scoped to their
communities; the numbers come from apps.reports.figures.selectors (SQL aggregates)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.gis.db.models import Extent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from apps.regions.models import Community

from . import selectors
from .forms import FiguresFilterForm, with_default_months

View = Callable[..., HttpResponse]
TABLES = ("month", "grid", "category", "worker")
READABLE = {"ensure_ascii": False}


def figures_staff(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.figure_communities(request.user).exists():
            context = {
                "title": _("Staff only"),
                "message": _(
                    "The figures are for community admins and planners. To report a problem, "
                    "use “Report a problem”."
                ),
            }
            return render(request, "reports/figures/problem.html", context, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _table_titles() -> dict[str, str]:
    return {
        "month": _("By month"),
        "grid": _("By grid"),
        "category": _("By category"),
        "worker": _("By worker"),
    }


def _columns() -> list[tuple[str, str]]:
    """(key, heading) of each figure, in table order."""
    return [
        ("received", _("Received")),
        ("accepted", _("Accepted")),
        ("closed", pgettext("report status", "Closed")),
        ("closure_rate", _("Closure rate")),
        ("due", _("Due")),
        ("deferred", _("Deferred")),
        ("on_time", _("Closed on time")),
        ("on_time_rate", _("On-time closure rate")),
        ("rework", _("Rework")),
        ("median_hours", _("Median hours to close")),
    ]


def _filtered(request: HttpRequest) -> tuple[FiguresFilterForm, Any]:
    communities = selectors.figure_communities(request.user)
    form = FiguresFilterForm(with_default_months(request.GET), communities=communities)
    if not form.is_valid():
        return form, None
    community = form.cleaned_data["community"]
    rows = selectors.reports_in(
        communities, form.cleaned_data["period"], community=community.pk if community else None
    )
    return form, rows


@figures_staff
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    form, rows = _filtered(request)
    communities = selectors.figure_communities(request.user)
    tables: list[dict[str, Any]] = []
    totals: dict[str, Any] = {}
    if rows is not None:
        titles = _table_titles()
        tables = [
            {"name": name, "title": titles[name], "rows": _shown(selectors.figures_by(name, rows))}
            for name in TABLES
        ]
        totals = _shown([selectors.totals(rows)])[0]
    community = form.cleaned_data.get("community") if rows is not None else None
    scope = (
        Community.objects.filter(pk=community.pk)
        if community
        else Community.objects.filter(pk__in=communities)
    )
    extent = scope.aggregate(e=Extent("boundary"))["e"]
    query = request.GET.urlencode()
    by_month = tables[0]["rows"] if tables else []
    by_category = tables[2]["rows"] if tables else []
    chart = {
        "months": [row["label"] for row in by_month],
        "received": [row["received"] for row in by_month],
        "closed": [row["closed"] for row in by_month],
        "on_time_rate": [row["on_time_rate"] for row in by_month],
        "categories": [row["label"] for row in by_category],
        "category_received": [row["received"] for row in by_category],
        "category_open": [row["received"] - row["closed"] for row in by_category],
    }
    config = {
        "grids_url": reverse("maps:layer-geojson", args=["grids"])
        + f"?community={community.pk if community else 'mine'}",
        "counts_url": reverse("figures:open-by-grid") + (f"?{query}" if query else ""),
        "extent": list(extent) if extent else None,
    }
    strings = {
        "received": _("Received"),
        "closed": pgettext("report status", "Closed"),
        "on_time_rate": _("On-time closure rate (%)"),
        "reports": _("Reports"),
        "open_reports": _("Open reports"),
        "still_open": _("Not closed"),
        "loading": _("Loading the map…"),
        "load_failed": _("The map could not be loaded. Reload the page to try again."),
        "no_grids": _("No grids to show."),
        "legend": _("Open reports per grid"),
    }
    context = {
        "form": form,
        "tables": tables,
        "totals": totals,
        "columns": _columns(),
        "query": query,
        "chart": chart,
        "config": config,
        "strings": strings,
    }
    return render(
        request, "reports/figures/dashboard.html", context, status=200 if rows is not None else 400
    )


@figures_staff
@require_safe
def export_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table as CSV (UTF-8 with a byte-order mark, so that Excel reads the Chinese)."""
    form, rows = _filtered(request)
    if rows is None:
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    period = form.cleaned_data["period"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"figures-{table}-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    columns = _columns()
    writer.writerow([_table_titles()[table], *(heading for _key, heading in columns)])
    for row in selectors.figures_by(table, rows):
        writer.writerow([row["label"], *(_cell(row[key]) for key, _heading in columns)])
    return response


RATES = ("closure_rate", "on_time_rate")


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows with `cells`: each figure as the page shows it (rates in %, "—" for none)."""
    keys = [key for key, _heading in _columns()]
    for row in rows:
        row["cells"] = [_display(key, row.get(key)) for key in keys]
    return rows


def _display(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key in RATES:
        return f"{value * 100:.1f}%"
    if key == "median_hours":
        return f"{value:.1f}"
    return str(value)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    return value


@figures_staff
@require_safe
def open_by_grid(request: HttpRequest) -> JsonResponse:
    """{"counts": {grid id: open reports}, "max": n} for the shaded map (now, not the period)."""
    form, rows = _filtered(request)
    if rows is None:
        return JsonResponse({"detail": form.errors.get_json_data()}, status=400)
    community = form.cleaned_data["community"]
    counts = selectors.open_counts_by_grid(
        selectors.figure_communities(request.user), community=community.pk if community else None
    )
    data = {
        "counts": {str(k): v for k, v in counts.items()},
        "max": max(counts.values(), default=0),
    }
    return JsonResponse(data, json_dumps_params=READABLE)
