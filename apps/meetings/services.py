"""Business rules of joint meetings (HackSoft style: keyword-only, typed, atomic).

Only community admins of the meeting's community (and superusers) change a meeting
(PermissionDenied otherwise). A published meeting is frozen: edits raise MeetingStateError
(409) until its outcome is withdrawn. Status changes go through `meeting_transition`, the
one place a meeting's status changes, and each is recorded with who, role, when and note.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Organisation, User
from apps.core.photos import ProcessedPhoto, photos_process
from apps.regions.models import Community
from apps.reports.models import Report

from . import access
from .errors import MeetingStateError
from .models import (
    AgendaItem,
    JointMeeting,
    MeetingDecision,
    MeetingOutcome,
    MeetingOutcomePhoto,
    MeetingStatus,
    MeetingStatusChange,
)
from .workflow import RULES, MeetingAction, target_status

TEXT_MAX = 4000
MAX_OUTCOME_PHOTOS = 12
MAX_AMOUNT = Decimal("999999999999.99")


def _require_manager(actor: User, community_id: int) -> None:
    if not access.can_manage(actor, community_id):
        raise PermissionDenied(_("Only the community's admins can change its joint meetings."))


def _locked(meeting_pk: int) -> JointMeeting:
    """The meeting row, locked for this transaction (two admins cannot race)."""
    return JointMeeting.objects.select_for_update().get(pk=meeting_pk)


def _editable(meeting: JointMeeting, actor: User) -> JointMeeting:
    locked = _locked(meeting.pk)
    _require_manager(actor, locked.community_id)
    if not locked.is_editable:
        raise MeetingStateError(
            status=locked.status,
            message=_(
                "This meeting's outcome is published: withdraw it first to change the meeting."
            ),
        )
    return locked


def _clean_text(value: str, field: str, *, required: bool, label: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: _("Write %(what)s: it is required.") % {"what": label}})
    if len(text) > TEXT_MAX:
        raise ValidationError({field: _("Keep it within %(max)d characters.") % {"max": TEXT_MAX}})
    return text


def _record(
    meeting: JointMeeting,
    *,
    action: str,
    from_status: str,
    actor: User,
    at: datetime.datetime,
    note: str = "",
) -> MeetingStatusChange:
    return MeetingStatusChange.objects.create(
        meeting=meeting,
        community_id=meeting.community_id,
        action=action,
        from_status=from_status,
        to_status=meeting.status,
        actor=actor,
        actor_role=access.acting_role(actor, meeting.community_id),
        at=at,
        note=note,
    )


# --- the meeting itself -------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User,
    community: Community,
    title: str,
    date: datetime.date,
    place: str = "",
    organisations: Iterable[Organisation] = (),
    notes: str = "",
    at: datetime.datetime | None = None,
) -> JointMeeting:
    """A draft meeting of `community`; its creation is the first recorded status change."""
    _require_manager(actor, community.pk)
    meeting = JointMeeting(
        community=community,
        title=_clean_text(title, "title", required=True, label=_("a title")),
        date=date,
        place=(place or "").strip(),
        notes=_clean_text(notes, "notes", required=False, label=""),
        created_by=actor,
    )
    meeting.full_clean()
    meeting.save()
    meeting.organisations.set(list(organisations))
    _record(
        meeting, action=MeetingAction.CREATE, from_status="", actor=actor, at=at or timezone.now()
    )
    return meeting


@transaction.atomic
def meeting_update(
    *,
    meeting: JointMeeting,
    actor: User,
    title: str,
    date: datetime.date,
    place: str = "",
    organisations: Iterable[Organisation] = (),
    notes: str = "",
) -> JointMeeting:
    """Change a meeting's title, date, place, attending organisations and minutes."""
    locked = _editable(meeting, actor)
    locked.title = _clean_text(title, "title", required=True, label=_("a title"))
    locked.date = date
    locked.place = (place or "").strip()
    locked.notes = _clean_text(notes, "notes", required=False, label="")
    locked.full_clean()
    locked.save()
    locked.organisations.set(list(organisations))
    return locked


@transaction.atomic
def meeting_transition(
    *,
    meeting: JointMeeting,
    actor: User,
    action: str,
    note: str = "",
    at: datetime.datetime | None = None,
) -> JointMeeting:
    """Apply one row of the transition table (hold, publish, withdraw) and record it."""
    now = at or timezone.now()
    locked = _locked(meeting.pk)
    _require_manager(actor, locked.community_id)
    rule = RULES.get(action)
    to_status = target_status(action, locked.status)
    if rule is None or to_status is None:
        raise MeetingStateError(status=locked.status)
    note = _clean_text(note, "note", required=rule.note_required, label=_("the reason"))
    outcome = MeetingOutcome.objects.filter(meeting=locked).first()
    if rule.needs_outcome and (outcome is None or not outcome.text.strip()):
        raise ValidationError({"text": _("Write the outcome for residents before publishing it.")})
    from_status = locked.status
    locked.status = to_status
    locked.save(update_fields=["status", "updated_at"])
    if outcome is not None and action in (MeetingAction.PUBLISH, MeetingAction.WITHDRAW):
        outcome.published_at = now if to_status == MeetingStatus.PUBLISHED else None
        outcome.save(update_fields=["published_at", "updated_at"])
    _record(locked, action=action, from_status=from_status, actor=actor, at=now, note=note)
    return locked


# --- agenda -------------------------------------------------------------------------------


@transaction.atomic
def meeting_agenda_add(
    *, meeting: JointMeeting, actor: User, report: Report, note: str = ""
) -> AgendaItem:
    """Put a report of the meeting's community on its agenda (once)."""
    locked = _editable(meeting, actor)
    if report.community_id != locked.community_id:
        raise ValidationError(
            {"report": _("Report %(code)s is from another community.") % {"code": report.code}}
        )
    if AgendaItem.objects.filter(meeting=locked, report=report).exists():
        raise ValidationError(
            {"report": _("Report %(code)s is on the agenda already.") % {"code": report.code}}
        )
    last = AgendaItem.objects.filter(meeting=locked).order_by("-order").first()
    return AgendaItem.objects.create(
        meeting=locked,
        community_id=locked.community_id,
        report=report,
        note=(note or "").strip()[:500],
        order=(last.order + 1) if last else 1,
        added_by=actor,
    )


@transaction.atomic
def meeting_agenda_remove(*, meeting: JointMeeting, actor: User, item: AgendaItem) -> None:
    locked = _editable(meeting, actor)
    if item.meeting_id != locked.pk:
        raise ValidationError({"item": _("That item is not on this meeting's agenda.")})
    item.delete()


# --- decisions ----------------------------------------------------------------------------


@transaction.atomic
def meeting_decision_add(
    *,
    meeting: JointMeeting,
    actor: User,
    text: str,
    report: Report | None = None,
    payer: Organisation | None = None,
    amount: Decimal | None = None,
    due_date: datetime.date | None = None,
) -> MeetingDecision:
    """Record a decision: what, for which report, who pays how much (yuan), by when."""
    locked = _editable(meeting, actor)
    errors: dict[str, str] = {}
    if report is not None and report.community_id != locked.community_id:
        errors["report"] = _("Report %(code)s is from another community.") % {"code": report.code}
    if amount is not None and not (Decimal(0) <= amount <= MAX_AMOUNT):
        errors["amount"] = _("The amount must be between 0 and 999,999,999,999.99 yuan.")
    if amount is not None and payer is None:
        errors["payer"] = _("Say who pays the amount.")
    try:
        text = _clean_text(text, "text", required=True, label=_("the decision"))
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    last = MeetingDecision.objects.filter(meeting=locked).order_by("-order").first()
    return MeetingDecision.objects.create(
        meeting=locked,
        community_id=locked.community_id,
        report=report,
        text=text,
        payer=payer,
        amount=amount,
        due_date=due_date,
        order=(last.order + 1) if last else 1,
        created_by=actor,
    )


@transaction.atomic
def meeting_decision_remove(
    *, meeting: JointMeeting, actor: User, decision: MeetingDecision
) -> None:
    locked = _editable(meeting, actor)
    if decision.meeting_id != locked.pk:
        raise ValidationError({"decision": _("That decision is not this meeting's.")})
    decision.delete()


# --- the outcome --------------------------------------------------------------------------


@transaction.atomic
def meeting_outcome_save(
    *,
    meeting: JointMeeting,
    actor: User,
    text: str,
    photos: Sequence[Any] = (),
    caption: str = "",
) -> MeetingOutcome:
    """Write (or rewrite) the outcome for residents and add photos to it. Photos are
    checked, re-encoded and stripped of EXIF by apps.core.photos; a bad one refuses all."""
    locked = _editable(meeting, actor)
    text = _clean_text(text, "text", required=True, label=_("the outcome"))
    processed = _process(photos)
    outcome, _created = MeetingOutcome.objects.get_or_create(
        meeting=locked, defaults={"community_id": locked.community_id, "text": text}
    )
    if outcome.text != text:
        outcome.text = text
        outcome.save(update_fields=["text", "updated_at"])
    existing = outcome.photos.count()
    if existing + len(processed) > MAX_OUTCOME_PHOTOS:
        raise ValidationError(
            {
                "photos": _("An outcome has at most %(max)d photos; it has %(count)d.")
                % {"max": MAX_OUTCOME_PHOTOS, "count": existing}
            }
        )
    written: list[Any] = []
    try:
        for photo in processed:
            row = MeetingOutcomePhoto(
                outcome=outcome,
                community_id=locked.community_id,
                width=photo.width,
                height=photo.height,
                original_name=photo.original_name,
                caption=(caption or "").strip()[:200],
            )
            row.file.save(photo.image.name or "photo.jpg", photo.image, save=False)
            written.append(row.file)
            row.thumbnail.save(photo.thumbnail.name or "thumb.jpg", photo.thumbnail, save=False)
            written.append(row.thumbnail)
            row.save()
    except Exception:
        for file in written:  # a failed save must not leave files behind
            file.storage.delete(file.name)
        raise
    return outcome


def _process(photos: Sequence[Any]) -> list[ProcessedPhoto]:
    try:
        return photos_process([p for p in photos if p], max_count=MAX_OUTCOME_PHOTOS)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from None


@transaction.atomic
def meeting_outcome_photo_remove(
    *, meeting: JointMeeting, actor: User, photo: MeetingOutcomePhoto
) -> None:
    locked = _editable(meeting, actor)
    if photo.outcome.meeting_id != locked.pk:
        raise ValidationError({"photo": _("That photo is not this meeting's.")})
    files = [(f.storage, f.name) for f in (photo.file, photo.thumbnail) if f.name]
    photo.delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
