"""“My area”: my grids, their buildings and heads, open reports by deadline, tonight's
patrols, and where I stand (PostGIS)."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.patrols.services import patrol_plan_save
from tests.factories import make_building, make_user, square

from .conftest import X0, Y0, logged_in_client, offset, plan_around_now


def test_my_area_lists_my_grids_buildings_heads_and_households(area):
    head = make_user(display_name="张楼长", work_phone="0731-1234")
    make_building(
        area.community,
        number="W-1栋",
        households=72,
        building_head=head,
        footprint=square(X0 + 0.0015, Y0 + 0.0015, 0.0002),
    )
    make_building(
        area.community,
        number="E-1栋",
        households=50,
        footprint=square(X0 + 0.0035, Y0 + 0.0015, 0.0002),
    )

    page = logged_in_client(area.worker).get("/me/").content.decode()

    assert (
        "W1" in page
        and "W-1栋" in page
        and "张楼长" in page
        and "0731-1234" in page
        and "72" in page
    )
    assert "E-1栋" not in page  # not in my grid


def test_someone_without_grids_is_told_so(area):
    page = logged_in_client(area.resident).get("/me/").content.decode()
    assert 'class="pt-empty"' in page


def test_my_area_needs_signing_in(client):
    assert client.get("/me/").status_code == 302


def test_tonights_patrols_are_listed_with_a_link_to_run_them(area):
    plan = patrol_plan_save(data=plan_around_now(area, name="今晚联巡"), by=area.admin)
    page = logged_in_client(area.worker).get("/me/").content.decode()
    assert "今晚联巡" in page and f"/patrols/{plan.instances.get().pk}/run/" in page


def test_open_reports_in_my_grids_come_soonest_due_first(area):
    from apps.reports.models import Category
    from apps.reports.services import report_submit

    category = Category.objects.filter(is_active=True).order_by("handle_hours").first()
    slow = Category.objects.filter(is_active=True).order_by("-accept_hours").first()
    inside = (X0 + 0.002, Y0 + 0.002)
    now = timezone.now()
    later = report_submit(
        category=slow,
        description="路灯不亮",
        lon=inside[0],
        lat=inside[1],
        reporter=area.resident,
        at=now,
    ).report
    sooner = report_submit(
        category=category,
        description="井盖松动",
        lon=inside[0],
        lat=inside[1] + 0.0001,
        reporter=area.resident,
        at=now - dt.timedelta(hours=1),
    ).report
    assert (sooner.accept_due < later.accept_due) and sooner.grid == area.west

    page = logged_in_client(area.worker).get("/me/").content.decode()

    assert page.index(sooner.code) < page.index(later.code)
    assert "13900000000" not in page  # the resident's phone never shows


@pytest.mark.parametrize(
    ("where", "inside", "nearest", "metres"),
    [
        # The middle of my grid W1: inside it, 0 m.
        ((X0 + 0.002, Y0 + 0.002), "W1", "W1", 0.0),
        # 100 m due north of the middle of W1's northern edge (latitude Y0 + 0.003).
        (offset(X0 + 0.002, Y0 + 0.003, azimuth=0, metres=100), None, "W1", 100.0),
        # In the east grid, 50 m east of the shared edge: inside E1, 50 m from mine.
        (offset(X0 + 0.003, Y0 + 0.002, azimuth=90, metres=50), "E1", "W1", 50.0),
    ],
)
def test_locate_me_says_which_grid_i_am_in_and_how_far_my_nearest_is(
    area, where, inside, nearest, metres
):
    response = logged_in_client(area.worker).get(f"/me/locate/?lat={where[1]}&lng={where[0]}")

    data = response.json()
    assert (data["inside"] or {}).get("code") == inside
    assert data["nearest_mine"]["code"] == nearest
    # Geodesic metres from PostGIS; the edges are meridians/parallels of the grid square,
    # so the nearest point is straight across (rounded to 0.1 m by the endpoint).
    assert data["nearest_mine"]["distance_m"] == pytest.approx(metres, abs=0.15)


@pytest.mark.parametrize("query", ["lat=95&lng=112.8", "lat=abc&lng=112.8", ""])
def test_locate_me_refuses_a_position_that_is_not_one(area, query):
    response = logged_in_client(area.worker).get(f"/me/locate/?{query}")
    assert response.status_code == 400 and response.json()["detail"]
