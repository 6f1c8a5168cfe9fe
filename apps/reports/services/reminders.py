"""SLA reminders: what is about to be, or is, overdue — each reminded once per stage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User

from .. import notifications as notify
from ..models import Notification, Report, ReportReminder
from ..states import Stage, Status


@dataclass(frozen=True)
class Reminder:
    """One report waiting in a stage whose due time is near or past."""

    report: Report
    stage: str
    kind: str  # ReportReminder.Kind
    due: datetime.datetime
    notified: int  # people told now (0 when already reminded, or a dry run)
    already: bool


def _due_within(horizon: datetime.datetime) -> Q:
    return (
        Q(status=Status.SUBMITTED, accept_due__lte=horizon)
        | Q(status=Status.ACCEPTED, dispatch_due__lte=horizon)
        | Q(status__in=[Status.DISPATCHED, Status.IN_PROGRESS], handle_due__lte=horizon)
    )


def reminders_send(
    *,
    within_hours: float = 2,
    now: datetime.datetime | None = None,
    dry_run: bool = False,
    community_ids: list[int] | None = None,
) -> list[Reminder]:
    """Find reports whose current stage is due within `within_hours` or overdue, and remind
    the people who must act: the duty grid worker and community admins for acceptance and
    dispatch, whoever it is dispatched to for handling (and the admins once it is overdue).

    Idempotent: each (report, stage, due soon/overdue, rework round) is reminded once; a
    second run lists it as already reminded. With `dry_run`, nothing is recorded or sent.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=within_hours)
    reports = Report.objects.filter(_due_within(horizon)).select_related(
        "category", "grid", "duty_worker", "dispatched_to_user", "dispatched_to_organisation"
    )
    if community_ids is not None:
        reports = reports.filter(community_id__in=community_ids)
    results = []
    for report in reports.order_by("community_id", "pk"):
        stage = report.current_stage()
        if stage is None:
            continue
        due = report.due_for(stage)
        kind = ReportReminder.Kind.OVERDUE if due < now else ReportReminder.Kind.DUE_SOON
        if dry_run:
            already = ReportReminder.objects.filter(
                report=report, stage=stage, kind=kind, cycle=report.rework_count
            ).exists()
            results.append(Reminder(report, stage, kind, due, 0, already))
            continue
        notified = _remind(report, stage, kind, due, now)
        results.append(Reminder(report, stage, kind, due, notified or 0, notified is None))
    return results


@transaction.atomic
def _remind(
    report: Report, stage: str, kind: str, due: datetime.datetime, now: datetime.datetime
) -> int | None:
    """Record the reminder and notify; None when it had been sent before."""
    try:
        with transaction.atomic():
            ReportReminder.objects.create(
                report=report,
                community_id=report.community_id,
                stage=stage,
                kind=kind,
                cycle=report.rework_count,
                sent_at=now,
            )
    except IntegrityError:  # the unique constraint: reminded already (maybe just now)
        return None
    people: list[User | None]
    if stage == Stage.HANDLE:
        people = list(notify.assignees(report))
        if kind == ReportReminder.Kind.OVERDUE or not people:
            people += notify.community_admins(report.community_id)
    else:
        people = [report.duty_worker, *notify.community_admins(report.community_id)]
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "code": report.code,
            "category": report.category.name,
            "stage": Stage(stage).label,
            "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
        }
        if kind == ReportReminder.Kind.OVERDUE:
            text = _("Report %(code)s (%(category)s) is overdue for %(stage)s: it was due %(due)s.")
            subject = _("Overdue: report %(code)s") % values
        else:
            text = _("Report %(code)s (%(category)s) is due for %(stage)s by %(due)s.")
            subject = _("Due soon: report %(code)s") % values
        kind_code = (
            Notification.Kind.OVERDUE
            if kind == ReportReminder.Kind.OVERDUE
            else Notification.Kind.DUE_SOON
        )
        sent = notify.notify(
            people, report=report, kind=kind_code, text=text % values, email_subject=subject
        )
    return len(sent)
