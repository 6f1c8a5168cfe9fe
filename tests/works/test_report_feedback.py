"""Feedback reaching the reports that motivated a work: on completion each linked report gets
the completion note and photos on its tracking page, handled through the reports workflow
where the person completing may handle it, else as feedback that leaves its status alone; a
genuine failure is kept on the link and can be retried."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from apps.accounts.models import Organisation, User
from apps.accounts.roles import Role
from apps.core.photos import photo_process
from apps.regions.models import Community
from apps.reports.models import Notification, ReportPhoto
from apps.reports.services import report_accept, report_dispatch, report_submit
from apps.reports.states import Action, ActorRole, Status
from apps.works.feedback import completion_feedback_send
from apps.works.models import WorkReport
from apps.works.services import work_feedback_resend, work_report_link, work_transition
from apps.works.workflow import WorkStatus
from tests.factories import make_member

from .conftest import make_work

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def admin():
    return User.objects.get(username="communityadmin")


@pytest.fixture
def dongrui():
    return Community.objects.get(code="DR")


def a_report(admin, *, dispatched=True):
    """A resident's report beside the D1 fence, accepted and dispatched to the property."""
    report = report_submit(
        category="repair",
        description="D1围墙破损，有安全隐患。",
        lon=113.02675,
        lat=28.19100,
        reporter=User.objects.get(username="resident"),
    ).report
    if dispatched:
        report_accept(report=report, actor=admin)
        report_dispatch(
            report=report, actor=admin, to_organisation=Organisation.objects.get(name="中交物业")
        )
        report.refresh_from_db()
    return report


def a_photo():
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (40, 120, 40)).save(buffer, "JPEG")
    return photo_process(SimpleUploadedFile("after.jpg", buffer.getvalue()))


def test_completing_a_work_hands_its_linked_report_with_the_note_and_photos(admin, dongrui):
    report = a_report(admin)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION, name="D1围墙重建（测试）")
    link = work_report_link(work=work, code=report.code, by=admin)
    work_transition(
        work=work, action="complete", by=admin, note="新围墙已建成。", photos=[("after", a_photo())]
    )
    report.refresh_from_db()
    link.refresh_from_db()
    assert report.status == Status.HANDLED
    step = report.transitions.get(action=Action.HANDLE)
    assert "新围墙已建成。" in step.note and "D1围墙重建（测试）" in step.note
    assert step.note_is_public
    assert ReportPhoto.objects.filter(report=report, stage="feedback", transition=step).count() == 1
    assert link.feedback_at is not None and link.feedback_transition == step
    assert link.feedback_problem == ""


def test_the_resident_sees_the_feedback_on_the_tracking_page(admin, dongrui):
    report = a_report(admin)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION, name="围墙工程")
    work_report_link(work=work, code=report.code, by=admin)
    work_transition(
        work=work,
        action="complete",
        by=admin,
        note="围墙已完工，欢迎查看。",
        photos=[("after", a_photo())],
    )
    page = Client().get(reverse("reports:track", args=[report.code])).content.decode()
    assert "围墙已完工，欢迎查看。" in page


def test_a_planner_completing_a_work_gives_a_report_only_submitted_its_feedback(admin, dongrui):
    planner = User.objects.get(username="planner")
    report = a_report(admin, dispatched=False)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION, name="D1围墙重建（测试）")
    link = work_report_link(work=work, code=report.code, by=planner)
    work_transition(
        work=work,
        action="complete",
        by=planner,
        note="新围墙已建成。",
        photos=[("after", a_photo())],
    )
    report.refresh_from_db()
    link.refresh_from_db()
    assert report.status == Status.SUBMITTED  # the report's own handling is left alone
    step = report.transitions.get(action=Action.FEEDBACK)
    assert step.actor_role == ActorRole.PLANNER and step.from_status == step.to_status
    assert link.feedback_at is not None and link.feedback_transition == step
    assert link.feedback_problem == ""
    photo = ReportPhoto.objects.get(report=report, transition=step)
    page = Client().get(f"/r/{report.code}/").content.decode()
    assert "新围墙已建成。" in page and "D1围墙重建（测试）" in page
    assert reverse("reports:photo", args=[report.code, photo.pk, "thumb"]) in page


def test_the_reporter_is_told_of_the_completed_work(admin, dongrui):
    planner = User.objects.get(username="planner")
    report = a_report(admin, dispatched=False)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION)
    work_report_link(work=work, code=report.code, by=planner)
    work_transition(work=work, action="complete", by=planner, note="路面已修复。")
    told = Notification.objects.filter(report=report, recipient=report.reporter).latest("pk")
    assert "路面已修复。" in told.text


def test_a_planner_who_cannot_handle_a_dispatched_report_gives_it_feedback(admin, dongrui):
    planner = User.objects.get(username="planner")
    report = a_report(admin)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION)
    link = work_report_link(work=work, code=report.code, by=planner)
    work_transition(work=work, action="complete", by=planner, note="完工")
    link.refresh_from_db()
    report.refresh_from_db()
    assert report.status == Status.DISPATCHED  # still the property company's to handle
    assert link.feedback_transition.action == Action.FEEDBACK and not link.feedback_problem


def test_someone_without_standing_in_the_report_is_refused_and_can_retry(admin, dongrui):
    report = a_report(admin)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION)
    change = work_transition(work=work, action="complete", by=admin, note="完工")
    # A link made straight in the database, so that its feedback is still to be sent.
    link = WorkReport.objects.create(work=work, report=report, linked_by=admin)
    before = report.transitions.count()
    stranger = make_member(Community.objects.get(code="SD"), role=Role.PLANNER).user

    sent = completion_feedback_send(work=work, change=change, photos=[], by=stranger)

    link.refresh_from_db()
    assert sent == 0 and link.feedback_at is None and link.feedback_problem
    assert report.transitions.count() == before  # nothing recorded on the report
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("works:detail", args=[work.pk])).content.decode()
    assert link.feedback_problem in page
    assert reverse("works:resend-feedback", args=[work.pk]) in page
    assert work_feedback_resend(work=work, by=admin) == 1
    report.refresh_from_db()
    assert report.status == Status.HANDLED


def test_send_again_is_offered_only_while_a_report_lacks_its_feedback(admin, dongrui):
    report = a_report(admin)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION)
    work_report_link(work=work, code=report.code, by=admin)
    work_transition(work=work, action="complete", by=admin, note="完工")
    client = Client()
    client.force_login(admin)
    page = client.get(reverse("works:detail", args=[work.pk])).content.decode()
    assert report.code in page
    assert reverse("works:resend-feedback", args=[work.pk]) not in page


def test_linking_to_a_completed_work_sends_the_feedback_at_once(admin, dongrui):
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION)
    work_transition(work=work, action="complete", by=admin, note="已完工")
    report = a_report(admin)
    link = work_report_link(work=work, code=report.code, by=admin)
    assert link.feedback_at is not None
    report.refresh_from_db()
    assert report.status == Status.HANDLED


def test_only_reports_of_the_works_community_can_be_linked(admin, dongrui):
    report = a_report(admin)
    elsewhere = make_work(Community.objects.get(code="SD"), status=WorkStatus.APPROVED)
    superuser = User.objects.get(username="admin")
    with pytest.raises(ValidationError, match=report.code):
        work_report_link(work=elsewhere, code=report.code, by=superuser)


def test_the_works_page_lists_linked_reports_and_refuses_an_unknown_code(admin, dongrui):
    report = a_report(admin)
    work = make_work(dongrui, status=WorkStatus.UNDER_CONSTRUCTION)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    url = reverse("works:link-report", args=[work.pk])
    assert client.post(url, {"code": report.code.lower()}).status_code == 302
    page = client.get(reverse("works:detail", args=[work.pk])).content.decode()
    assert report.code in page
    refused = client.post(url, {"code": "NOPE1234"})
    assert (
        refused.status_code == 400 and "There is no report “NOPE1234”" in refused.content.decode()
    )
