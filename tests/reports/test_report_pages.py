"""The pages around a report: tracking, confirm/dispute, "my reports", the call button, the
console (filters, pagination, queries, actions, 409, bulk dispatch) and notifications."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from apps.reports.models import Category, Notification
from apps.reports.states import Action, Status
from tests.reports.report_helpers import jpeg_bytes, perform

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def text(response) -> str:
    return response.content.decode()


# --- the public tracking page --------------------------------------------------------------


def test_the_tracking_page_shows_the_timeline_with_roles_feedback_and_no_names(
    client, area, make_report, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = make_report(Status.SUBMITTED)
    perform(Action.ACCEPT, report, area.people.worker, area, note="内部备注")
    perform(Action.DISPATCH, report, area.people.admin, area)
    photo = SimpleUploadedFile("done.jpg", jpeg_bytes())
    perform(Action.HANDLE, report, area.people.property, area, note="灯已更换", photos=[photo])

    html = text(client.get(f"/r/{report.code}/", **EN))

    assert "Accepted" in html and "Grid worker" in html
    assert "Dispatched" in html and "测试物业公司" in html  # the organisation is named
    assert "Handled, with feedback" in html and "灯已更换" in html
    assert "内部备注" not in html  # notes of internal steps stay internal
    feedback = report.photos.get()
    assert f"/r/{report.code}/photos/{feedback.pk}/thumb/" in html
    for person in vars(area.people).values():
        assert person.username not in html
        if person.display_name:
            assert person.display_name not in html
    # Times in China Standard Time.
    accepted = report.transitions.get(action=Action.ACCEPT).at
    assert timezone.localtime(accepted).strftime("%Y-%m-%d %H:%M") in html


def test_an_unknown_tracking_code_gets_a_page_explaining_the_format(client, db):
    response = client.get("/r/NOPE1234/", **EN)
    assert response.status_code == 404
    assert "no report with the tracking code “NOPE1234”" in text(response)


def test_the_resident_confirms_a_handled_fix_which_verifies_it(client, area, make_report):
    report = make_report(Status.HANDLED)
    assert "Yes, it is fixed" in text(client.get(f"/r/{report.code}/", **EN))

    response = client.post(f"/r/{report.code}/confirm/", {"note": "谢谢"}, **EN)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Status.VERIFIED and report.confirmed_at is not None
    assert "Yes, it is fixed" not in text(client.get(f"/r/{report.code}/", **EN))


def test_the_resident_disputes_the_fix_and_the_assignee_hears_of_it(client, area, make_report):
    report = make_report(Status.HANDLED)

    client.post(f"/r/{report.code}/dispute/", {"note": "还是不亮"}, **EN)

    report.refresh_from_db()
    assert report.status == Status.DISPATCHED and report.rework_count == 1
    told = Notification.objects.filter(report=report, kind=Notification.Kind.SENT_BACK)
    assert set(told.values_list("recipient", flat=True)) >= {
        area.people.property.pk,
        area.people.admin.pk,
    }
    assert "还是不亮" in text(client.get(f"/r/{report.code}/", **EN))


def test_a_dispute_without_a_reason_is_refused_and_changes_nothing(client, area, make_report):
    report = make_report(Status.HANDLED)
    response = client.post(f"/r/{report.code}/dispute/", {"note": " "}, **EN)
    assert response.status_code == 400 and "write what is still wrong" in text(response)
    report.refresh_from_db()
    assert report.status == Status.HANDLED


def test_confirming_twice_says_it_cannot_be_done_now(client, area, make_report):
    report = make_report(Status.SUBMITTED)
    response = client.post(f"/r/{report.code}/confirm/", **EN)
    assert response.status_code == 409
    assert "cannot be done from there" in text(response)


def test_my_reports_lists_the_signed_in_residents_own_reports(client, area, make_report):
    mine = make_report(Status.ACCEPTED, reporter=area.people.resident)
    theirs = make_report(Status.ACCEPTED)
    client.force_login(area.people.resident)

    html = text(client.get("/my/reports/", **EN))

    assert mine.code in html and theirs.code not in html


# --- one tap to the grid worker -------------------------------------------------------------


def test_the_call_button_gives_the_duty_workers_public_work_phone(client, area):
    lon, lat = area.west
    data = client.get("/report/grid-worker/", {"lon": lon, "lat": lat}, **EN).json()

    assert data["grid"]["code"] == "TG-W"
    assert data["worker"]["work_phone"] == "0731-8888 0001"
    assert data["worker"]["tel"] == "tel:073188880001"
    assert data["office"]["tel"] == "tel:073180000000"
    assert "13900000000" not in str(data)  # the worker's private phone never comes out


def test_the_call_button_outside_the_served_area_says_so(client, area):
    response = client.get("/report/grid-worker/", {"lon": 100, "lat": 20}, **EN)
    assert response.status_code == 404 and "outside" in response.json()["detail"]


# --- e-mail -----------------------------------------------------------------------------------


def test_dispatch_and_feedback_send_e_mail_after_the_step_is_saved(
    area, make_report, django_capture_on_commit_callbacks
):
    area.people.property.email = "staff@example.org"
    area.people.property.save()
    report = make_report(Status.ACCEPTED, contact_email="resident@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        perform(Action.DISPATCH, report, area.people.admin, area)
        perform(Action.HANDLE, report, area.people.property, area, note="修好了")

    assert [m.to for m in mail.outbox] == [["staff@example.org"], ["resident@example.org"]]
    assert report.code in mail.outbox[0].subject
    assert "修好了" in mail.outbox[1].body and f"/r/{report.code}/" in mail.outbox[1].body


# --- the console --------------------------------------------------------------------------------


def test_the_console_lists_and_filters_the_reports_of_ones_scope(client, area, make_report):
    noise = Category.objects.get(code="noise")
    old = timezone.now() - datetime.timedelta(days=10)
    late = make_report(Status.SUBMITTED, at=old)
    fresh = make_report(Status.ACCEPTED, category=noise)
    east = make_report(Status.SUBMITTED, grid=area.g2)
    client.force_login(area.people.admin)

    def codes(**params):
        html = text(client.get("/reports/", params, **EN))
        return {r.code for r in (late, fresh, east) if r.code in html}

    assert codes() == {late.code, fresh.code, east.code}
    assert codes(status="accepted") == {fresh.code}
    assert codes(category=noise.pk) == {fresh.code}
    assert codes(grid=area.g2.pk) == {east.code}
    assert codes(overdue="on") == {late.code}
    assert codes(submitted_from=timezone.localdate().isoformat()) == {fresh.code, east.code}
    assert codes(q=late.code[:5].lower()) == {late.code}


def test_a_grid_worker_sees_only_their_grids_and_what_is_dispatched_to_them(
    client, area, make_report
):
    west = make_report(Status.SUBMITTED)
    east = make_report(Status.SUBMITTED, grid=area.g2)
    sent = make_report(Status.DISPATCHED, grid=area.g2, dispatched_to_organisation=None,
                       dispatched_to_user=area.people.worker)  # fmt: skip
    client.force_login(area.people.worker)
    html = text(client.get("/reports/", **EN))
    assert west.code in html and sent.code in html and east.code not in html


def test_contradictory_dates_are_explained(client, area):
    client.force_login(area.people.admin)
    html = text(
        client.get(
            "/reports/", {"submitted_from": "2025-02-01", "submitted_to": "2025-01-01"}, **EN
        )
    )
    assert "The start date is after the end date" in html


def test_the_console_pages_25_reports_at_a_time_in_a_fixed_number_of_queries(
    client, area, make_report, django_assert_max_num_queries
):
    for _n in range(30):
        make_report(Status.DISPATCHED)
    client.force_login(area.people.admin)

    # Fixed, whatever the page size: the rows' "next step" buttons read the person's
    # memberships (and their grids) once per community, not once per row.
    with django_assert_max_num_queries(16):
        first = client.get("/reports/", **EN)
    second = client.get("/reports/", {"page": 2}, **EN)

    assert text(first).count('data-report-id="') == 25
    assert text(second).count('data-report-id="') == 5
    assert "Page 1 of 2" in text(first)


def test_the_console_map_shows_the_filtered_reports_without_private_fields(
    client, area, make_report
):
    shown = make_report(Status.SUBMITTED, contact_phone="13911112222")
    make_report(Status.CLOSED)
    client.force_login(area.people.admin)

    data = client.get("/reports/map.geojson", {"status": "submitted"}, **EN).json()

    assert [f["id"] for f in data["features"]] == [shown.pk]
    properties = data["features"][0]["properties"]
    assert properties["status"] == "submitted" and properties["grid_code"] == "TG-W"
    assert "13911112222" not in str(data) and shown.code not in str(data)


def test_a_step_the_status_no_longer_allows_gets_a_409_page(client, area, make_report):
    report = make_report(Status.ACCEPTED)
    client.force_login(area.people.admin)

    response = client.post(reverse("reports:act", args=[report.pk, Action.ACCEPT]), **EN)

    assert response.status_code == 409
    # The status is named as a status, the refused step by its verb.
    assert "This report is “Accepted”: “Accept” cannot be done from there" in text(response)


def test_a_step_missing_its_reason_comes_back_with_the_message_beside_it(client, area, make_report):
    report = make_report(Status.SUBMITTED)
    client.force_login(area.people.admin)

    response = client.post(
        reverse("reports:act", args=[report.pk, Action.REJECT]), {"note": ""}, **EN
    )

    assert response.status_code == 400
    assert "Write a note for this step: it is required." in text(response)


def test_the_detail_page_offers_only_the_steps_the_status_and_role_allow(client, area, make_report):
    report = make_report(Status.IN_PROGRESS)
    client.force_login(area.people.property)
    html = text(client.get(reverse("reports:detail", args=[report.pk]), **EN))
    assert 'id="action-handle"' in html
    for other in ("accept", "dispatch", "verify", "close", "defer", "start"):
        assert f'id="action-{other}"' not in html


def test_dispatch_from_the_detail_page_suggests_the_compounds_property_company_in_words(
    client, area, make_report
):
    report = make_report(Status.ACCEPTED)  # in the compound of 测试物业公司
    client.force_login(area.people.admin)
    html = text(client.get(reverse("reports:detail", args=[report.pk]), **EN))
    # Suggested, and said so; but not preselected: the choice is the admin's.
    assert f'<option value="org:{area.company.pk}" >{area.company} (suggested)</option>' in html
    assert f"Suggested for this category and place: {area.company}" in html
    assert '<option value="" selected>Choose a handler…</option>' in html


def test_bulk_dispatch_sends_the_ticked_reports_and_names_those_it_could_not(
    client, area, make_report
):
    ready = [make_report(Status.ACCEPTED) for _n in range(2)]
    waiting = make_report(Status.SUBMITTED)
    client.force_login(area.people.admin)

    response = client.post(
        "/reports/bulk-dispatch/",
        {"reports": [r.pk for r in [*ready, waiting]], "target": f"user:{area.people.worker.pk}"},
        follow=True,
        **EN,
    )

    html = text(response)
    assert "Dispatched 2 reports." in html
    assert f"Not dispatched: {waiting.code}: This report is “Submitted”" in html
    for report in ready:
        report.refresh_from_db()
        assert report.status == Status.DISPATCHED
        assert report.dispatched_to_user == area.people.worker


def test_staff_read_their_notifications_and_mark_them_read(client, area, make_report):
    report = make_report(Status.ACCEPTED)
    from apps.reports.services import report_dispatch

    report_dispatch(report=report, actor=area.people.admin, to_user=area.people.worker)
    client.force_login(area.people.worker)

    assert "1 unread notification" in text(client.get("/reports/", **EN))
    page = text(client.get("/reports/notifications/", **EN))
    # A notification is written once, in the site's language (Chinese), whatever the
    # reader's: "Report <code> (<category>) was dispatched to you: handle it by <due>."
    assert f"工单 {report.code}（" in page and "）已派遣给您：请在" in page
    client.post("/reports/notifications/", {}, **EN)
    assert not Notification.objects.filter(recipient=area.people.worker, read_at=None).exists()


def test_contact_details_reach_the_staff_handling_it_and_never_the_tracking_page(
    client, area, make_report
):
    report = make_report(
        Status.DISPATCHED,
        contact_phone="13955556666",
        contact_email="me@example.org",
        reporter=area.people.resident,
        is_anonymous=True,
    )

    public = text(client.get(f"/r/{report.code}/", **EN))
    client.force_login(area.people.property)
    staff = text(client.get(reverse("reports:detail", args=[report.pk]), **EN))

    assert "13955556666" not in public and "me@example.org" not in public
    assert "13955556666" in staff and "me@example.org" in staff
    # The resident asked not to be named: staff see "anonymous", not their name.
    assert area.people.resident.username not in staff and "anonymous" in staff
