"""The coverage page's default week at every hour (issue 15, section 2).

It opens on the week of the last night that is *over* (nights run 22:00–06:00 local). At
04:27 on a Tuesday, Monday's night is still under way: the page once opened on the current
week with no night over, showing "0/0" and no grid as unwatched. The clock is placed with
the `clock` fixture (tests/conftest.py), so these pass at any real hour.
"""

import datetime as dt
import re

import pytest

from apps.patrols.coverage import last_finished_night

from .conftest import local, logged_in_client

TUESDAY = (2031, 3, 4)  # 2031-03-03 is a Monday


def _coverage(user) -> tuple[dt.date, dict[str, str], str]:
    # Signed in after the clock moved: a session from another year would have expired.
    response = logged_in_client(user).get("/patrols/coverage/")
    assert response.status_code == 200
    page = response.content.decode()
    cells = dict(re.findall(r'<tr data-grid="(\w+)"[^>]*>.*?(\d+/\d+)</td>', page, re.S))
    return response.context["monday"], cells, page


@pytest.mark.parametrize("hour", range(24))
def test_the_coverage_page_opens_on_a_week_with_a_night_over_at_every_hour(area, clock, hour):
    for day in (TUESDAY, (2031, 3, 3)):  # a Tuesday, and a Monday (the week's first day)
        now = clock.move_to(local(*day, hour, 27))
        monday, cells, _ = _coverage(area.admin)
        night = last_finished_night(now, now.tzinfo)
        assert monday <= night < monday + dt.timedelta(days=7), (now, monday)
        # No grid was patrolled: each shows 0 of the nights over, and at least one is over.
        assert cells["W1"] == cells["E1"]
        watched, over = map(int, cells["W1"].split("/"))
        assert watched == 0 and over >= 1, (now, cells)


def test_at_04_27_on_tuesday_the_page_shows_the_past_week_with_unwatched_grids_marked(area, clock):
    clock.move_to(local(*TUESDAY, 4, 27))
    monday, cells, page = _coverage(area.admin)
    assert monday == dt.date(2031, 2, 24)
    assert cells == {"W1": "0/7", "E1": "0/7"}  # Sunday's night ended at 06:00 on Monday
    assert re.search(r'<tr data-grid="W1" class="pt-unassigned">', page)


def test_at_07_00_on_tuesday_the_page_shows_this_week_with_monday_night_over(area, clock):
    clock.move_to(local(*TUESDAY, 7, 0))
    monday, cells, page = _coverage(area.admin)
    assert monday == dt.date(2031, 3, 3)
    assert cells == {"W1": "0/1", "E1": "0/1"}
    assert re.search(r'<tr data-grid="E1" class="pt-unassigned">', page)


def test_at_05_59_on_monday_the_past_week_has_six_nights_over(area, clock):
    clock.move_to(local(2031, 3, 3, 5, 59))
    monday, cells, _ = _coverage(area.admin)
    assert monday == dt.date(2031, 2, 24)
    assert cells["W1"] == "0/6"  # Sunday's night ends at 06:00
