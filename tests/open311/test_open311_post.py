"""POST requests: a report filed through Open311 is the same report, by the same rules, as
one from the web form; every refusal is the spec's error document."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.open311.models import ApiKey, Open311Submission
from apps.reports.models import Report
from tests.figures.world import IN_OTHER, INSIDE

from .conftest import errors_of, json_of, xml_of

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def post(client, fmt="json", **data):
    return client.post(f"{BASE}/requests.{fmt}", data)


def post_in_english(client, fmt="json", **data):
    """For tests that read a message's words: the site's default language is Chinese."""
    return client.post(f"{BASE}/requests.{fmt}", data, HTTP_ACCEPT_LANGUAGE="en")


def valid(key, **extra):
    lon, lat = INSIDE
    return {
        "api_key": key,
        "service_code": "repair",
        "lat": str(lat),
        "long": str(lon),
        "description": "3单元楼道灯坏了。",
        **extra,
    }


def filed(response) -> Report:
    (item,) = json_of(response)
    return Report.objects.get(pk=int(item["service_request_id"]))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_service_request_is_filed_and_its_id_returned(client, key, fmt):
    response = post(client, fmt, **valid(key))
    assert response.status_code == 201
    if fmt == "json":
        (item,) = json_of(response)
        assert list(item) == ["service_request_id", "service_notice", "account_id"]
        request_id = item["service_request_id"]
    else:
        root = xml_of(response)
        assert root.tag == "service_requests"
        request_id = root.findtext("request/service_request_id")
        assert [e.tag for e in root.find("request")] == [
            "service_request_id",
            "service_notice",
            "account_id",
        ]
    report = Report.objects.get(pk=int(request_id))
    assert report.source == Report.Source.OPEN311


def test_an_open311_report_gets_the_grid_worker_building_and_deadlines_of_the_web_form(
    client, world, key
):
    report = filed(post(client, **valid(key)))
    assert report.community == world.here
    assert report.grid == world.grid
    assert report.duty_worker == world.grid_worker
    assert report.building == world.building
    # "repair": accept within 2 h, handle within 72 h of the submission.
    assert report.accept_due - report.submitted_at == datetime.timedelta(hours=2)
    assert report.handle_due - report.submitted_at == datetime.timedelta(hours=72)


def test_an_open311_report_shows_in_the_console_and_on_its_tracking_page(client, world, key):
    response = post(client, **valid(key))
    report = filed(response)
    (item,) = json_of(response)
    assert f"/r/{report.code}/" in item["service_notice"]  # the client can pass it on
    console = world.client("admin_here").get(reverse("reports:console"))
    assert report.code in console.content.decode()
    tracking = client.get(reverse("reports:track", args=[report.code]))
    assert tracking.status_code == 200
    page = tracking.content.decode()
    assert "3单元楼道灯坏了。" in page
    assert world.grid.code in page


def test_what_the_web_form_has_no_place_for_is_kept_privately(client, key):
    report = filed(
        post(
            client,
            **valid(
                key,
                service_code="elevator",
                **{"attribute[building]": "T9-2栋", "attribute[people_trapped]": "no"},
                media_url="https://photos.example.org/lift.jpg",
                first_name="三",
                last_name="张",
                email="zhang@example.org",
                phone="13800138000",
            ),
        )
    )
    row = Open311Submission.objects.get(report=report)
    assert row.attributes == {"building": "T9-2栋", "people_trapped": "no"}
    assert row.media_url == "https://photos.example.org/lift.jpg"  # kept as text, never fetched
    assert (row.first_name, row.last_name) == ("三", "张")
    assert (report.contact_email, report.contact_phone) == ("zhang@example.org", "13800138000")


def test_several_values_of_a_multivaluelist_are_kept_as_a_list(client, world, key):
    from apps.open311.models import ServiceAttribute
    from apps.reports.models import Category

    ServiceAttribute.objects.create(
        category=Category.objects.get(code="repair"),
        code="floors",
        datatype="multivaluelist",
        order=1,
        description="哪几层？",
        values=[{"key": "1", "name": "一楼"}, {"key": "2", "name": "二楼"}],
    )
    report = filed(post(client, **valid(key, **{"attribute[floors][]": ["1", "2"]})))
    assert Open311Submission.objects.get(report=report).attributes == {"floors": ["1", "2"]}


def test_an_address_string_naming_a_building_places_the_report_there(client, world, key):
    data = valid(key, address_string="测试花园 t9-2 栋 3单元")
    del data["lat"], data["long"]
    report = filed(post(client, **data))
    assert report.building == world.building
    assert world.building.footprint.contains(report.location)
    assert report.grid == world.grid


def test_an_address_id_is_a_building_id(client, world, key):
    data = valid(key, address_id=str(world.building.pk))
    del data["lat"], data["long"]
    assert filed(post(client, **data)).building == world.building


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_address_string_naming_no_building_is_refused(client, key, fmt):
    data = valid(key, address_string="火星基地 99 号")
    del data["lat"], data["long"]
    response = post(client, fmt, **data)
    assert response.status_code == 400
    assert "address_string" in errors_of(response, fmt)[0]["description"]
    assert not Report.objects.filter(description="3单元楼道灯坏了。").exists()


def test_an_address_string_two_buildings_could_match_is_refused_as_ambiguous(
    client, world, anywhere_key
):
    from tests.factories import make_building, make_compound, square

    other_compound = make_compound(world.other, name="别的花园")
    make_building(
        world.other,
        number="T9-2栋",
        compound=other_compound,
        footprint=square(112.9252, 27.9052, 0.0002),
    )
    data = valid(anywhere_key, address_string="T9-2栋")
    del data["lat"], data["long"]
    response = post(client, **data)
    assert response.status_code == 400
    assert "测试花园" in errors_of(response, "json")[0]["description"]
    # Naming the compound settles it.
    data["address_string"] = "别的花园 T9-2栋"
    assert filed(post(client, **data)).community == world.other


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_api_key_is_a_403(client, key, fmt):
    data = valid(key)
    del data["api_key"]
    response = post(client, fmt, **data)
    assert response.status_code == 403
    (error,) = errors_of(response, fmt)
    assert error["code"] == "403"
    assert "api_key" in error["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_withdrawn_api_key_is_a_403(client, key, fmt):
    assert post(client, fmt, **valid("gm311_not-a-real-key")).status_code == 403
    ApiKey.objects.filter(name="测试客户端").update(is_active=False)
    response = post(client, fmt, **valid(key))
    assert response.status_code == 403
    assert Report.objects.filter(source=Report.Source.OPEN311).count() == 0


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_service_code_is_a_400(client, key, fmt):
    response = post(client, fmt, **valid(key, service_code=""))
    assert response.status_code == 400
    assert "service_code" in errors_of(response, fmt)[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_code_is_a_404(client, key, fmt):
    response = post(client, fmt, **valid(key, service_code="potholes"))
    assert response.status_code == 404
    assert "potholes" in errors_of(response, fmt)[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_request_without_any_location_is_a_400(client, key, fmt):
    data = valid(key)
    del data["lat"], data["long"]
    response = post(client, fmt, **data)
    assert response.status_code == 400
    assert "lat" in errors_of(response, fmt)[0]["description"]


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"lat": "28.19", "long": ""}, "together"),
        ({"lat": "north", "long": "east"}, "decimal degrees"),
        ({"description": "  "}, "description"),
        ({"media_url": "ftp://example.org/x.jpg"}, "media_url"),
        ({"idempotency_key": "short"}, "idempotency_key"),
        ({"phone": "call me"}, "phone"),
    ],
)
def test_bad_parameters_are_400s_that_name_them(client, key, extra, words):
    response = post_in_english(client, **valid(key, **extra))
    assert response.status_code == 400
    assert words in " ".join(e["description"] for e in errors_of(response, "json"))


@pytest.mark.parametrize(
    ("attributes", "words"),
    [
        ({"attribute[building]": "T9-2栋"}, "people_trapped"),  # required, missing
        ({"attribute[building]": "T9-2栋", "attribute[people_trapped]": "maybe"}, "yes, no"),
        (
            {"attribute[building]": "T9", "attribute[people_trapped]": "no", "attribute[x]": "1"},
            "attribute[x]",
        ),
    ],
)
def test_attributes_are_checked_against_the_service_definition(client, key, attributes, words):
    response = post(client, **valid(key, service_code="elevator", **attributes))
    assert response.status_code == 400
    assert words in " ".join(e["description"] for e in errors_of(response, "json"))


def test_every_problem_is_reported_at_once(client, key):
    response = post(client, **valid(key, service_code="elevator", description="", media_url="nope"))
    descriptions = [e["description"] for e in errors_of(response, "json")]
    assert len(descriptions) >= 4  # two attributes, the description and the media_url


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_place_outside_the_served_area_is_refused_as_for_the_web_form(client, anywhere_key, fmt):
    response = post_in_english(client, fmt, **valid(anywhere_key, lat="39.9", long="116.4"))
    assert response.status_code == 400
    assert "outside" in errors_of(response, fmt)[0]["description"]


def test_a_key_of_one_community_cannot_file_in_another(client, world, key):
    lon, lat = IN_OTHER
    response = post(client, **valid(key, lat=str(lat), long=str(lon)))
    assert response.status_code == 400
    assert world.here.name in errors_of(response, "json")[0]["description"]


def test_the_same_idempotency_key_twice_files_one_report(client, key):
    data = valid(key, idempotency_key="retry-after-timeout-0001")
    first = post(client, **data)
    second = post(client, **data)
    assert (first.status_code, second.status_code) == (201, 200)
    assert json_of(first)[0]["service_request_id"] == json_of(second)[0]["service_request_id"]
    assert Report.objects.filter(source=Report.Source.OPEN311).count() == 1


def test_the_idempotency_header_works_like_the_field(client, key):
    headers = {"HTTP_IDEMPOTENCY_KEY": "header-key-000000001"}
    first = client.post(f"{BASE}/requests.json", valid(key), **headers)
    second = client.post(f"{BASE}/requests.json", valid(key), **headers)
    assert json_of(first) == json_of(second)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_token_gives_back_the_request_id(client, key, fmt):
    response = post(client, **valid(key, idempotency_key="my-own-token-0000001"))
    request_id = json_of(response)[0]["service_request_id"]
    answer = client.get(f"{BASE}/tokens/my-own-token-0000001.{fmt}")
    assert answer.status_code == 200
    if fmt == "json":
        assert json_of(answer) == [
            {"service_request_id": request_id, "token": "my-own-token-0000001"}
        ]
    else:
        root = xml_of(answer)
        assert root.tag == "service_requests"
        assert root.findtext("request/service_request_id") == request_id
        assert root.findtext("request/token") == "my-own-token-0000001"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_token_is_a_404(client, fmt):
    response = client.get(f"{BASE}/tokens/never-issued-token-01.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0]["code"] == "404"


def test_a_key_past_its_hourly_limit_is_told_when_to_come_back(client, key):
    ApiKey.objects.filter(name="测试客户端").update(hourly_limit=2)
    assert post(client, **valid(key)).status_code == 201
    assert post(client, **valid(key)).status_code == 201
    response = post_in_english(client, **valid(key))
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert "limit" in errors_of(response, "json")[0]["description"]


def test_the_phone_numbers_limit_of_the_web_form_applies_too(client, key, settings):
    settings.GRIDMAP_REPORT_RATE_LIMITS = {"phone": (1, 3600)}
    assert post(client, **valid(key, phone="13900000001")).status_code == 201
    response = post(client, **valid(key, phone="139 0000 0001"))
    assert response.status_code == 429
    assert response["Retry-After"]


def test_the_key_records_when_it_was_last_used(client, key):
    post(client, **valid(key))
    used = ApiKey.objects.get(name="测试客户端").last_used_at
    assert used is not None and timezone.now() - used < datetime.timedelta(minutes=1)


def test_staff_can_be_shown_what_the_client_sent_with_a_report(client, key):
    from django.template import Context, Template

    report = filed(
        post(
            client,
            **valid(
                key,
                service_code="elevator",
                **{"attribute[building]": "T9-2栋", "attribute[people_trapped]": "yes"},
                media_url="https://photos.example.org/lift.jpg",
            ),
        )
    )
    html = Template('{% include "open311/report_details.html" %}').render(
        Context({"report": report})
    )
    assert "哪一栋楼？" in html and "T9-2栋" in html
    assert "是，有人被困" in html  # the choice's name, not its key
    assert "https://photos.example.org/lift.jpg" in html
