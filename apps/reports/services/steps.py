"""The workflow steps: accept, reject, dispatch, start, handle, verify, fail verification,
close, defer, and the resident's dispute and confirmation.

Each step is one call that checks who acts (apps.reports.workflow: role and community/grid
scope), asks the ONE transition table whether the step is allowed from the report's
status (`_apply`, the only place a status changes), records a ReportTransition (who, in
what role, when, note, photos) and notifies the people concerned. Illegal steps raise
TransitionNotAllowedError (409), people without the right PermissionDenied (403), bad input
ValidationError (400). Every call runs in one transaction: nothing is saved half-way.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import Membership, Organisation, User

from .. import notifications as notify
from ..errors import TransitionNotAllowedError
from ..models import Notification, Report
from ..states import Action, Status
from ..workflow import ASSIGNABLE_ROLES
from .transition import _apply, _labels, _local, _tell, _tell_reporter

# A closed report can be disputed by its resident for this many days.
DISPUTE_WINDOW_DAYS = 14
MAX_DEFER_HOURS = 30 * 24


@transaction.atomic
def report_accept(
    *, report: Report, actor: User, note: str = "", at: datetime.datetime | None = None
) -> Report:
    """受理: a community admin or the grid's worker accepts a submitted report."""
    now = at or timezone.now()
    report, _t = _apply(
        report=report,
        action=Action.ACCEPT,
        actor=actor,
        note=note,
        at=now,
        changes={"accepted_at": now},
    )
    with translation.override(settings.LANGUAGE_CODE):
        _tell_reporter(
            report, _("Your report %(code)s (%(category)s) was accepted.") % _labels(report)
        )
    return report


@transaction.atomic
def report_reject(
    *, report: Report, actor: User, reason: str, at: datetime.datetime | None = None
) -> Report:
    """不予受理: refuse a submitted report, with a reason the resident sees."""
    report, _t = _apply(report=report, action=Action.REJECT, actor=actor, note=reason, at=at)
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your report %(code)s (%(category)s) was not accepted: %(reason)s") % {
            **_labels(report),
            "reason": reason.strip(),
        }
        _tell_reporter(
            report, text, email_subject=_("Report %(code)s not accepted") % _labels(report)
        )
    return report


@transaction.atomic
def report_dispatch(
    *,
    report: Report,
    actor: User,
    to_user: User | None = None,
    to_organisation: Organisation | None = None,
    note: str = "",
    at: datetime.datetime | None = None,
) -> Report:
    """派遣: hand the work to a person (grid worker, property staff, police, party member)
    or an organisation (the property company, the police station...) of the community.
    Dispatching again hands it to someone else."""
    now = at or timezone.now()
    fields: dict[str, Any] = {"target_user": to_user, "target_organisation": to_organisation}

    def check(locked: Report) -> None:
        fields["target_role"] = _target_role(
            locked, to_user=to_user, to_organisation=to_organisation
        )

    report, _t = _apply(
        report=report,
        action=Action.DISPATCH,
        actor=actor,
        note=note,
        at=now,
        changes={
            "dispatched_to_user": to_user,
            "dispatched_to_organisation": to_organisation,
            "dispatched_at": now,
        },
        transition_fields=fields,
        check=check,
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Report %(code)s (%(category)s) was dispatched to you: handle it by %(due)s.") % {
            **_labels(report),
            "due": _local(report.handle_due),
        }
        _tell(
            notify.assignees(report),
            report,
            Notification.Kind.DISPATCHED,
            text,
            email_subject=_("New work: report %(code)s") % _labels(report),
        )
    return report


def _target_role(
    report: Report, *, to_user: User | None, to_organisation: Organisation | None
) -> str:
    """Refuse a target who does not work in the report's community; the person's role."""
    if to_user is None and to_organisation is None:
        raise ValidationError({"target": _("Choose whom to dispatch the report to.")})
    members = Membership.objects.filter(
        community_id=report.community_id, is_active=True, role__in=ASSIGNABLE_ROLES
    )
    if to_user is not None:
        mine = members.filter(user=to_user, user__is_active=True)
        if to_organisation is not None:
            mine = mine.filter(organisation=to_organisation)
        role = mine.order_by("pk").values_list("role", flat=True).first()
        if role is None:
            raise ValidationError(
                {
                    "target": _("%(person)s does not work in this report's community.")
                    % {"person": to_user}
                }
            )
        return str(role)
    if to_organisation is not None and not members.filter(organisation=to_organisation).exists():
        raise ValidationError(
            {
                "target": _(
                    "Nobody from %(organisation)s works in this report's community yet: "
                    "add a membership for one of their people first."
                )
                % {"organisation": to_organisation}
            }
        )
    return ""


@transaction.atomic
def report_start(
    *, report: Report, actor: User, note: str = "", at: datetime.datetime | None = None
) -> Report:
    """处置: whoever it was dispatched to starts the work."""
    report, _t = _apply(report=report, action=Action.START, actor=actor, note=note, at=at)
    return report


@transaction.atomic
def report_handle(
    *,
    report: Report,
    actor: User,
    feedback: str,
    photos: Sequence[Any] = (),
    at: datetime.datetime | None = None,
) -> Report:
    """反馈: the work is done; the feedback text and photos go to the resident."""
    now = at or timezone.now()
    report, _t = _apply(
        report=report,
        action=Action.HANDLE,
        actor=actor,
        note=feedback,
        photos=photos,
        at=now,
        changes={"handled_at": now},
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your report %(code)s (%(category)s) has been handled: %(feedback)s") % {
            **_labels(report),
            "feedback": feedback.strip(),
        }
        _tell_reporter(report, text, email_subject=_("Report %(code)s handled") % _labels(report))
    return report


def _check_not_own_work(report: Report, actor: User) -> None:
    handler = (
        report.transitions.filter(action=Action.HANDLE)
        .order_by("-at", "-pk")
        .values_list("actor_id", flat=True)
        .first()
    )
    if handler is not None and handler == actor.pk:
        raise PermissionDenied(
            _("You handled this report yourself: someone else must check the work.")
        )


@transaction.atomic
def report_verify(
    *,
    report: Report,
    actor: User,
    note: str = "",
    photos: Sequence[Any] = (),
    at: datetime.datetime | None = None,
) -> Report:
    """核查: someone other than the handler checks the work on site and finds it done."""
    _check_not_own_work(report, actor)
    report, _t = _apply(
        report=report, action=Action.VERIFY, actor=actor, note=note, photos=photos, at=at
    )
    return report


@transaction.atomic
def report_fail_verification(
    *,
    report: Report,
    actor: User,
    reason: str,
    photos: Sequence[Any] = (),
    at: datetime.datetime | None = None,
) -> Report:
    """核查不通过: the work is not done; it goes back to the assignee (rework)."""
    _check_not_own_work(report, actor)
    report, _t = _apply(
        report=report,
        action=Action.FAIL_VERIFICATION,
        actor=actor,
        note=reason,
        photos=photos,
        at=at,
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Report %(code)s was sent back after checking: %(reason)s") % {
            **_labels(report),
            "reason": reason.strip(),
        }
        _tell(
            notify.assignees(report),
            report,
            Notification.Kind.SENT_BACK,
            text,
            email_subject=_("Rework: report %(code)s") % _labels(report),
            exclude=actor,
        )
    return report


@transaction.atomic
def report_close(
    *, report: Report, actor: User, note: str = "", at: datetime.datetime | None = None
) -> Report:
    """结案: a community admin closes a verified report."""
    now = at or timezone.now()
    report, _t = _apply(
        report=report,
        action=Action.CLOSE,
        actor=actor,
        note=note,
        at=now,
        changes={"closed_at": now},
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your report %(code)s (%(category)s) is closed. Thank you!") % _labels(report)
        _tell_reporter(report, text, email_subject=_("Report %(code)s closed") % _labels(report))
    return report


@transaction.atomic
def report_defer(
    *, report: Report, actor: User, hours: int, reason: str, at: datetime.datetime | None = None
) -> Report:
    """延期: a community admin extends the handling deadline, with a reason. Deferred
    reports are counted apart in on-time rates."""
    changes: dict[str, Any] = {}

    def check(locked: Report) -> None:
        if not isinstance(hours, int) or not 1 <= hours <= MAX_DEFER_HOURS:
            raise ValidationError(
                {"hours": _("Extend by 1 to %(max)d hours.") % {"max": MAX_DEFER_HOURS}}
            )
        changes["handle_due"] = locked.handle_due + datetime.timedelta(hours=hours)
        changes["deferred_hours"] = locked.deferred_hours + hours

    report, _t = _apply(
        report=report,
        action=Action.DEFER,
        actor=actor,
        note=reason,
        at=at,
        changes=changes,
        transition_fields={"deferred_hours": hours},
        check=check,
    )
    return report


@transaction.atomic
def report_dispute(
    *, report: Report, reason: str, user: User | None = None, at: datetime.datetime | None = None
) -> Report:
    """The resident (holding the tracking code) says it is not fixed: the work goes back to
    whoever it was dispatched to (rework). A closed report can be disputed for
    DISPUTE_WINDOW_DAYS days."""
    now = at or timezone.now()
    closed_at = Report.objects.values_list("closed_at", flat=True).get(pk=report.pk)
    if closed_at is not None and now - closed_at > datetime.timedelta(days=DISPUTE_WINDOW_DAYS):
        raise TransitionNotAllowedError(
            action=Action.DISPUTE,
            status=Status.CLOSED,
            message=_("This report was closed more than %(days)d days ago: file a new report.")
            % {"days": DISPUTE_WINDOW_DAYS},
        )
    report, _t = _apply(
        report=report, action=Action.DISPUTE, actor=user, note=reason, at=now, by_reporter=True
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("The resident disputes the fix of report %(code)s: %(reason)s") % {
            **_labels(report),
            "reason": reason.strip(),
        }
        people = [
            *notify.assignees(report),
            report.duty_worker,
            *notify.community_admins(report.community_id),
        ]
        _tell(people, report, Notification.Kind.SENT_BACK, text)
    return report


@transaction.atomic
def report_confirm(
    *,
    report: Report,
    note: str = "",
    user: User | None = None,
    at: datetime.datetime | None = None,
) -> Report:
    """The resident confirms the fix; for a handled report this is its verification."""
    now = at or timezone.now()
    report, _t = _apply(
        report=report,
        action=Action.CONFIRM,
        actor=user,
        note=note,
        at=now,
        by_reporter=True,
        changes={"confirmed_at": now},
    )
    return report


# --- notifications ------------------------------------------------------------------------


@transaction.atomic
def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (all, or those ids); returns how many."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
