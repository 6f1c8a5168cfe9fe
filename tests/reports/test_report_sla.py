"""SLA: overdue flags per stage, deferral, rework deadlines, and the reminders command."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.reports.models import Notification, Report, ReportReminder
from apps.reports.services import reminders_send, report_defer
from apps.reports.sla import with_overdue
from apps.reports.states import Action, Status
from tests.reports.report_helpers import perform

pytestmark = pytest.mark.django_db
H = datetime.timedelta(hours=1)


def flags(report, now):
    row = with_overdue(Report.objects.filter(pk=report.pk), now).get()
    return {
        "accept": row.accept_overdue,
        "dispatch": row.dispatch_overdue,
        "handle": row.handle_overdue,
        "any": row.is_overdue,
    }


@pytest.mark.parametrize(
    ("status", "hours_after", "expected"),
    [
        # repair: accept within 2 h, dispatch within 4 h, handle within 72 h
        (Status.SUBMITTED, 1, {"accept": False, "dispatch": False, "handle": False}),
        (Status.SUBMITTED, 3, {"accept": True, "dispatch": False, "handle": False}),
        (Status.SUBMITTED, 5, {"accept": True, "dispatch": True, "handle": False}),
        (Status.ACCEPTED, 3, {"accept": False, "dispatch": False, "handle": False}),
        (Status.ACCEPTED, 5, {"accept": False, "dispatch": True, "handle": False}),
        (Status.DISPATCHED, 71, {"accept": False, "dispatch": False, "handle": False}),
        (Status.IN_PROGRESS, 73, {"accept": False, "dispatch": False, "handle": True}),
        (Status.HANDLED, 100, {"accept": False, "dispatch": False, "handle": False}),
        (Status.CLOSED, 1000, {"accept": False, "dispatch": False, "handle": False}),
    ],
)
def test_a_stage_is_overdue_only_while_it_waits_past_its_due_time(
    make_report, status, hours_after, expected
):
    at = timezone.now() - 200 * H
    report = make_report(status, at=at)

    got = flags(report, at + hours_after * H)

    assert got == {**expected, "any": any(expected.values())}


def test_a_deferred_report_gets_more_time_and_is_marked_deferred(area, make_report):
    at = timezone.now() - 200 * H
    report = make_report(Status.IN_PROGRESS, at=at)

    report = report_defer(report=report, actor=area.people.admin, hours=48, reason="等配件")

    assert report.handle_due == at + (72 + 48) * H
    assert report.is_deferred and report.deferred_hours == 48
    assert flags(report, at + 100 * H)["handle"] is False
    step = report.transitions.get(action=Action.DEFER)
    assert step.deferred_hours == 48 and step.note == "等配件"


def test_rework_gets_the_categorys_handling_time_again(area, make_report):
    at = timezone.now() - 200 * H
    report = make_report(Status.HANDLED, at=at)
    report = perform(Action.FAIL_VERIFICATION, report, area.people.admin, area)
    # repair: 72 h to handle, of which 4 h to dispatch: 68 h more from the rework.
    assert report.handle_due == pytest.approx(
        timezone.now() + 68 * H, abs=datetime.timedelta(minutes=1)
    )


def run(*args):
    out = StringIO()
    call_command("report_reminders", *args, stdout=out)
    return out.getvalue()


def test_reminders_list_and_notify_due_and_overdue_reports_once(area, make_report):
    now = timezone.now()
    late = make_report(Status.SUBMITTED, at=now - 3 * H)  # accept was due 1 h ago
    soon = make_report(Status.DISPATCHED, at=now - 71 * H)  # handle due in 1 h
    make_report(Status.ACCEPTED, at=now - 1 * H)  # dispatch due in 3 h: not yet

    first = run("--within", "2", "--community", area.community.code)
    again = run("--within", "2", "--community", area.community.code)

    assert f"{late.code}  repair" in first and "accept    overdue by 1 h 00 min" in first
    assert f"{soon.code}  repair" in first and "handle    due in 1 h 00 min" in first
    assert "2 report(s) due or overdue; 2 reminder(s) sent." in first
    assert "already reminded" in again and "0 reminder(s) sent." in again
    assert ReportReminder.objects.filter(report__in=[late, soon]).count() == 2
    # Acceptance: the duty grid worker and the community admin; handling: the company's staff.
    assert set(Notification.objects.filter(report=late).values_list("recipient", flat=True)) == {
        area.people.worker.pk,
        area.people.admin.pk,
    }
    assert set(Notification.objects.filter(report=soon).values_list("recipient", flat=True)) == {
        area.people.property.pk
    }


def test_an_overdue_reminder_follows_a_due_soon_one_and_rework_starts_again(area, make_report):
    now = timezone.now()
    report = make_report(Status.IN_PROGRESS, at=now - 71 * H)
    reminders_send(within_hours=2, now=now, community_ids=[area.community.pk])
    later = reminders_send(within_hours=2, now=now + 2 * H, community_ids=[area.community.pk])
    kinds = set(ReportReminder.objects.filter(report=report).values_list("kind", flat=True))
    assert kinds == {"due_soon", "overdue"}
    assert [r.kind for r in later] == ["overdue"] and later[0].notified == 2  # staff + admin

    Report.objects.filter(pk=report.pk).update(rework_count=1)
    again = reminders_send(within_hours=2, now=now + 2 * H, community_ids=[area.community.pk])
    assert again[0].already is False  # a new round of work, a new reminder


def test_a_dry_run_records_and_sends_nothing(area, make_report):
    make_report(Status.SUBMITTED, at=timezone.now() - 3 * H)
    out = run("--dry-run", "--community", area.community.code)
    assert "dry run" in out
    assert not ReportReminder.objects.filter(report__community=area.community).exists()
    assert not Notification.objects.filter(report__community=area.community).exists()
