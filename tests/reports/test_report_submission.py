"""Submitting a report: area check, assignment in the database, SLA due times, validation,
idempotent resubmission, rate limiting — through the service and through /report/."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from apps.reports.errors import RateLimitedError
from apps.reports.models import Notification, Report, ReportTransition
from apps.reports.services import report_submit
from apps.reports.states import Action, Status
from tests.reports.conftest import X0, Y0

pytestmark = pytest.mark.django_db

URL = "/report/"
JSON = {"HTTP_ACCEPT": "application/json", "HTTP_ACCEPT_LANGUAGE": "en"}


def submit(area, **overrides):
    lon, lat = overrides.pop("lonlat", area.west)
    values = {
        "category": "repair",
        "description": "楼道灯坏了",
        "lon": lon,
        "lat": lat,
        "client_ip": "10.0.0.1",
    }
    return report_submit(**{**values, **overrides})


def form(area, **overrides):
    lon, lat = overrides.pop("lonlat", area.west)
    from apps.reports.models import Category

    data = {
        "category": str(Category.objects.get(code="repair").pk),
        "description": "楼道灯坏了",
        "lon": str(lon),
        "lat": str(lat),
        "idempotency_key": "k" * 24,
    }
    data.update(overrides)
    return data


# --- where it goes ---------------------------------------------------------------------------


def test_a_report_is_assigned_its_grid_duty_worker_and_nearest_building(area):
    report = submit(area).report

    assert report.community == area.community
    assert report.grid == area.g1
    assert report.duty_worker == area.people.worker
    assert report.building == area.b1
    # The point is 0.0002° east and north of T-1's north-east corner (X0+0.0022, Y0+0.0022):
    # at latitude 27.6° about 19.7 m east and 22.2 m north; pyproj's Geod("WGS84").inv between
    # the two gives 29.68 m.
    assert report.building_distance_m == pytest.approx(29.7, abs=0.1)


def test_a_report_in_the_east_grid_goes_to_the_east_grid_worker_and_building(area):
    report = submit(area, lonlat=area.east).report
    assert (report.grid, report.duty_worker, report.building) == (
        area.g2,
        area.people.worker_east,
        area.b2,
    )


def test_a_point_on_the_edge_between_two_grids_gets_the_first_of_them(area):
    report = submit(area, lonlat=(X0 + 0.005, Y0 + 0.003)).report
    assert report.grid.code == "TG-E"  # lower code of "TG-E" / "TG-W": ST_Covers, then code


def test_no_building_is_named_when_none_is_within_150_m(area):
    # The middle of the south edge is ≈ 270 m from T-1 and ≈ 550 m from T-2.
    report = submit(area, lonlat=(X0 + 0.005 - 0.0001, Y0 + 0.0001)).report
    assert report.building is None and report.building_distance_m is None


def test_the_duty_worker_is_the_longest_standing_grid_worker_of_the_grid(area):
    from apps.accounts.models import Membership
    from apps.accounts.roles import Role
    from tests.factories import make_user

    newcomer = make_user()
    Membership.objects.create(user=newcomer, community=area.community, role=Role.GRID_WORKER)
    newcomer.memberships.get().grids.add(area.g1)

    assert submit(area).report.duty_worker == area.people.worker


def test_a_report_outside_every_served_community_is_refused_saying_so(area, client):
    # The service speaks the active language, which is whatever the thread last activated
    # (Chinese by default): ask for English to read the English words.
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        submit(area, lonlat=(X0 - 0.01, Y0 - 0.01))
    assert (
        "outside the communities this service covers" in refused.value.message_dict["location"][0]
    )

    response = client.post(URL, form(area, lon=str(X0 - 0.01), lat=str(Y0 - 0.01)), **JSON)
    assert response.status_code == 400
    assert "outside the communities" in response.json()["errors"]["location"][0]
    assert not Report.objects.filter(community=area.community).exists()


# --- what it records -------------------------------------------------------------------------


def test_due_times_come_from_the_category_sla_counted_from_submission(area):
    at = timezone.make_aware(datetime.datetime(2025, 6, 1, 9, 0))
    report = submit(area, category="elevator", at=at).report  # 1 h, 2 h, 24 h

    assert report.submitted_at == at
    assert report.accept_due == at + datetime.timedelta(hours=1)
    assert report.dispatch_due == at + datetime.timedelta(hours=2)
    assert report.handle_due == at + datetime.timedelta(hours=24)


def test_submission_is_the_first_step_of_the_timeline_and_tells_the_duty_worker(area):
    report = submit(area).report

    step = ReportTransition.objects.get(report=report)
    assert (step.action, step.to_status, step.actor_role) == (
        Action.SUBMIT,
        Status.SUBMITTED,
        "resident",
    )
    note = Notification.objects.get(report=report)
    assert note.recipient == area.people.worker and report.code in note.text


def test_tracking_codes_are_eight_unambiguous_characters(area):
    codes = {submit(area, client_ip=f"10.0.0.{i}").report.code for i in range(5)}
    assert len(codes) == 5
    for code in codes:
        assert len(code) == 8 and not set(code) & set("01OILUV")


def test_a_signed_in_resident_gets_the_report_linked_and_may_hide_their_name(area):
    resident = area.people.resident
    shown = submit(area, reporter=resident).report
    hidden = submit(area, reporter=resident, hide_identity=True).report
    anonymous = submit(area).report

    assert (shown.reporter, shown.is_anonymous) == (resident, False)
    assert (hidden.reporter, hidden.is_anonymous) == (resident, True)
    assert (anonymous.reporter, anonymous.is_anonymous) == (None, True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("description", "   ", "Describe the problem"),
        ("description", "长" * 4001, "4001 characters long; keep it within 4000"),
        ("category", "no-such-thing", "Choose what the problem is about"),
        ("contact_phone", "call me", "is not a phone number"),
        ("contact_email", "not-an-address", "is not an e-mail address"),
        ("lon", "east", "Put the pin on the map"),
        ("lat", "95", "Put the pin on the map"),
    ],
)
def test_bad_input_is_refused_with_a_message_beside_the_field(area, client, field, value, message):
    response = client.post(URL, form(area, **{field: value}), **JSON)

    assert response.status_code == 400
    errors = response.json()["errors"]
    key = "location" if field in ("lon", "lat") else field
    assert message in " ".join(errors[key])
    assert not Report.objects.filter(community=area.community).exists()


def test_without_javascript_the_form_comes_back_with_its_errors_and_values(area, client):
    response = client.post(URL, form(area, description=""), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    html = response.content.decode()
    assert "Describe the problem in a few words." in html
    assert f'value="{X0 + 0.0024}"' in html  # the pin is kept


def test_without_javascript_a_report_lands_on_its_tracking_page(area, client):
    response = client.post(URL, form(area), HTTP_ACCEPT_LANGUAGE="en")

    report = Report.objects.get(community=area.community)
    assert response.status_code == 302
    assert response["Location"] == f"/r/{report.code}/?new=1"


# --- resubmission and rate limits --------------------------------------------------------------


def test_the_same_submission_sent_twice_is_one_report(area, client):
    first = client.post(URL, form(area), **JSON)
    again = client.post(URL, form(area), **JSON)

    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["code"] == again.json()["code"]
    assert again.json()["created"] is False
    assert Report.objects.filter(community=area.community).count() == 1
    assert ReportTransition.objects.filter(report__community=area.community).count() == 1


def test_a_new_form_key_is_a_new_report(area, client):
    client.post(URL, form(area), **JSON)
    client.post(URL, form(area, idempotency_key="m" * 24), **JSON)
    assert Report.objects.filter(community=area.community).count() == 2


def test_a_malformed_submission_key_is_refused(area, client):
    response = client.post(URL, form(area, idempotency_key="short"), **JSON)
    assert response.status_code == 400
    assert "reload the page" in response.json()["detail"]


@pytest.fixture
def tight_limits(settings):
    settings.GRIDMAP_REPORT_RATE_LIMITS = {"client": (2, 3600), "phone": (2, 86400)}


def test_anonymous_reports_over_the_client_limit_get_429_with_retry_after(
    area, client, tight_limits
):
    for n in range(2):
        assert client.post(URL, form(area, idempotency_key=f"{n}" * 20), **JSON).status_code == 201

    response = client.post(URL, form(area, idempotency_key="x" * 20), **JSON)

    assert response.status_code == 429
    # The first attempt leaves the one-hour window in just under 3600 s.
    assert 3500 < int(response["Retry-After"]) <= 3600
    detail = response.json()["detail"]
    assert "Too many reports from this connection" in detail and "You can report again at" in detail
    assert Report.objects.filter(community=area.community).count() == 2


def test_the_phone_limit_holds_across_client_addresses(area, tight_limits):
    for n in range(2):
        submit(area, client_ip=f"10.1.0.{n}", contact_phone="+86 139 0000 1111")

    with translation.override("en"), pytest.raises(RateLimitedError) as limited:
        # The same number written another way is the same number.
        submit(area, client_ip="10.1.0.9", contact_phone="13900001111")
    assert "with this phone number" in limited.value.message


def test_signed_in_residents_are_not_rate_limited(area, tight_limits):
    for _n in range(3):
        submit(area, reporter=area.people.resident)


def test_a_resubmission_does_not_count_against_the_limit(area, client, tight_limits):
    for _n in range(3):
        response = client.post(URL, form(area), **JSON)
    assert response.status_code == 200
    assert client.post(URL, form(area, idempotency_key="y" * 20), **JSON).status_code == 201
