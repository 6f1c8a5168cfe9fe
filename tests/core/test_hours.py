"""Opening hours say "开放时间" and whether the place is open at this hour, in Shanghai time."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from apps.core.hours import open_now, parse_daily_hours
from apps.facilities.models import Facility

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 7, 21, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "moment", "expected"),
    [
        ("08:30–22:00", at(4, 20), False),
        ("08:30–22:00", at(8, 29), False),
        ("08:30–22:00", at(8, 30), True),
        ("08:30–22:00", at(21, 59), True),
        ("08:30–22:00", at(22, 0), False),
        ("8:30-22:00", at(12), True),
        ("22:00–06:00", at(23, 30), True),
        ("22:00–06:00", at(4, 27), True),
        ("22:00–06:00", at(12), False),
        ("24小时", at(4, 27), True),
        ("00:00–24:00", at(4, 27), True),
    ],
)
def test_a_daily_range_is_open_only_inside_it(text, moment, expected):
    assert open_now(text, now=moment) is expected


@pytest.mark.parametrize("text", ["", "周一至周五", "by appointment", "25:00–26:00", "08:61–09:00"])
def test_hours_we_cannot_read_make_no_claim(text):
    assert parse_daily_hours(text) is None
    assert open_now(text, now=at(12)) is None


@pytest.fixture
def station(db):
    station = Facility.objects.filter(opening_hours="08:30–22:00").order_by("pk").first()
    assert station is not None, "the demo has a station open 08:30–22:00"
    return station


def _station_page(client, station, monkeypatch, moment):
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))
    response = client.get(f"/station/{station.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_station_page_says_closed_in_the_small_hours(client, station, monkeypatch):
    html = _station_page(client, station, monkeypatch, at(4, 20))
    assert "开放时间 08:30–22:00" in html
    assert "现已关闭，08:30 开门" in html
    assert "正在开放" not in html
    assert "打开 08:30" not in html


def test_the_station_page_says_open_in_the_afternoon(client, station, monkeypatch):
    html = _station_page(client, station, monkeypatch, at(15))
    assert "开放时间 08:30–22:00" in html
    assert "正在开放" in html
    assert "现已关闭" not in html


@pytest.mark.browser
@pytest.mark.parametrize(
    ("hour", "says", "never"),
    [("04:20", "现已关闭，08:30 开门", "正在开放"), ("15:00", "正在开放", "现已关闭")],
)
def test_a_resident_reads_on_her_phone_whether_the_station_is_open(
    demo_live_server, phone_page, clock, hour, says, never
):
    station = Facility.objects.filter(opening_hours="08:30–22:00").order_by("pk").first()
    assert station is not None
    clock.move_to(hour)

    phone_page.goto(f"{demo_live_server.url}/station/{station.pk}/")

    lead = phone_page.locator(".gm-lead")
    assert "开放时间 08:30–22:00" in lead.inner_text()
    assert says in lead.inner_text() and never not in lead.inner_text()
    assert "打开" not in phone_page.locator("main").inner_text()
