"""The joint meeting's status: ONE transition table, applied by services.meeting_transition.

draft → held (the meeting took place) → published (the outcome is on the reports' tracking
pages). A published outcome can be withdrawn (back to held, with a reason) to correct it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import MeetingStatus

S = MeetingStatus


class MeetingAction(models.TextChoices):
    CREATE = "create", _("Created")
    HOLD = "hold", _("Mark as held")
    PUBLISH = "publish", _("Publish the outcome")
    WITHDRAW = "withdraw", _("Withdraw the outcome")


@dataclass(frozen=True)
class Rule:
    moves: dict[str, str]
    note_required: bool = False
    needs_outcome: bool = False  # publishing needs the outcome text


RULES: dict[str, Rule] = {
    MeetingAction.HOLD: Rule({S.DRAFT: S.HELD}),
    MeetingAction.PUBLISH: Rule({S.HELD: S.PUBLISHED}, needs_outcome=True),
    MeetingAction.WITHDRAW: Rule({S.PUBLISHED: S.HELD}, note_required=True),
}


def target_status(action: str, status: str) -> str | None:
    """The status `action` leads to from `status`, or None when the table refuses it."""
    rule = RULES.get(action)
    return rule.moves.get(status) if rule else None


def available_actions(status: str) -> list[str]:
    return [action for action, rule in RULES.items() if status in rule.moves]
