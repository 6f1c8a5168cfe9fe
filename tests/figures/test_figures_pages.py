"""The figures dashboard, its CSV exports and the open-reports-per-grid counts: who may see
them, what they show, and the filters' refusals."""

from __future__ import annotations

import csv
import io

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from apps.reports import services

from .conftest import T0
from .world import PEOPLE, H, close, file_report, handle

pytestmark = pytest.mark.django_db

# 302: to sign in; 403: not a community admin or planner; 200: their communities' figures.
PAGE = {
    "anonymous": 302,
    "resident": 403,
    "grid_worker": 403,
    "planner": 200,
    "admin_here": 200,
    "admin_other": 200,
    "superuser": 200,
}
MAY = {"start": "2024-05", "end": "2024-05"}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize(
    "url",
    [
        reverse("figures:dashboard"),
        reverse("figures:export", args=["grid"]),
        reverse("figures:open-by-grid"),
    ],
)
def test_figures_are_for_community_admins_and_planners(world, who, url):
    response = world.client(who).get(url)
    assert response.status_code == PAGE[who]
    if who == "anonymous":
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("who", "sees"), [("admin_here", True), ("planner", True), ("admin_other", False)]
)
def test_each_person_sees_only_their_communities_figures(world, may, who, sees):
    response = world.client(who).get(reverse("figures:dashboard"), MAY)
    content = response.content.decode()
    assert ("TGA" in content) is sees
    assert ('data-figure="received">7<' in content) is sees


def test_the_dashboard_shows_the_on_time_closure_rate_and_the_median(world, may):
    response = world.client("admin_here").get(reverse("figures:dashboard"), MAY)
    content = response.content.decode()
    assert 'data-figure="on_time_rate">50.0%<' in content
    assert 'data-figure="closure_rate">80.0%<' in content
    assert 'data-figure="median_hours">60.0<' in content
    assert "vendor/chart.js/chart.umd.min.js" in content


def test_another_communitys_id_in_the_filter_is_refused(world):
    response = world.client("admin_here").get(
        reverse("figures:dashboard"), {"community": world.other.pk}
    )
    assert response.status_code == 400
    assert "figure-filters" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [{"start": "2024-13"}, {"start": "2024-06", "end": "2024-05"}, {"start": "2010-01"}],
)
def test_a_bad_month_range_is_refused_with_a_message(world, query):
    response = world.client("admin_here").get(reverse("figures:dashboard"), query)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_the_csv_export_has_one_row_per_grid_with_the_same_figures(world, may):
    response = world.client("admin_here").get(reverse("figures:export", args=["grid"]), MAY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel needs the BOM to read UTF-8
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    tga = dict(zip(header, next(r for r in body if r[0].startswith("TGA")), strict=True))
    assert tga[header[1]] == "6"  # received
    assert tga[header[4]] == "0.8"  # closure rate (A B C G of A B C D G)


def test_open_reports_per_grid_feed_the_shaded_map(world, may):
    handle(file_report(T0), world, accepted=T0 + H, handled=T0 + 2 * H)  # handled: not open
    response = world.client("admin_here").get(reverse("figures:open-by-grid"))
    assert response.json() == {"counts": {str(world.grid.pk): 1, str(world.grid2.pk): 1}, "max": 1}


def test_the_dashboard_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    for n in range(6):
        report = file_report(T0 + n * H)
        if n % 2:
            report = handle(report, world, accepted=T0 + (n + 1) * H, handled=T0 + (n + 3) * H)
            close(report, world, at=T0 + (n + 5) * H)
        else:
            services.report_accept(report=report, actor=world.admin_here, at=T0 + (n + 1) * H)
    client = world.client("admin_here")
    # Session and user, scope, the four tables, totals, worker names, the extent; however
    # many reports there are.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("figures:dashboard"), MAY)
    assert response.status_code == 200
