"""Parcels at the courier rest station: logged by staff, picked up with a six-digit code."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.accounts.models import Membership, User
from apps.facilities.models import Facility
from apps.ledger.workflow import ActionForbiddenError, NoteRequiredError, WorkflowError
from apps.regions.models import Building

from ..access import is_desk_staff, station_roles
from ..errors import NotBookableError, ParcelLockedError, WrongCodeError
from ..models import MAX_PICKUP_ATTEMPTS, PARCEL_TRANSITIONS, Parcel, ParcelEvent, StationService
from ..models.parcels import SYSTEM
from .common import CODE_ATTEMPTS, pickup_code, record, violated_constraint


def mask_name(name: str) -> str:
    """Keep the family name only: 张三 → 张*, 欧阳娜娜 → 欧***, Li → L*."""
    name = re.sub(r"\s+", "", name)
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)


def _digits(phone: str) -> str:
    return re.sub(r"\D", "", phone or "")


def _resident_with_phone(community_id: int, digits: str) -> User | None:
    """The one member of the community whose private phone is `digits` (None if not
    exactly one: a shared or unknown number links nobody)."""
    if len(digits) < 7:
        return None
    members = Membership.objects.filter(community_id=community_id, is_active=True)
    matches = list(
        User.objects.filter(pk__in=members.values("user_id"), is_active=True)
        .filter(Q(phone=digits) | Q(phone__endswith=digits[-11:]))
        .distinct()[:2]
    )
    return matches[0] if len(matches) == 1 else None


def _staff_role(actor: Any, community_id: int) -> str:
    roles = station_roles(actor, community_id)
    for role in ("superuser", "community_admin", "property_staff"):
        if role in roles:
            return role
    raise ActionForbiddenError(_("Only the station's staff handle parcels."))


@transaction.atomic
def parcel_log(
    *,
    facility: Facility,
    actor: Any,
    recipient_name: str,
    phone: str,
    building: Building | None = None,
    unit: str = "",
    carrier: str = "",
    shelf: str = "",
) -> Parcel:
    """Log a parcel left for a resident and draw its pick-up code.

    Only the masked name and the phone's last four digits are stored; the full phone is
    used once, to link the parcel to the resident's account so they see it.
    """
    role = _staff_role(actor, facility.community_id)
    offers_storage = StationService.objects.filter(
        facility=facility, kind=StationService.Kind.PARCEL_STORAGE, is_active=True
    ).exists()
    if not offers_storage:
        raise NotBookableError(_("This station does not keep parcels."))
    digits = _digits(phone)
    errors = []
    if len(digits) < 4:
        errors.append(_("Enter the recipient's phone number, or at least its last 4 digits."))
    masked = mask_name(recipient_name)
    if not masked:
        errors.append(_("Enter the recipient's name as written on the parcel."))
    if building is not None and building.community_id != facility.community_id:
        errors.append(_("That building is in another community."))
    if errors:
        raise NotBookableError(" ".join(str(e) for e in errors))
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                parcel = Parcel.objects.create(
                    community_id=facility.community_id,
                    facility=facility,
                    building=building,
                    unit=unit.strip()[:16],
                    recipient_name_masked=masked[:20],
                    phone_last4=digits[-4:],
                    recipient=_resident_with_phone(facility.community_id, digits),
                    carrier=carrier.strip()[:50],
                    shelf=shelf.strip()[:16],
                    pickup_code=pickup_code(),
                    logged_at=timezone.now(),
                    logged_by=actor,
                )
            break
        except IntegrityError as error:
            if violated_constraint(error) != "parcel_code_unique_while_waiting":
                raise
    else:
        raise IntegrityError("Could not draw a free pick-up code.")
    record(
        ParcelEvent,
        "parcel",
        parcel,
        action="create",
        from_status="",
        to_status=parcel.status,
        actor=actor,
        actor_role=role,
    )
    return parcel


@dataclass(frozen=True)
class _Outcome:
    parcel: Parcel
    error: WorkflowError | None


def parcel_pick_up(*, parcel: Parcel, code: str, actor: Any) -> Parcel:
    """Hand a parcel over when the code the resident gives matches.

    A wrong code counts against the parcel; after MAX_PICKUP_ATTEMPTS it locks until staff
    check the person's identity (`unlock`). Not one atomic block on purpose: a wrong
    attempt is committed and recorded before WrongCodeError / ParcelLockedError is raised, or the
    limit could be dodged by failing forever.
    """
    outcome = _pick_up(parcel=parcel, code=code, actor=actor)
    if outcome.error is not None:
        raise outcome.error
    return outcome.parcel


@transaction.atomic
def _pick_up(*, parcel: Parcel, code: str, actor: Any) -> _Outcome:
    locked = Parcel.objects.select_for_update().get(pk=parcel.pk)
    role = _staff_role(actor, locked.community_id)
    if locked.status == Parcel.Status.LOCKED:
        return _Outcome(locked, ParcelLockedError(_locked_message()))
    PARCEL_TRANSITIONS.check(action="pick_up", status=locked.status, roles={role})
    entered = re.sub(r"\s", "", code or "")
    if entered and secrets.compare_digest(entered.encode(), locked.pickup_code.encode()):
        locked.status = Parcel.Status.PICKED_UP
        locked.picked_up_at = timezone.now()
        locked.save(update_fields=["status", "picked_up_at", "updated_at"])
        record(
            ParcelEvent,
            "parcel",
            locked,
            action="pick_up",
            from_status=Parcel.Status.STORED,
            to_status=locked.status,
            actor=actor,
            actor_role=role,
        )
        return _Outcome(locked, None)
    locked.failed_attempts += 1
    left = MAX_PICKUP_ATTEMPTS - locked.failed_attempts
    record(
        ParcelEvent,
        "parcel",
        locked,
        action="wrong_code",
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        actor_role=role,
    )
    if left > 0:
        locked.save(update_fields=["failed_attempts", "updated_at"])
        message = ngettext(
            "Wrong pick-up code. %(left)d attempt left before the parcel is locked.",
            "Wrong pick-up code. %(left)d attempts left before the parcel is locked.",
            left,
        ) % {"left": left}
        return _Outcome(locked, WrongCodeError(message, attempts_left=left))
    locked.status = Parcel.Status.LOCKED
    locked.save(update_fields=["failed_attempts", "status", "updated_at"])
    record(
        ParcelEvent,
        "parcel",
        locked,
        action="lock",
        from_status=Parcel.Status.STORED,
        to_status=locked.status,
        actor=actor,
        actor_role=SYSTEM,
        note=_("%(count)d wrong codes.") % {"count": locked.failed_attempts},
    )
    return _Outcome(locked, ParcelLockedError(_locked_message()))


def _locked_message() -> str:
    return _("Too many wrong codes: the parcel is locked. Check the person's ID, then unlock it.")


@transaction.atomic
def parcel_transition(*, parcel: Parcel, action: str, actor: Any, note: str = "") -> Parcel:
    """Unlock a locked parcel (identity checked) or return one to the courier. Picking up
    goes through parcel_pick_up (it needs the code); locking happens by itself."""
    if action in ("pick_up", "lock"):
        raise WorkflowError(_("Enter the pick-up code to hand a parcel over."), status=400)
    locked = Parcel.objects.select_for_update().get(pk=parcel.pk)
    if not is_desk_staff(actor, locked.community_id):
        raise ActionForbiddenError(_("Only the station's staff handle parcels."))
    roles = station_roles(actor, locked.community_id)
    move, role = PARCEL_TRANSITIONS.check(action=action, status=locked.status, roles=roles)
    if move.note_required and not note.strip():
        raise NoteRequiredError(_("Add a note: how was the identity checked, or why it goes back."))
    previous = locked.status
    locked.status = move.target
    if action == "unlock":
        locked.failed_attempts = 0
    locked.save(update_fields=["status", "failed_attempts", "updated_at"])
    record(
        ParcelEvent,
        "parcel",
        locked,
        action=action,
        from_status=previous,
        to_status=locked.status,
        actor=actor,
        actor_role=role,
        note=note.strip(),
    )
    return locked
