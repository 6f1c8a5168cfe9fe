"""A small state-machine kit: one table of allowed transitions per lifecycle.

Used by the ledger, the notice board and the service station (bookings, tool loans,
parcels). Each lifecycle declares its `TransitionTable` once, next to its model, and applies
it in exactly one service (`<noun>_transition`), which also writes the history row. The
table only answers "may these roles do this action from this status, and where does it
lead"; recording and side effects stay with the service that owns the model.

Errors carry an HTTP status so views stay thin: a role that may never take an action is a
403, an action the current status does not allow is a 409 (the thing changed under you).

Candidate for apps/core once a second owner needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SUPERUSER = "superuser"


class WorkflowError(Exception):
    """A refused action, with a message for the person and the HTTP status to answer with."""

    status = 409

    def __init__(self, message: str | Promise, *, status: int | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if status is not None:
            self.status = status

    def __str__(self) -> str:
        return str(self.message)


class TransitionNotAllowedError(WorkflowError):
    """The action does not apply to the current status (409)."""


class ActionForbiddenError(WorkflowError):
    """The person's roles may never take this action here (403)."""

    status = 403


class NoteRequiredError(WorkflowError):
    """The action needs a note saying why (400)."""

    status = 400


@dataclass(frozen=True)
class Transition:
    """`action` moves a row from any of `sources` to `target`; `roles` may take it."""

    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    label: str | Promise
    note_required: bool = False
    # A button that ends or refuses something: shown in a warning colour.
    danger: bool = False


def transition(
    action: str,
    sources: Iterable[str],
    target: str,
    roles: Iterable[str],
    label: str | Promise,
    **kwargs: Any,
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), label, **kwargs)


@dataclass(frozen=True)
class TransitionTable:
    name: str
    transitions: tuple[Transition, ...]
    _by_action: dict[str, Transition] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_action: dict[str, Transition] = {}
        for move in self.transitions:
            if move.action in by_action:
                raise ValueError(f"{self.name}: action {move.action!r} declared twice.")
            by_action[move.action] = move
        object.__setattr__(self, "_by_action", by_action)

    @property
    def actions(self) -> list[str]:
        return list(self._by_action)

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise WorkflowError(
                _("“%(action)s” is not an action here.") % {"action": action}, status=400
            ) from None

    def check(self, *, action: str, status: str, roles: set[str]) -> tuple[Transition, str]:
        """The transition for `action` and the role it is taken in; raises if refused.

        Roles are checked first: someone who may never take the action learns nothing
        about the row's status.
        """
        move = self.get(action)
        acting = role_acting(move, roles)
        if acting is None:
            raise ActionForbiddenError(_("You may not do this."))
        if status not in move.sources:
            raise TransitionNotAllowedError(
                _("This cannot be done any more: it is now “%(status)s”.")
                % {"status": status_label(self, status)}
            )
        return move, acting

    def available(self, *, status: str, roles: set[str]) -> list[Transition]:
        """Actions these roles may take from `status`, in table order (for buttons)."""
        return [
            move
            for move in self.transitions
            if status in move.sources and role_acting(move, roles) is not None
        ]


# Status labels per table, registered by the apps so error messages name statuses in words.
_STATUS_LABELS: dict[str, dict[str, Any]] = {}


def register_status_labels(table: TransitionTable, choices: Any) -> None:
    _STATUS_LABELS[table.name] = dict(choices)


def status_label(table: TransitionTable, status: str) -> str:
    return str(_STATUS_LABELS.get(table.name, {}).get(status, status))


def role_acting(move: Transition, roles: set[str]) -> str | None:
    """The role `move` is taken in: the first of its roles the person holds (stable order)."""
    if SUPERUSER in roles:
        return SUPERUSER
    for role in sorted(move.roles):
        if role in roles:
            return role
    return None


def member_roles(user: Any, community_id: int | None) -> set[str]:
    """Roles `user` holds in a community through active memberships (+ "superuser")."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    roles: set[str] = set()
    if user.is_superuser:
        roles.add(SUPERUSER)
    if community_id is not None:
        membership = apps.get_model("accounts", "Membership")
        roles.update(
            membership.objects.filter(
                user=user, community_id=community_id, is_active=True
            ).values_list("role", flat=True)
        )
    return roles


# History rows also record actions that are not status moves.
COMMON_ACTION_LABELS = {
    "create": _("Created"),
    "edit": _("Changed"),
    "attach": _("Attached files"),
    "detach": _("Removed an attachment"),
    "wrong_code": _("Wrong pick-up code entered"),
}


def action_label(table: TransitionTable, action: str) -> str:
    """The words for a recorded action (the button's label for status moves)."""
    if action in table._by_action:
        return str(table._by_action[action].label)
    return str(COMMON_ACTION_LABELS.get(action, action))


# Roles that are not membership roles: the person a booking is for, and the system itself.
EXTRA_ROLE_LABELS = {"owner": _("Booker"), "system": _("System")}


def role_label(role: str) -> str:
    from apps.accounts.roles import Role

    if role == SUPERUSER:
        return str(_("Administrator"))
    if role in EXTRA_ROLE_LABELS:
        return str(EXTRA_ROLE_LABELS[role])
    if role in Role.values:
        return str(Role(role).label)
    return role


class EventLabels(models.Model):
    """Abstract base of history models: `action_display`, `role_display`, status words.

    An abstract model rather than a mixin, so migrations do not depend on this module.
    Concrete models set `transitions` to their table.
    """

    transitions: TransitionTable
    action: str
    actor_role: str
    from_status: str
    to_status: str

    class Meta:
        abstract = True

    @property
    def action_display(self) -> str:
        return action_label(self.transitions, self.action)

    @property
    def role_display(self) -> str:
        return role_label(self.actor_role)

    @property
    def from_status_display(self) -> str:
        return status_label(self.transitions, self.from_status)

    @property
    def to_status_display(self) -> str:
        return status_label(self.transitions, self.to_status)
