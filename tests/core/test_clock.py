"""The tests' clock (tests/conftest.py): what a test places "now" at, the code, the live
server and the browser all see, and the time runs on from there."""

import datetime as dt
import re
import time
import zoneinfo

import pytest
from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def test_the_clock_moves_now_for_the_code_to_the_chosen_local_hour_and_lets_it_run(clock):
    target = clock.move_to("04:27")
    assert target.tzinfo == SHANGHAI and (target.hour, target.minute) == (4, 27)
    assert target.date() == dt.datetime.now(SHANGHAI).date()
    seen = timezone.localtime(timezone.now(), SHANGHAI)
    assert dt.timedelta(0) <= seen - target < dt.timedelta(seconds=5)
    time.sleep(0.2)
    assert timezone.now() > seen  # it runs: waits and timeouts still work
    assert dt.date.today() == target.date()


def test_the_clock_moves_to_a_full_date_and_back_when_the_test_ends(clock):
    real_year = dt.datetime.now(SHANGHAI).year
    clock.move_to(dt.datetime(2031, 3, 4, 23, 59, tzinfo=SHANGHAI))
    assert timezone.localtime(timezone.now(), SHANGHAI).strftime("%Y-%m-%d %H:%M") == (
        "2031-03-04 23:59"
    )
    clock.stop()
    assert dt.datetime.now(SHANGHAI).year == real_year


@pytest.mark.browser
def test_the_browser_and_the_server_see_the_same_moment(clock, page, live_server):
    clock.move_to(dt.datetime(2031, 3, 4, 0, 30, tzinfo=SHANGHAI))
    clock.follow(page.context)
    page.goto(f"{live_server.url}/accounts/login/")
    shown = page.evaluate(
        "new Intl.DateTimeFormat('sv-SE', {timeZone: 'Asia/Shanghai', dateStyle: 'short',"
        " timeStyle: 'short'}).format(new Date())"
    )
    assert shown == "2031-03-04 00:30"
    server_date = page.evaluate("fetch(location.href).then(r => r.headers.get('date'))")
    # 00:30 in Shanghai is 16:30 the day before in GMT, the HTTP Date header's zone.
    assert re.search(r"03 Mar 2031 16:3[01]:\d\d GMT", server_date), server_date
