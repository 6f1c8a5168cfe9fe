"""Business rules of the ledger: entering, editing and moving entries through approval."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.roles import Role
from apps.facilities.models import Facility
from apps.regions.models import Compound

from .access import ledger_roles
from .models import EDITABLE_STATUSES, LEDGER_TRANSITIONS, LedgerEntry, LedgerEntryEvent
from .workflow import SUPERUSER, ActionForbiddenError, NoteRequiredError, TransitionNotAllowedError

# Fields a person enters; the edit history names them when they change.
ENTRY_FIELDS = ("kind", "date", "amount", "purpose", "facility", "work")


def _validate(entry: LedgerEntry) -> None:
    errors: dict[str, str] = {}
    if entry.amount is not None:
        amount = Decimal(entry.amount)
        if amount <= 0:
            errors["amount"] = _("The amount must be more than zero.")
        elif amount != amount.quantize(Decimal("0.01")):
            errors["amount"] = _("Give the amount in yuan with at most two decimals (fen).")
    if entry.date and entry.date > timezone.localdate():
        errors["date"] = _("The date is in the future: enter what was actually earned or spent.")
    facility: Facility | None = entry.facility
    if facility is not None and facility.community_id != entry.community_id:
        errors["facility"] = _("This facility belongs to another community than the compound.")
    work = entry.work
    if work is not None and work.community_id != entry.community_id:
        errors["work"] = _("This work belongs to another community than the compound.")
    if errors:
        raise ValidationError(errors)
    entry.full_clean(exclude=["entered_by"])


def _record(
    entry: LedgerEntry, *, action: str, from_status: str, actor: Any, role: str, note: str = ""
) -> LedgerEntryEvent:
    return LedgerEntryEvent.objects.create(
        community_id=entry.community_id,
        entry=entry,
        action=action,
        from_status=from_status,
        to_status=entry.status,
        actor=actor,
        actor_role=role,
        note=note,
    )


def _staff_role(actor: Any, compound: Compound) -> str:
    roles = ledger_roles(actor, compound)
    if SUPERUSER in roles:
        return SUPERUSER
    if Role.PROPERTY_STAFF in roles:
        return Role.PROPERTY_STAFF
    raise ActionForbiddenError(_("Only the compound's property staff may enter its ledger."))


@transaction.atomic
def ledger_entry_create(
    *,
    actor: Any,
    compound: Compound,
    kind: str,
    date: datetime.date,
    amount: Decimal,
    purpose: str,
    facility: Facility | None = None,
    work: Any = None,
    submit: bool = False,
) -> LedgerEntry:
    """A new draft entry for `compound`, entered by its property staff (or submitted at
    once with `submit=True`). Raises ValidationError for bad values, ActionForbiddenError for
    someone who may not enter this compound's ledger."""
    role = _staff_role(actor, compound)
    entry = LedgerEntry(
        community_id=compound.community_id,
        compound=compound,
        kind=kind,
        date=date,
        amount=amount,
        purpose=purpose.strip(),
        facility=facility,
        work=work,
        entered_by=actor,
    )
    _validate(entry)
    entry.save()
    _record(entry, action="create", from_status="", actor=actor, role=role)
    if submit:
        entry = ledger_entry_transition(entry=entry, action="submit", actor=actor)
    return entry


@transaction.atomic
def ledger_entry_update(*, entry: LedgerEntry, actor: Any, **values: Any) -> LedgerEntry:
    """Change a draft or returned entry. The history keeps the old and new values, so an
    edit never silently overwrites what was entered."""
    unknown = set(values) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"ledger_entry_update() got unknown fields: {sorted(unknown)}")
    locked = LedgerEntry.objects.select_for_update().get(pk=entry.pk)
    role = _staff_role(actor, locked.compound)
    if locked.status not in EDITABLE_STATUSES:
        raise TransitionNotAllowedError(
            _("Only draft or returned entries can be changed; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    changes = []
    for name, value in values.items():
        old = getattr(locked, name)
        if isinstance(value, str):
            value = value.strip()
        if old != value:
            changes.append(f"{name}: {_shown(old)} → {_shown(value)}")
            setattr(locked, name, value)
    if not changes:
        return locked
    _validate(locked)
    locked.save()
    _record(
        locked,
        action="edit",
        from_status=locked.status,
        actor=actor,
        role=role,
        note="; ".join(changes),
    )
    return locked


def _shown(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


@transaction.atomic
def ledger_entry_transition(
    *, entry: LedgerEntry, action: str, actor: Any, note: str = ""
) -> LedgerEntry:
    """Apply `action` (submit, approve, return) from LEDGER_TRANSITIONS, and record it.

    The row is locked first, so two people acting at once cannot both move it: the second
    gets TransitionNotAllowedError (409). Returning needs a note saying what to fix.
    """
    locked = LedgerEntry.objects.select_for_update().select_related("compound").get(pk=entry.pk)
    roles = ledger_roles(actor, locked.compound)
    move, role = LEDGER_TRANSITIONS.check(action=action, status=locked.status, roles=roles)
    note = note.strip()
    if move.note_required and not note:
        raise NoteRequiredError(_("Say what needs to change, so the property staff can fix it."))
    previous = locked.status
    locked.status = move.target
    if move.target == LedgerEntry.Status.APPROVED:
        locked.approved_at = timezone.now()
    locked.save(update_fields=["status", "approved_at", "updated_at"])
    _record(locked, action=action, from_status=previous, actor=actor, role=role, note=note)
    return locked
