"""The figures, checked against reports built by hand with explicit times.

May 2024 in `here` (category "repair": handle within 72 h), T0 = 2024-05-06 09:00 +08:00:

    A  closed on time       handled T0+10h, closed T0+12h                     → 12 h to close
    B  closed late          handled T0+80h (> 72 h), closed T0+90h, by admin2 → 90 h
    C  deferred, closed     deferred 48 h, handled T0+100h, closed T0+110h    → 110 h
    D  accepted, open       deadline T0+72h long passed: due, not closed
    E  rejected             received, never accepted
    F  submitted only       received, never accepted (grid 2, category sanitation)
    G  reworked, closed     handled T0+5h, sent back T0+6h, handled T0+20h,
                            closed T0+30h                                     → 30 h

received 7; accepted A B C D G = 5; closed A B C G = 4; closure rate 4/5 = 0.8;
due A B C D G = 5; deferred C = 1; closed on time A G = 2 (B late, C deferred);
on-time closure rate 2 / (5 − 1) = 0.5; rework 1;
median hours to close of 12, 30, 90, 110 (an even count) = (30 + 90) / 2 = 60.
"""

from __future__ import annotations

import pytest

from apps.reports import services
from apps.reports.figures import selectors
from apps.reports.figures.selectors import Period

from .conftest import T0
from .world import H, cst, file_report

pytestmark = pytest.mark.django_db

MAY = Period(first=cst(2024, 5, 1).date(), last=cst(2024, 5, 1).date())


def may_totals(world) -> dict:
    return selectors.totals(selectors.reports_in([world.here.pk], MAY))


def test_received_accepted_and_closed_count_rejected_and_waiting_reports_apart(may_once):
    world, may = may_once
    totals = may_totals(world)
    assert (totals["received"], totals["accepted"], totals["closed"]) == (7, 5, 4)


def test_closure_rate_is_closed_reports_over_accepted_ones(may_once):
    world, may = may_once
    assert may_totals(world)["closure_rate"] == pytest.approx(0.8)


def test_on_time_closure_rate_leaves_deferred_reports_out_of_the_denominator(may_once):
    world, may = may_once
    totals = may_totals(world)
    assert (totals["due"], totals["deferred"], totals["on_time"]) == (5, 1, 2)
    assert totals["on_time_rate"] == pytest.approx(0.5)


def test_median_time_to_close_of_an_even_count_is_the_mean_of_the_middle_two(may_once):
    world, may = may_once
    assert may_totals(world)["median_hours"] == pytest.approx(60.0, abs=1e-6)


def test_rework_counts_each_time_work_was_sent_back(may_once):
    world, may = may_once
    assert may["G"].rework_count == 1
    assert may_totals(world)["rework"] == 1


def test_figures_by_category_split_the_same_reports(may_once):
    world, may = may_once
    rows = {
        r["category__code"]: r
        for r in selectors.figures_by("category", selectors.reports_in([world.here.pk], MAY))
    }
    assert (rows["repair"]["received"], rows["repair"]["accepted"]) == (6, 5)
    assert (rows["sanitation"]["received"], rows["sanitation"]["accepted"]) == (1, 0)
    assert rows["sanitation"]["closure_rate"] is None  # nothing accepted: no rate, not 0


def test_figures_by_grid_put_each_report_in_the_grid_it_was_filed_in(may_once):
    world, may = may_once
    rows = {
        r["grid__code"]: r
        for r in selectors.figures_by("grid", selectors.reports_in([world.here.pk], MAY))
    }
    assert rows["TGA"]["received"] == 6
    assert rows["TGB"]["received"] == 1


def test_figures_by_worker_follow_the_dispatch_else_the_grid_duty_worker(may_once):
    world, may = may_once
    rows = {
        r["worker_id"]: r
        for r in selectors.figures_by("worker", selectors.reports_in([world.here.pk], MAY))
    }
    # B went to admin2; A, C, G were dispatched to the grid worker, who is also the duty
    # worker of grid TGA (D, E); F is in grid TGB, which has no duty worker.
    assert rows[world.admin2.pk]["received"] == 1
    assert rows[world.admin2.pk]["on_time_rate"] == pytest.approx(0.0)
    assert rows[world.grid_worker.pk]["received"] == 5
    assert rows[None]["received"] == 1
    assert rows[None]["label"] == "—"


def test_months_are_counted_in_china_time(may_once):
    world, _may = may_once
    # 2023-05-31 23:30 +08:00 is still May in Changsha; 2023-06-01 00:30 +08:00 is June,
    # though both are 31 May in UTC.
    file_report(cst(2023, 5, 31, 23, 30))
    file_report(cst(2023, 6, 1, 0, 30))
    period = Period(first=cst(2023, 5, 1).date(), last=cst(2023, 6, 1).date())
    rows = selectors.figures_by("month", selectors.reports_in([world.here.pk], period))
    assert [(r["label"], r["received"]) for r in rows] == [("2023-05", 1), ("2023-06", 1)]


def test_an_accepted_report_whose_deadline_is_still_ahead_is_not_yet_due(may_once):
    world, _may = may_once
    from django.utils import timezone

    now = timezone.now()
    report = file_report(now - H)
    services.report_accept(report=report, actor=world.admin_here, at=now)
    this_month = timezone.localdate().replace(day=1)
    totals = selectors.totals(
        selectors.reports_in([world.here.pk], Period(first=this_month, last=this_month))
    )
    assert (totals["accepted"], totals["due"], totals["on_time_rate"]) == (1, 0, None)


def test_reports_of_other_communities_stay_out_of_the_figures(may_once):
    world, may = may_once
    file_report(T0, where=(112.925, 27.905))  # in `other`
    assert may_totals(world)["received"] == 7


def test_open_reports_per_grid_count_only_reports_still_open(may_once):
    world, may = may_once
    counts = selectors.open_counts_by_grid([world.here.pk])
    # Open now: D (accepted) in TGA and F (submitted) in TGB; the others are closed or rejected.
    assert counts == {world.grid.pk: 1, world.grid2.pk: 1}
