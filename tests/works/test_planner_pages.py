"""The planner's pages on the demo: filters, programme bars, the table, a work's page, and
refusals a planner can act on."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.works.models import Work
from apps.works.workflow import WorkStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def planner_client():
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(User.objects.get(username="planner"))
    return client


def rows(response):
    return [w.name for w in response.context["works"]]


def test_the_planner_sees_every_demo_work_with_the_programme_at_5_of_15(planner_client):
    response = planner_client.get(reverse("works:planner"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == Work.objects.count() == 21
    page = response.content.decode()
    assert "5 of 15 sites done" in page
    assert "芙蓉区公益性室外健身场所" in page


def test_filtering_by_status_keeps_only_those_works(planner_client):
    response = planner_client.get(reverse("works:planner"), {"status": "under_construction"})
    assert sorted(rows(response)) == sorted(
        Work.objects.filter(status="under_construction").values_list("name", flat=True)
    )
    # Six fitness sites and the D4 elevator overhaul (apps/works/demo_case.py).
    assert len(rows(response)) == 7


def test_filtering_by_funder_finds_the_fence_paid_by_the_developer(planner_client):
    from apps.accounts.models import Organisation

    developer = Organisation.objects.get(name="中交地产")
    response = planner_client.get(reverse("works:planner"), {"funder": developer.pk})
    assert rows(response) == ["中交中央公园D1围墙重建"]


def test_filtering_by_type_and_community_combine(planner_client):
    from apps.regions.models import Community

    shida = Community.objects.get(code="SD")
    response = planner_client.get(
        reverse("works:planner"), {"community": shida.pk, "work_type": "new_build"}
    )
    assert sorted(rows(response)) == ["高坡垃圾站新建", "高坡智慧公厕新建"]


def test_the_overdue_filter_keeps_unbuilt_works_past_their_planned_end(planner_client):
    # No demo work is overdue on the demo's today: make one late.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Work.objects.filter(name="马王堆篮球场").update(planned_end=yesterday)
    response = planner_client.get(reverse("works:planner"), {"overdue": "on"})
    assert rows(response) == ["马王堆篮球场"]
    for work in response.context["works"]:
        assert work.is_overdue and work.status not in ("completed", "accepted", "open_to_public")


def test_the_map_and_exports_follow_the_filters(planner_client):
    response = planner_client.get(reverse("works:planner"), {"status": "approved"})
    config = response.context["config"]
    assert config["geojson_url"] == "/works/export.geojson?status=approved"
    assert 'href="/works/export.csv?status=approved"' in response.content.decode()
    assert [row["name"] for row in config["timeline"]] == rows(response)


def test_an_unknown_filter_value_is_a_400_with_the_reason(planner_client):
    response = planner_client.get(reverse("works:planner"), {"programme": "999999"})
    assert response.status_code == 400
    assert "not (or no longer) available" in response.content.decode()


def test_the_planner_page_takes_a_fixed_number_of_queries(
    planner_client, django_assert_max_num_queries
):
    # Session, user, scope, count, rows (funders and progress are subqueries), programmes
    # with their counts, extent, filter choices: 10, however many works there are; plus
    # one for the header, whose navigation looks up the signed-in user's roles: 11.
    with django_assert_max_num_queries(11):
        planner_client.get(reverse("works:planner"))


def test_a_works_page_takes_a_fixed_number_of_queries(
    planner_client, django_assert_max_num_queries
):
    work = Work.objects.get(name="中交中央公园D1围墙重建")
    # History with photos is prefetched: no query per entry. 10, plus one for the header,
    # whose navigation looks up the signed-in user's roles, and one for the grid the site
    # lies in (outlined on the map): 12.
    with django_assert_max_num_queries(12):
        planner_client.get(reverse("works:detail", args=[work.pk]))


def test_the_page_serves_chart_js_and_leaflet_from_our_own_server(planner_client):
    page = planner_client.get(reverse("works:planner")).content.decode()
    assert "/static/vendor/chart.js/chart.umd.min.js" in page
    assert "cdn" not in page.lower()


def test_a_works_page_shows_its_funders_history_and_possible_moves(planner_client):
    fence = Work.objects.get(name="中交中央公园D1围墙重建")
    response = planner_client.get(reverse("works:detail", args=[fence.pk]))
    page = response.content.decode()
    assert "中交地产 ¥2,000,000" in page
    assert "Completed → Accepted" in page and "Inspected with residents." in page
    assert [m.action for m in response.context["moves"]] == ["open"]


def test_a_refused_move_through_the_page_is_a_409_that_says_what_is_possible(planner_client):
    fence = Work.objects.get(name="中交中央公园D1围墙重建")
    response = planner_client.post(
        reverse("works:transition", args=[fence.pk]), {"action": "start"}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "cannot “Start construction”" in page and "Open it to the public" in page
    fence.refresh_from_db()
    assert fence.status == WorkStatus.ACCEPTED


def test_completing_through_the_page_records_the_note_and_says_so(planner_client):
    work = Work.objects.get(name="马王堆篮球场")
    response = planner_client.post(
        reverse("works:transition", args=[work.pk]),
        {"action": "complete", "note": "场地完工"},
        follow=True,
    )
    assert response.status_code == 200
    assert "The work is now “Completed”." in response.content.decode()
    assert work.status_changes.last().note == "场地完工"
