"""Issue 13 in headless Chromium: the planning form checks only real overlaps and previews
the coming patrols; on a phone, a check-in made while the track records is saved once and
the texts say what is true. Plans are dated from tomorrow on, or the clock is placed (the
`clock` fixture), so these pass at any hour in Asia/Shanghai."""

import datetime as dt
import re

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.patrols.models import CheckIn, PatrolPlan, PatrolTrackPoint
from apps.patrols.services import CheckpointData, PlanData, TeamSeat, patrol_plan_save
from apps.regions.models import Community, Grid
from tests.conftest import PHONE

from .conftest import SHANGHAI, offset, sign_in

pytestmark = pytest.mark.browser

NIGHT_PLAN = "东瑞社区夜间联合巡逻"  # the demo's nightly joint patrol of DR-01, DR-02, DR-04


def choose_person(select, name):
    select.select_option(select.locator("option", has_text=name).first.get_attribute("value"))


def open_plan_form(page, server):
    sign_in(page, server, User.objects.get(username="communityadmin"))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{server.url}/patrols/plans/new/")
    page.locator(".pt-label", has_text="DR-01").wait_for()


def fill_plan(page, *, name, grid, start, end, first, last=None, recurrence="daily", person="周敏"):
    """Name, one grid clicked on the map, one grid worker (周敏 by default) and the shift."""
    page.fill("#plan-name", name)
    box = page.locator(".pt-label", has_text=grid).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 12)
    expect(page.locator("#plan-grids")).to_contain_text(grid)
    choose_person(page.locator(".pt-team-person").first, person)
    page.fill("#plan-start", start)
    page.fill("#plan-end", end)
    page.select_option("#plan-recurrence", recurrence)
    page.fill("#plan-starts-on", first.isoformat())
    if last is not None:
        page.fill("#plan-until", last.isoformat())


def local_now():
    return timezone.localtime(timezone.now(), SHANGHAI)


def test_a_daytime_plan_beside_the_demos_night_plan_saves_with_one_click(demo_live_server, page):
    # Same grid (DR-01) and same grid worker as the nightly 22:00–06:00 plan, by day.
    tomorrow = local_now().date() + dt.timedelta(days=1)
    open_plan_form(page, demo_live_server)
    fill_plan(
        page,
        name="白天巡查",
        grid="DR-01",
        start="09:00",
        end="17:00",
        first=tomorrow,
        last=tomorrow + dt.timedelta(days=6),
    )

    page.click("#plan-save")

    page.wait_for_url(re.compile(r"/patrols/plans/\d+/$"))
    plan = PatrolPlan.objects.get(name="白天巡查")
    assert plan.instances.count() == 7
    # The plan page names its grid list for what it is.
    panel = page.locator(".pt-panel")
    expect(panel.locator("h2").first).to_have_text("网格")
    expect(panel).to_contain_text("DR-01")
    expect(panel).not_to_contain_text("面积")


def test_a_truly_overlapping_plan_lists_its_conflicts_and_saves_only_when_told(
    demo_live_server, page
):
    tomorrow = local_now().date() + dt.timedelta(days=1)
    open_plan_form(page, demo_live_server)
    # 23:00–01:00 tomorrow night: inside the night plan's 22:00–06:00, same grid, same worker.
    fill_plan(
        page,
        name="加密巡逻",
        grid="DR-01",
        start="23:00",
        end="01:00",
        first=tomorrow,
        recurrence="once",
    )

    page.click("#plan-save")

    person = page.locator("#plan-conflicts li[data-kind='double_booking']")
    grid = page.locator("#plan-conflicts li[data-kind='grid_overlap']")
    expect(person).to_have_count(1)
    expect(person).to_contain_text("周敏")
    expect(person).to_contain_text(NIGHT_PLAN)
    expect(person).to_contain_text(f"{tomorrow.isoformat()} 22:00–06:00")
    expect(grid).to_have_count(1)
    expect(grid).to_contain_text("DR-01")
    expect(page.locator("#plan-status")).to_contain_text("发现冲突")
    expect(page.locator("#plan-upcoming li")).to_have_count(1)
    assert not PatrolPlan.objects.filter(name="加密巡逻").exists()

    page.click("#plan-save-anyway")

    page.wait_for_url(re.compile(r"/patrols/plans/\d+/$"))
    assert PatrolPlan.objects.get(name="加密巡逻").instances.count() == 1


@pytest.mark.parametrize("hour", ["03:00", "12:00", "23:30"])
def test_the_preview_never_lists_a_patrol_that_has_ended(demo_live_server, page, clock, hour):
    now = clock.move_to(hour)
    clock.follow(page.context)
    yesterday = now.date() - dt.timedelta(days=1)
    open_plan_form(page, demo_live_server)
    # Every night from yesterday, on a grid the demo leaves alone at night, by its own grid
    # worker (吴强, on no other patrol): no conflicts.
    fill_plan(
        page,
        name="DR-03 夜巡",
        grid="DR-03",
        person="吴强",
        start="22:00",
        end="06:00",
        first=yesterday,
        last=yesterday + dt.timedelta(days=13),
    )

    page.click("#plan-check")

    coming = page.locator("#plan-upcoming li")
    expect(coming).to_have_count(7)
    ends = [
        dt.datetime.fromisoformat(e)
        for e in coming.evaluate_all("l => l.map(li => li.dataset.ends)")
    ]
    assert all(end > now for end in ends)
    first_start = dt.datetime.fromisoformat(coming.first.get_attribute("data-starts"))
    if now.hour < 6:
        # In the small hours the night that began yesterday at 22:00 is still running.
        assert first_start.date() == yesterday
        expect(coming.first).to_contain_text("进行中")
    else:
        assert first_start.date() == now.date()
    expect(page.locator("#plan-status")).to_contain_text("无冲突")


@pytest.fixture
def patrol_now(demo_live_server):
    """A Dongrui patrol whose shift started an hour ago, with one checkpoint at the D1 gate."""
    starts = local_now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    community = Community.objects.get(code="DR")
    gate = (113.0286100, 28.1912000)
    plan = patrol_plan_save(
        data=PlanData(
            community=community,
            name="临时联巡",
            start_time=starts.time(),
            end_time=(starts + dt.timedelta(hours=4)).time(),
            recurrence="once",
            starts_on=starts.date(),
            until=starts.date(),
            grids=[Grid.objects.get(community=community, code="DR-01")],
            checkpoints=[CheckpointData("D1东门", Point(*gate, srid=4326))],
            team=[TeamSeat(User.objects.get(username="gridworker"), "grid_worker")],
        ),
        by=User.objects.get(username="communityadmin"),
    )
    return plan.instances.get(), gate


def walk(page, gate, steps, start=0):
    """Move the phone along a line north of the gate, one fix every 10 m."""
    for n in range(start, start + steps):
        lon, lat = offset(*gate, azimuth=0, metres=10 + n * 10)
        page.context.set_geolocation({"longitude": lon, "latitude": lat, "accuracy": 5})
        page.wait_for_timeout(150)


def test_a_check_in_while_the_track_records_is_saved_once_and_the_end_leaves_no_stale_count(
    demo_live_server, geo_page, patrol_now
):
    instance, gate = patrol_now
    page = geo_page(lon=gate[0], lat=gate[1], accuracy=5)
    sign_in(page, demo_live_server, User.objects.get(username="gridworker"))
    page.goto(f"{demo_live_server.url}/patrols/{instance.pk}/run/")
    page.on("dialog", lambda dialog: dialog.accept())

    page.click("#run-start")
    expect(page.locator("#run")).to_have_attribute("data-status", "in_progress")
    page.click("#run-track")
    position = page.locator("#run-position")
    expect(position).to_have_attribute("data-state", "fix")
    expect(position).to_have_text("已定位（精度约 5 米）")
    expect(page.locator("#run-track-status")).to_contain_text("正在记录轨迹")

    # Points stream in; the check-in is pressed in the middle of them.
    walk(page, gate, 4)
    row = page.locator(".pt-checkpoint").first
    button = row.locator(".pt-checkin")
    button.click()
    walk(page, gate, 8, start=4)

    expect(row).to_have_attribute("data-state", "on_site")
    expect(button).to_have_text("再次签到")
    expect(row.locator(".pt-checkpoint-result")).to_contain_text("现场")
    expect(page.locator("#run-message")).to_contain_text("已在“D1东门”签到")
    expect(position).to_have_attribute("data-state", "fix")  # no error while fixes arrive
    assert CheckIn.objects.filter(instance=instance).count() == 1
    expect(page.locator("#run-track-status")).to_contain_text("已发送 10 个点")

    page.click("#run-end")

    expect(page.locator("#run")).to_have_attribute("data-status", "completed")
    expect(page.locator("#run-track-status")).to_be_hidden()
    summary = page.locator("#run-message")
    expect(summary).to_have_text(re.compile(r"^巡逻已结束：共发送 \d+ 个轨迹点，签到 1 次。$"))
    expect(page.locator("body")).not_to_contain_text("已发送 10 个点")
    # Every fix the phone had (the first one and twelve steps) delivered, none twice.
    sent = int(re.search(r"共发送 (\d+) 个", summary.text_content()).group(1))
    assert sent >= 12
    assert PatrolTrackPoint.objects.filter(instance=instance).count() == sent
    assert CheckIn.objects.filter(instance=instance).count() == 1


def test_a_phone_that_refuses_its_position_is_told_why_and_nothing_is_saved(
    demo_live_server, browser, patrol_now
):
    instance, _gate = patrol_now
    # No geolocation permission: the browser refuses every request for the position.
    context = browser.new_context(
        **PHONE,
    )
    try:
        page = context.new_page()
        sign_in(page, demo_live_server, User.objects.get(username="gridworker"))
        page.goto(f"{demo_live_server.url}/patrols/{instance.pk}/run/")
        page.click("#run-start")
        expect(page.locator("#run")).to_have_attribute("data-status", "in_progress")
        button = page.locator(".pt-checkin").first

        button.click()

        expect(page.locator("#run-position")).to_have_attribute("data-state", "error")
        expect(page.locator("#run-message")).to_contain_text("定位已关闭或未获授权")
        expect(button).to_have_text("在此签到")
        expect(button).to_be_enabled()
        assert not CheckIn.objects.filter(instance=instance).exists()
    finally:
        context.close()
