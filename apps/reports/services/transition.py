"""The one place a report's status changes: `_apply` checks the actor and the transition
table, then records the step; helpers shared by the steps tell people about it."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User

from .. import notifications as notify
from ..errors import TransitionNotAllowedError
from ..models import Notification, Report, ReportPhoto, ReportTransition
from ..sla import rework_handle_due
from ..states import Action, ActorRole
from ..workflow import RULES, acting_role, action_label, staff_parties, target_status
from .submission import _files_removed_on_error, _process_photos, _save_photos

NOTE_MAX_LENGTH = 4000


def _apply(
    *,
    report: Report,
    action: str,
    actor: User | None,
    note: str = "",
    photos: Sequence[Any] = (),
    at: datetime.datetime | None = None,
    by_reporter: bool = False,
    changes: dict[str, Any] | None = None,
    transition_fields: dict[str, Any] | None = None,
    check: Callable[[Report], None] | None = None,
) -> tuple[Report, ReportTransition]:
    """Check and apply one row of the transition table; the one place a status changes.

    Runs inside the caller's transaction (every public step is @transaction.atomic); the
    report row is locked first, so two people pressing at once cannot both move it.
    """
    rule = RULES[action]
    now = at or timezone.now()
    report = (
        Report.objects.select_for_update(of=("self",))
        .select_related("category", "dispatched_to_user", "dispatched_to_organisation", "reporter")
        .get(pk=report.pk)
    )
    role = (
        str(ActorRole.RESIDENT)
        if by_reporter
        else acting_role(action, staff_parties(actor, report))
    )
    if role is None:
        raise PermissionDenied(
            _("You cannot “%(action)s” this report: it is outside your role or your area.")
            % {"action": action_label(action)}
        )
    to_status = target_status(action, report.status)
    if to_status is None:
        raise TransitionNotAllowedError(action=action, status=report.status)
    note = (note or "").strip()
    if rule.note_required and not note:
        raise ValidationError({"note": _("Write a note for this step: it is required.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("Keep the note within %(max)d characters.") % {"max": NOTE_MAX_LENGTH}}
        )
    if check is not None:  # the step's own rules, once the actor and the status are fine
        check(report)
    processed = _process_photos(photos) if rule.photos else []

    from_status = report.status
    report.status = to_status
    for name, value in (changes or {}).items():
        setattr(report, name, value)
    if rule.rework:
        report.rework_count += 1
        report.handled_at = None
        report.closed_at = None
        report.confirmed_at = None
        report.handle_due = rework_handle_due(report.category, report, now)
    report.save()
    transition = ReportTransition.objects.create(
        report=report,
        community_id=report.community_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=role,
        at=now,
        note=note,
        note_is_public=rule.note_public,
        **(transition_fields or {}),
    )
    if processed:
        # Written last, so that nothing in this step can fail after the files exist (a
        # failure of the caller's transaction later would leave orphan files, not lost data).
        # Feedback photos are for the resident (tracking page); other steps' stay internal.
        stage = (
            ReportPhoto.Stage.FEEDBACK
            if action in (Action.HANDLE, Action.FEEDBACK)
            else ReportPhoto.Stage.TRANSITION
        )
        with _files_removed_on_error() as written:
            _save_photos(report, processed, stage=stage, transition=transition, written=written)
    return report, transition


def _tell(
    recipients: Iterable[User | None],
    report: Report,
    kind: str,
    text: str,
    *,
    email_subject: str = "",
    exclude: User | None = None,
) -> None:
    notify.notify(
        recipients,
        report=report,
        kind=kind,
        text=text,
        email_subject=email_subject,
        exclude=exclude,
    )


def _tell_reporter(report: Report, text: str, *, email_subject: str = "") -> None:
    """The reporter hears of it in the app (if they have an account) and by e-mail (if
    they left an address)."""
    if report.reporter_id:
        notify.notify([report.reporter], report=report, kind=Notification.Kind.STATUS, text=text)
    if email_subject:
        notify.email_reporter(report, subject=email_subject, text=text)


def _labels(report: Report) -> dict[str, str]:
    return {"code": report.code, "category": report.category.name}


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
