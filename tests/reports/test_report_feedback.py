"""Feedback without a status change (`report_feedback_add`): staff with a role in the
report's community give the resident a note and photos on the tracking page, the report
stays where it is, and the reporter is told. Anyone else is refused with nothing recorded.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from apps.reports.models import Notification, ReportPhoto, ReportTransition
from apps.reports.services import report_feedback_add
from apps.reports.states import Action, ActorRole, Status
from tests.reports.report_helpers import jpeg_bytes
from tests.reports.test_report_permissions import ROLES, person

pytestmark = pytest.mark.django_db

# The report lies in G1 and is dispatched to the property company (see conftest).
MAY_GIVE_FEEDBACK = {"worker", "property", "planner", "admin", "superuser"}
NOTE = "路灯线路已更换，今晚起恢复照明。"


def a_photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("after.jpg", jpeg_bytes(), content_type="image/jpeg")


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_with_a_role_in_the_report_may_give_feedback(area, make_report, role):
    report = make_report(Status.DISPATCHED, reporter=area.people.resident)
    actor = person(area, role)

    if role in MAY_GIVE_FEEDBACK:
        step = report_feedback_add(report=report, actor=actor, note=NOTE, photos=[a_photo()])
        assert (step.action, step.from_status, step.to_status) == (
            Action.FEEDBACK,
            Status.DISPATCHED,
            Status.DISPATCHED,
        )
    else:
        with (
            translation.override("en"),
            pytest.raises(PermissionDenied, match="outside your role or your area"),
        ):
            report_feedback_add(report=report, actor=actor, note=NOTE, photos=[a_photo()])
        assert not ReportTransition.objects.filter(report=report).exists()
        assert not ReportPhoto.objects.filter(report=report).exists()
        assert not Notification.objects.filter(report=report).exists()
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED


def test_a_planners_feedback_on_a_submitted_report_is_recorded_in_their_role(area, make_report):
    report = make_report(Status.SUBMITTED)

    step = report_feedback_add(
        report=report, actor=area.people.planner, note=NOTE, photos=[a_photo()]
    )

    report.refresh_from_db()
    assert report.status == Status.SUBMITTED and report.handled_at is None
    assert step.actor == area.people.planner and step.actor_role == ActorRole.PLANNER
    assert step.note == NOTE and step.note_is_public
    photo = ReportPhoto.objects.get(report=report)
    assert photo.transition == step and photo.stage == ReportPhoto.Stage.FEEDBACK


def test_the_tracking_page_shows_the_feedback_note_and_photo(area, make_report, client):
    report = make_report(Status.SUBMITTED)
    report_feedback_add(report=report, actor=area.people.planner, note=NOTE, photos=[a_photo()])
    photo = ReportPhoto.objects.get(report=report)

    response = client.get(reverse("reports:track", args=[report.code]), HTTP_ACCEPT_LANGUAGE="en")

    page = response.content.decode()
    assert response.status_code == 200
    assert NOTE in page and "Feedback" in page and "Planner" in page
    thumbnail = reverse("reports:photo", args=[report.code, photo.pk, "thumb"])
    assert f'src="{thumbnail}"' in page
    served = client.get(thumbnail)
    assert served.status_code == 200 and b"".join(served.streaming_content)[:2] == b"\xff\xd8"


def test_the_reporter_is_told_in_the_app_and_by_email(
    area, make_report, django_capture_on_commit_callbacks
):
    report = make_report(
        Status.SUBMITTED, reporter=area.people.resident, contact_email="resident@example.com"
    )

    with django_capture_on_commit_callbacks(execute=True):
        report_feedback_add(
            report=report, actor=area.people.admin, note=NOTE, source_label="路灯改造工程"
        )

    told = Notification.objects.get(report=report)
    assert told.recipient == area.people.resident and NOTE in told.text
    assert [m.to for m in mail.outbox] == [["resident@example.com"]]
    assert "路灯改造工程" in mail.outbox[0].subject and NOTE in mail.outbox[0].body


def test_feedback_without_a_note_is_refused_with_nothing_recorded(area, make_report):
    report = make_report(Status.DISPATCHED)

    with pytest.raises(ValidationError) as refused:
        report_feedback_add(report=report, actor=area.people.admin, note="  ", photos=[a_photo()])

    assert "note" in refused.value.message_dict
    assert not ReportTransition.objects.filter(report=report).exists()
    assert not ReportPhoto.objects.filter(report=report).exists()


def test_feedback_is_not_a_step_of_the_console(area, make_report, client):
    report = make_report(Status.DISPATCHED)
    client.force_login(area.people.admin)

    response = client.post(reverse("reports:act", args=[report.pk, "feedback"]), {"note": NOTE})

    assert response.status_code == 404
    assert not ReportTransition.objects.filter(report=report).exists()
