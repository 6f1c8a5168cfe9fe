"""GET requests and GET requests/{id}: what is public, the filters, the 90-day window, the
1,000 cap, open/closed with status notes, +08:00 times, and no private data."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.gis.geos import Point
from django.test import override_settings
from django.utils import timezone

from apps.reports import services
from apps.reports.models import Category, Report
from apps.reports.sla import due_times
from apps.reports.states import Status
from tests.figures.world import INSIDE, H, close, file_report, handle

from .conftest import errors_of, json_of, xml_of

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def accepted(world, at=None, **kwargs) -> Report:
    """A public report: accepted, of a public category."""
    at = at or timezone.now() - 2 * H
    report = file_report(at, **kwargs)
    return services.report_accept(report=report, actor=world.admin_here, at=at + H)


def ids(response) -> list[int]:
    return [int(r["service_request_id"]) for r in json_of(response)]


def test_the_list_gives_each_public_request_with_the_specs_fields(client, world):
    report = accepted(world)
    rows = json_of(client.get(f"{BASE}/requests.json"))
    row = next(r for r in rows if r["service_request_id"] == str(report.pk))
    assert list(row) == REQUEST_FIELDS
    assert row["status"] == "open"
    assert row["service_code"] == "repair"
    assert row["lat"] == pytest.approx(INSIDE[1]) and row["long"] == pytest.approx(INSIDE[0])
    assert row["address"].startswith("T9-2栋, 测试花园, ")  # nearest building first
    assert row["address_id"] == str(world.building.pk)


def test_times_are_iso_8601_with_the_china_offset(client, world):
    report = accepted(world, at=datetime.datetime(2026, 1, 5, 1, 0, tzinfo=datetime.UTC))
    (row,) = json_of(client.get(f"{BASE}/requests/{report.pk}.json"))
    assert row["requested_datetime"] == "2026-01-05T09:00:00+08:00"
    # "repair" is handled within 72 hours: that is when it can be expected.
    assert row["expected_datetime"] == "2026-01-08T09:00:00+08:00"
    assert row["updated_datetime"].endswith("+08:00")


def test_the_xml_list_is_service_requests_of_request_elements(client, world):
    report = accepted(world)
    root = xml_of(client.get(f"{BASE}/requests.xml"))
    assert root.tag == "service_requests"
    request = next(
        r for r in root.findall("request") if r.findtext("service_request_id") == str(report.pk)
    )
    assert [e.tag for e in request] == REQUEST_FIELDS


def test_control_characters_never_make_the_xml_ill_formed(client, world):
    report = accepted(world, description="灯坏了\x01\x0b，请修。")
    root = xml_of(client.get(f"{BASE}/requests/{report.pk}.xml"))
    assert root.findtext("request/description") == "灯坏了，请修。"


def test_no_private_data_goes_out(client, world):
    report = accepted(
        world,
        description="楼道灯坏了，请打13912345678找我，或写信 li@example.org。",
        contact_phone="13800138000",
        contact_email="secret@example.org",
    )
    for fmt in ("json", "xml"):
        text = client.get(f"{BASE}/requests/{report.pk}.{fmt}").content.decode()
        for private in ("13800138000", "secret@example.org", "13912345678", "li@example.org"):
            assert private not in text
        assert "楼道灯坏了" in text


def test_a_report_staff_have_not_accepted_yet_is_not_public(client, world):
    report = file_report(timezone.now() - H)
    assert report.pk not in ids(client.get(f"{BASE}/requests.json"))
    response = client.get(f"{BASE}/requests/{report.pk}.json")
    assert response.status_code == 404


def test_a_report_of_a_private_category_is_never_public(client, world):
    report = accepted(world, category="noise")
    assert report.pk not in ids(client.get(f"{BASE}/requests.json"))


def test_a_client_sees_the_requests_it_filed_itself_with_its_key(client, world, key):
    lon, lat = INSIDE
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": key, "service_code": "noise", "lat": lat, "long": lon, "description": "吵"},
    )
    request_id = json_of(response)[0]["service_request_id"]
    assert client.get(f"{BASE}/requests/{request_id}.json").status_code == 404
    mine = client.get(f"{BASE}/requests/{request_id}.json", {"api_key": key})
    assert json_of(mine)[0]["service_request_id"] == request_id


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_wrong_api_key_on_a_get_is_a_403(client, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", {"api_key": "gm311_wrong"})
    assert response.status_code == 403
    assert errors_of(response, fmt)[0]["code"] == "403"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_one_request_is_an_array_of_one(client, world, fmt):
    report = accepted(world)
    response = client.get(f"{BASE}/requests/{report.pk}.{fmt}")
    if fmt == "json":
        assert ids(response) == [report.pk]
    else:
        root = xml_of(response)
        assert [r.findtext("service_request_id") for r in root.findall("request")] == [
            str(report.pk)
        ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_id_is_a_404(client, fmt):
    response = client.get(f"{BASE}/requests/999999999.{fmt}")
    assert response.status_code == 404
    assert errors_of(response, fmt)[0]["code"] == "404"


def test_closed_and_rejected_reports_are_closed_with_their_public_note(client, world):
    now = timezone.now()
    done = close(
        handle(file_report(now - 30 * H), world, accepted=now - 29 * H, handled=now - 5 * H),
        world,
        at=now - H,
    )
    refused = services.report_reject(
        report=file_report(now - 3 * H),
        actor=world.admin_here,
        reason="重复报事，已合并。",
        at=now - 2 * H,
    )
    rows = {r["service_request_id"]: r for r in json_of(client.get(f"{BASE}/requests.json"))}
    assert rows[str(done.pk)]["status"] == "closed"
    assert rows[str(done.pk)]["status_notes"] == "已修好。"  # the handling feedback
    assert (
        rows[str(done.pk)]["updated_datetime"]
        == timezone.localtime(done.closed_at).replace(microsecond=0).isoformat()
    )
    assert str(refused.pk) not in rows  # never accepted: not public


def test_a_rejected_report_filed_by_the_client_is_closed_with_the_reason(client, world, key):
    lon, lat = INSIDE
    response = client.post(
        f"{BASE}/requests.json",
        {"api_key": key, "service_code": "repair", "lat": lat, "long": lon, "description": "灯"},
    )
    report = Report.objects.get(pk=int(json_of(response)[0]["service_request_id"]))
    services.report_reject(report=report, actor=world.admin_here, reason="重复报事，已合并。")
    (row,) = json_of(client.get(f"{BASE}/requests/{report.pk}.json", {"api_key": key}))
    assert (row["status"], row["status_notes"]) == ("closed", "重复报事，已合并。")


def test_the_status_filter_keeps_open_or_closed_requests(client, world):
    now = timezone.now()
    done = close(
        handle(file_report(now - 30 * H), world, accepted=now - 29 * H, handled=now - 5 * H),
        world,
        at=now - H,
    )
    waiting = accepted(world)
    closed_ids = ids(client.get(f"{BASE}/requests.json", {"status": "closed"}))
    open_ids = ids(client.get(f"{BASE}/requests.json", {"status": "open"}))
    both = ids(client.get(f"{BASE}/requests.json", {"status": "open,closed"}))
    assert done.pk in closed_ids and done.pk not in open_ids
    assert waiting.pk in open_ids and waiting.pk not in closed_ids
    assert {done.pk, waiting.pk} <= set(both)


def test_the_service_code_filter_takes_several_codes(client, world):
    repair = accepted(world)
    parking = accepted(world, category="parking")
    drain = accepted(world, category="drain")
    found = ids(client.get(f"{BASE}/requests.json", {"service_code": "repair,parking"}))
    assert repair.pk in found and parking.pk in found and drain.pk not in found


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"service_code": "potholes"}, "potholes"),
        ({"status": "pending"}, "status"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"service_request_id": "12,abc"}, "abc"),
        ({"start_date": "2024-01-01T00:00:00Z", "end_date": "2024-05-01T00:00:00Z"}, "90 days"),
        ({"start_date": "2024-05-01T00:00:00Z", "end_date": "2024-04-01T00:00:00Z"}, "before"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_400s_that_say_what_to_fix(client, query, words, fmt):
    # The words are the English messages: ask for English (the site's default is Chinese).
    response = client.get(f"{BASE}/requests.{fmt}", query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert words in errors_of(response, fmt)[0]["description"]


def test_without_dates_the_window_is_the_last_90_days(client, world):
    now = timezone.now()
    recent = accepted(world, at=now - datetime.timedelta(days=89))
    old = accepted(world, at=now - datetime.timedelta(days=91))
    found = ids(client.get(f"{BASE}/requests.json"))
    assert recent.pk in found and old.pk not in found


def test_a_range_of_exactly_90_days_is_served_and_bounds_are_inclusive(client, world):
    first = accepted(world, at=datetime.datetime(2024, 3, 1, 0, 0, tzinfo=datetime.UTC))
    last = accepted(world, at=datetime.datetime(2024, 5, 30, 0, 0, tzinfo=datetime.UTC))
    query = {"start_date": "2024-03-01T00:00:00Z", "end_date": "2024-05-30T00:00:00Z"}
    response = client.get(f"{BASE}/requests.json", query)
    assert response.status_code == 200
    assert {first.pk, last.pk} <= set(ids(response))


def test_a_start_date_alone_covers_the_90_days_after_it(client, world):
    inside = accepted(world, at=datetime.datetime(2024, 4, 1, tzinfo=datetime.UTC))
    after = accepted(world, at=datetime.datetime(2024, 6, 25, tzinfo=datetime.UTC))  # 97 days on
    found = ids(client.get(f"{BASE}/requests.json", {"start_date": "2024-03-20"}))
    assert inside.pk in found and after.pk not in found


def test_an_offset_whose_plus_arrived_as_a_space_is_understood(client, world):
    report = accepted(world, at=datetime.datetime(2024, 4, 1, 2, 0, tzinfo=datetime.UTC))
    # "+08:00" unencoded in a query string reaches the server as " 08:00".
    response = client.get(
        f"{BASE}/requests.json?start_date=2024-04-01T10:00:00+08:00&end_date=2024-04-02T00:00:00+08:00"
    )
    assert response.status_code == 200
    assert report.pk in ids(response)


def test_service_request_ids_override_every_other_filter(client, world):
    old = accepted(world, at=timezone.now() - datetime.timedelta(days=400))
    new = accepted(world, category="parking")
    found = ids(
        client.get(
            f"{BASE}/requests.json",
            {
                "service_request_id": f"{old.pk},{new.pk}",
                "service_code": "drain",
                "status": "closed",
            },
        )
    )
    assert sorted(found) == sorted([old.pk, new.pk])


@override_settings(GRIDMAP_OPEN311_MAX_REQUESTS=3)
def test_the_answer_is_capped_newest_first(client, world):
    now = timezone.now()
    made = [accepted(world, at=now - datetime.timedelta(minutes=n + 1)) for n in range(5)]
    found = ids(client.get(f"{BASE}/requests.json"))
    assert found == [r.pk for r in made[:3]]


def _bulk_public_reports(world, count: int) -> None:
    """`count` accepted public reports in one INSERT (too many to file one by one)."""
    category = Category.objects.get(code="repair")
    start = timezone.now() - datetime.timedelta(days=10)
    rows = []
    for n in range(count):
        at = start + datetime.timedelta(minutes=n)
        rows.append(
            Report(
                code=f"B{n:07d}",
                community=world.here,
                grid=world.grid,
                category=category,
                description=f"批量 {n}",
                location=Point(*INSIDE, srid=4326),
                status=Status.ACCEPTED,
                submitted_at=at,
                accepted_at=at,
                **due_times(category, at),
            )
        )
    Report.objects.bulk_create(rows)


def test_at_most_1000_requests_come_back_in_one_answer(
    client, world, django_assert_max_num_queries
):
    _bulk_public_reports(world, 1001)
    with django_assert_max_num_queries(2):
        response = client.get(f"{BASE}/requests.json")
    assert len(json_of(response)) == 1000
    assert len(xml_of(client.get(f"{BASE}/requests.xml")).findall("request")) == 1000


def test_the_list_is_one_query_however_many_requests(client, world, django_assert_num_queries):
    for n in range(3):
        accepted(world, at=timezone.now() - (n + 2) * H)
    with django_assert_num_queries(1):
        client.get(f"{BASE}/requests.json")
    _bulk_public_reports(world, 40)
    with django_assert_num_queries(1):
        client.get(f"{BASE}/requests.json")
