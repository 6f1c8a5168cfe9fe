"""Business rules of the notice board: drafting, attaching, approving, withdrawing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.ledger.workflow import (
    SUPERUSER,
    ActionForbiddenError,
    NoteRequiredError,
    TransitionNotAllowedError,
    role_acting,
    transition,
)
from apps.regions.models import Community, Compound

from .access import can_edit, notice_roles
from .attachments import MAX_ATTACHMENTS_PER_NOTICE, CheckedAttachment
from .models import DRAFTERS, NOTICE_TRANSITIONS, Notice, NoticeAttachment, NoticeEvent

NOTICE_FIELDS = ("section", "title", "body", "compound")
# The role a drafter acts in, for the history (any drafter role will do).
_DRAFT = transition("draft", (), "", DRAFTERS, "")


def _validate(notice: Notice) -> None:
    errors: dict[str, str] = {}
    if notice.compound is not None:
        if notice.section != Notice.Section.FINANCE:
            errors["compound"] = _("Only finance notices link to a compound's ledger.")
        elif notice.compound.community_id != notice.community_id:
            errors["compound"] = _("That compound is in another community.")
    if not notice.title.strip():
        errors["title"] = _("Give the notice a title.")
    if not notice.body.strip():
        errors["body"] = _("Write the text of the notice.")
    if errors:
        raise ValidationError(errors)
    notice.full_clean(exclude=["author"])


def _record(notice: Notice, *, action: str, from_status: str, actor: Any, role: str, **extra: Any):
    return NoticeEvent.objects.create(
        community_id=notice.community_id,
        notice=notice,
        action=action,
        from_status=from_status,
        to_status=notice.status,
        actor=actor,
        actor_role=role,
        **extra,
    )


def _drafter_role(actor: Any, community_id: int) -> str:
    role = role_acting(_DRAFT, notice_roles(actor, community_id))
    if role is None:
        raise ActionForbiddenError(_("Only the community's staff draft notices."))
    return role


@transaction.atomic
def notice_create(
    *,
    actor: Any,
    community: Community,
    section: str,
    title: str,
    body: str,
    compound: Compound | None = None,
    attachments: Iterable[CheckedAttachment] = (),
    submit: bool = False,
) -> Notice:
    """A new draft notice of `community`, with checked attachments (submitted for
    approval at once with `submit=True`)."""
    role = _drafter_role(actor, community.pk)
    notice = Notice(
        community=community,
        section=section,
        title=title.strip(),
        body=body.strip(),
        compound=compound,
        author=actor,
    )
    _validate(notice)
    notice.save()
    _record(notice, action="create", from_status="", actor=actor, role=role)
    files = list(attachments)
    if files:
        notice_attach(notice=notice, actor=actor, files=files)
    if submit:
        notice = notice_transition(notice=notice, action="submit", actor=actor)
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, actor: Any, **values: Any) -> Notice:
    """Change a draft or returned notice; the history keeps the previous values."""
    unknown = set(values) - set(NOTICE_FIELDS)
    if unknown:
        raise TypeError(f"notice_update() got unknown fields: {sorted(unknown)}")
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    role = _drafter_role(actor, locked.community_id)
    if not can_edit(actor, locked):
        raise _refusal(locked)
    previous: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, str):
            value = value.strip()
        old = getattr(locked, name)
        if old != value:
            previous[name] = old.pk if hasattr(old, "pk") else old
            setattr(locked, name, value)
    if not previous:
        return locked
    _validate(locked)
    locked.save()
    _record(
        locked,
        action="edit",
        from_status=locked.status,
        actor=actor,
        role=role,
        note=", ".join(sorted(previous)),
        previous=previous,
    )
    return locked


def _refusal(notice: Notice) -> Exception:
    if notice.status in (Notice.Status.DRAFT, Notice.Status.RETURNED):
        return ActionForbiddenError(
            _("Only the author or a community admin may change this draft.")
        )
    return TransitionNotAllowedError(
        _("Only drafts and returned notices can be changed; this one is “%(status)s”.")
        % {"status": notice.get_status_display()}
    )


@transaction.atomic
def notice_attach(
    *, notice: Notice, actor: Any, files: list[CheckedAttachment]
) -> list[NoticeAttachment]:
    """Add checked files to a draft or returned notice."""
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    role = _drafter_role(actor, locked.community_id)
    if not can_edit(actor, locked):
        raise _refusal(locked)
    present = locked.attachments.filter(removed=False).count()
    if present + len(files) > MAX_ATTACHMENTS_PER_NOTICE:
        raise ValidationError(
            _("A notice has at most %(max)s attachments.") % {"max": MAX_ATTACHMENTS_PER_NOTICE}
        )
    created = [
        NoticeAttachment.objects.create(
            community_id=locked.community_id,
            notice=locked,
            file=checked.file,
            kind=checked.kind,
            content_type=checked.content_type,
            original_name=checked.original_name,
            size=checked.size,
            uploaded_by=actor,
        )
        for checked in files
    ]
    _record(
        locked,
        action="attach",
        from_status=locked.status,
        actor=actor,
        role=role,
        note=", ".join(a.original_name for a in created),
    )
    return created


@transaction.atomic
def notice_attachment_remove(*, attachment: NoticeAttachment, actor: Any) -> None:
    """Take an attachment off a draft. The file is kept (hidden), and the removal recorded."""
    locked = Notice.objects.select_for_update().get(pk=attachment.notice_id)
    role = _drafter_role(actor, locked.community_id)
    if not can_edit(actor, locked):
        raise _refusal(locked)
    # save(), not update(): the removal is kept in the attachment's audit history too.
    attachment.removed = True
    attachment.save(update_fields=["removed"])
    _record(
        locked,
        action="detach",
        from_status=locked.status,
        actor=actor,
        role=role,
        note=attachment.original_name,
    )


@transaction.atomic
def notice_transition(*, notice: Notice, action: str, actor: Any, note: str = "") -> Notice:
    """Apply `action` (submit, approve, return, withdraw) from NOTICE_TRANSITIONS.

    Approving publishes the notice with today's date. Returning and withdrawing need a note.
    """
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    roles = notice_roles(actor, locked.community_id)
    move, role = NOTICE_TRANSITIONS.check(action=action, status=locked.status, roles=roles)
    if (
        action == "submit"
        and role not in ("community_admin", SUPERUSER)
        and locked.author_id != actor.pk
    ):
        raise ActionForbiddenError(_("Only the author or a community admin may submit this draft."))
    note = note.strip()
    if move.note_required and not note:
        raise NoteRequiredError(_("Add a note saying why."))
    previous = locked.status
    locked.status = move.target
    if move.target == Notice.Status.PUBLISHED:
        locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    _record(locked, action=action, from_status=previous, actor=actor, role=role, note=note)
    return locked
