"""The lifecycle of a patrol instance: one table of allowed transitions.

planned → in_progress → completed, with missed and cancelled as the other ends. The table
says which status may follow which, and who may make the move; `patrol_instance_transition`
(apps.patrols.services.runs) is the one service that applies it and records the change.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("patrol status", "Planned")  # 已排班
    IN_PROGRESS = "in_progress", _("In progress")  # 巡逻中
    COMPLETED = "completed", _("Completed")  # 已完成
    MISSED = "missed", _("Missed")  # 漏巡
    CANCELLED = "cancelled", _("Cancelled")  # 已取消


class Actor(models.TextChoices):
    """The capacity someone moves a patrol in."""

    TEAM = "team", _("Team member")
    STAFF = "staff", _("Community staff")
    SYSTEM = "system", _("System")


# (from, to) → who may make the move. Anything not listed is refused (HTTP 409).
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.PLANNED, Status.IN_PROGRESS): frozenset({Actor.TEAM, Actor.STAFF}),
    (Status.PLANNED, Status.CANCELLED): frozenset({Actor.STAFF, Actor.SYSTEM}),
    (Status.PLANNED, Status.MISSED): frozenset({Actor.STAFF, Actor.SYSTEM}),
    (Status.IN_PROGRESS, Status.COMPLETED): frozenset({Actor.TEAM, Actor.STAFF}),
    (Status.IN_PROGRESS, Status.CANCELLED): frozenset({Actor.STAFF}),
    # A cancelled future patrol comes back when staff (or the schedule) restore it.
    (Status.CANCELLED, Status.PLANNED): frozenset({Actor.STAFF, Actor.SYSTEM}),
}

# Patrols that still hold people's time: conflicts and "tonight" look at these.
ACTIVE_STATUSES: tuple[str, ...] = (Status.PLANNED, Status.IN_PROGRESS)
FINAL_STATUSES: tuple[str, ...] = (Status.COMPLETED, Status.MISSED)


def allowed_targets(status: str) -> list[str]:
    """Statuses that may follow `status`, in table order."""
    return [target for (source, target) in TRANSITIONS if source == status]


def may_move(status: str, target: str, actor: str) -> bool:
    return actor in TRANSITIONS.get((status, target), frozenset())
