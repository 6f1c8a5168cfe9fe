"""The patrol pages in headless Chromium: planning a patrol on the map with the drawing
plugin, and checking in on a phone whose position the test sets."""

import datetime as dt
import re

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.patrols.models import CheckIn, PatrolPlan
from apps.patrols.services import CheckpointData, PlanData, TeamSeat, patrol_plan_save
from apps.regions.models import Community, Grid

from .conftest import SHANGHAI, offset, sign_in

pytestmark = pytest.mark.browser


def click_map(page, map_id, fx, fy):
    """Click the map at a fraction (fx, fy) of its width and height."""
    box = page.locator(f"#{map_id}").bounding_box()
    page.mouse.click(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)


def choose_person(select, name):
    select.select_option(select.locator("option", has_text=name).first.get_attribute("value"))


def test_a_community_admin_plans_a_patrol_on_the_map(demo_live_server, page):
    admin = User.objects.get(username="communityadmin")
    sign_in(page, demo_live_server, admin)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo_live_server.url}/patrols/plans/new/")
    page.locator(".leaflet-pm-icon-polyline").wait_for()
    page.fill("#plan-name", "东瑞家园夜巡")

    # The area: click the DR-03 cell.
    box = page.locator(".pt-label", has_text="DR-03").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + 12)
    expect(page.locator("#plan-grids")).to_contain_text("DR-03")

    # The route: the line tool, three clicks, then the last point again to finish.
    page.locator(".leaflet-pm-icon-polyline").click()
    for fx, fy in [(0.45, 0.35), (0.6, 0.35), (0.6, 0.6)]:
        click_map(page, "plan-map", fx, fy)
    click_map(page, "plan-map", 0.6, 0.6)
    expect(page.locator("#plan-form")).to_have_attribute("data-gm-route-points", "3")

    # Two checkpoints with the marker tool, then name the first.
    page.locator(".leaflet-pm-icon-marker").click()
    click_map(page, "plan-map", 0.45, 0.36)
    click_map(page, "plan-map", 0.6, 0.59)
    page.keyboard.press("Escape")
    expect(page.locator("#plan-form")).to_have_attribute("data-gm-checkpoints", "2")
    page.locator(".pt-checkpoint-name").first.fill("东瑞家园大门")

    # A joint team: the grid worker and the property staff.
    choose_person(page.locator(".pt-team-person").first, "周敏")
    page.click("#team-add")
    choose_person(page.locator(".pt-team-person").nth(1), "陈刚")

    page.click("#plan-save")
    # Other grids have nights without a patrol: the page lists the conflicts first.
    expect(page.locator("#plan-conflicts li").first).to_be_visible()
    page.click("#plan-save-anyway")
    page.wait_for_url(re.compile(r"/patrols/plans/\d+/$"))

    plan = PatrolPlan.objects.get(name="东瑞家园夜巡")
    assert len(plan.route.coords) == 3
    assert (
        list(plan.checkpoints.order_by("position").values_list("name", flat=True))[0]
        == "东瑞家园大门"
    )
    assert plan.checkpoints.count() == 2
    assert set(plan.team.values_list("role", flat=True)) == {"grid_worker", "property_staff"}
    assert list(plan.grids.values_list("code", flat=True)) == ["DR-03"]
    assert (plan.start_time, plan.end_time) == (dt.time(22), dt.time(6))
    assert plan.instances.exists()
    expect(page.locator("h1")).to_contain_text("东瑞家园夜巡")


@pytest.fixture
def patrol_now(demo_live_server):
    """A patrol of Dongrui under way now-ish, with one checkpoint at the D1 east gate."""
    from django.utils import timezone

    starts = timezone.localtime(timezone.now(), SHANGHAI).replace(
        second=0, microsecond=0
    ) - dt.timedelta(hours=1)
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


def test_a_grid_worker_checks_in_on_a_phone_on_site_then_from_afar(
    demo_live_server, geo_page, patrol_now
):
    instance, gate = patrol_now
    near = offset(*gate, azimuth=45, metres=20)
    page = geo_page(lon=near[0], lat=near[1])
    sign_in(page, demo_live_server, User.objects.get(username="gridworker"))
    page.goto(f"{demo_live_server.url}/patrols/{instance.pk}/run/")

    assert page.viewport_size["width"] == 360
    page.click("#run-start")
    expect(page.locator("#run")).to_have_attribute("data-status", "in_progress")
    row = page.locator(".pt-checkpoint").first
    row.locator(".pt-checkin").click()
    expect(row).to_have_attribute("data-state", "on_site")
    expect(row).to_contain_text("20")

    far = offset(*gate, azimuth=180, metres=120)
    page.context.set_geolocation({"longitude": far[0], "latitude": far[1]})
    row.locator(".pt-checkin").click()
    expect(row).to_have_attribute("data-state", "remote")
    expect(row).to_contain_text("120")

    checkins = list(
        CheckIn.objects.filter(instance=instance)
        .order_by("pk")
        .values_list("on_site", "distance_m")
    )
    assert [on for on, _m in checkins] == [True, False]
    assert checkins[0][1] == pytest.approx(20, abs=0.1) and checkins[1][1] == pytest.approx(
        120, abs=0.1
    )


def test_locate_me_on_my_area_says_which_grid_i_am_in(demo_live_server, geo_page):
    grid = Grid.objects.get(community__code="DR", code="DR-02")
    centre = grid.boundary.point_on_surface
    page = geo_page(lon=centre.x, lat=centre.y)
    sign_in(page, demo_live_server, User.objects.get(username="gridworker"))
    page.goto(f"{demo_live_server.url}/me/")
    page.locator(".pt-grid-mine").first.wait_for()

    page.click("#locate-me")

    expect(page.locator("#locate-result")).to_contain_text("DR-02")
    expect(page.locator("#locate-result")).to_have_attribute("data-state", "inside")
    # One-handed: a button a thumb can hit, in the flow of the page (it covers no list).
    box = page.locator("#locate-me").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 88


def test_the_coverage_map_shades_the_grids_nobody_patrolled_after_midnight(demo_live_server, page):
    sign_in(page, demo_live_server, User.objects.get(username="communityadmin"))
    page.goto(f"{demo_live_server.url}/patrols/coverage/")
    page.locator(".pt-grid").first.wait_for()
    red = page.locator("path.pt-coverage-0")
    assert red.count() >= 2  # DR-03 and DR-05 had no night patrol
    expect(page.locator("#coverage-table tr[data-grid='DR-03']")).to_have_class(
        re.compile("pt-unassigned")
    )


def test_staff_assign_a_grid_worker_to_an_unassigned_grid_on_the_map(demo_live_server, page):
    from apps.accounts.models import Membership

    Membership.objects.get(user__username="gridworker-dr3", role="grid_worker").grids.clear()
    sign_in(page, demo_live_server, User.objects.get(username="communityadmin"))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{demo_live_server.url}/patrols/assign/")
    assign_map = page.locator("#assign-map")
    expect(assign_map).to_have_attribute("data-gm-unassigned", "DR-05")
    expect(page.locator("#assign-table tr[data-grid='DR-05']")).to_have_class("pt-unassigned")
    assert page.locator("path.pt-grid-unassigned").count() == 1

    box = page.locator(".pt-label", has_text="DR-05").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] + 10)
    expect(page.locator("#assign-selection")).to_contain_text("DR-05")
    choose_person(page.locator("#assign-person"), "周敏")
    page.click("#assign-add")

    expect(assign_map).to_have_attribute("data-gm-unassigned", "")
    expect(page.locator("#assign-table tr[data-grid='DR-05']")).to_contain_text("周敏")
    worker = Membership.objects.get(user__username="gridworker", role="grid_worker")
    assert set(worker.grids.values_list("code", flat=True)) == {"DR-01", "DR-02", "DR-05"}
