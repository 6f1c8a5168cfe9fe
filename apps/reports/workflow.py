"""The handling workflow: ONE transition table and who may take each step.

`RULES[action]` says from which status the action leads to which, who may take it, and
whether it needs a note, counts as rework, and so on. `apps.reports.services` applies it
(`_apply`); the console reads it to offer only the actions that make sense.

Who may act is a *party* to the report, found from the person's active memberships in the
report's community:

- community admin (社区工作人员) of the report's community (superusers act as one);
- grid worker (网格员) whose grids include the report's grid;
- assignee: the person the report is dispatched to, or a member (in this community) of the
  organisation it is dispatched to — property staff, police, party members, grid workers;
- planner (规划人员) of the report's community: may only give feedback (a completed work's
  note and photos), never move the report;
- reporter: whoever holds the tracking code (the public tracking page).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import pgettext_lazy

from apps.accounts.models import Membership
from apps.accounts.roles import Role

from .states import Action, ActorRole, Status


class Party(enum.Enum):
    COMMUNITY_ADMIN = "community_admin"
    GRID_WORKER = "grid_worker"
    ASSIGNEE = "assignee"
    PLANNER = "planner"
    REPORTER = "reporter"


S = Status
ADMIN, WORKER, ASSIGNEE, PLANNER, REPORTER = (
    Party.COMMUNITY_ADMIN,
    Party.GRID_WORKER,
    Party.ASSIGNEE,
    Party.PLANNER,
    Party.REPORTER,
)


@dataclass(frozen=True)
class Rule:
    """One action: `moves` maps each status it may be taken from to the status it leads to."""

    moves: dict[str, str]
    parties: frozenset[Party]
    note_required: bool = False
    note_public: bool = False  # the note appears on the public tracking page
    rework: bool = False  # counts as sending the work back (rework_count += 1)
    photos: bool = False  # photos may be attached to this step


RULES: dict[str, Rule] = {
    Action.ACCEPT: Rule({S.SUBMITTED: S.ACCEPTED}, frozenset({ADMIN, WORKER})),
    Action.REJECT: Rule(
        {S.SUBMITTED: S.REJECTED},
        frozenset({ADMIN, WORKER}),
        note_required=True,
        note_public=True,
    ),
    # Dispatching again (from dispatched or in progress) hands the work to someone else.
    Action.DISPATCH: Rule(
        {S.ACCEPTED: S.DISPATCHED, S.DISPATCHED: S.DISPATCHED, S.IN_PROGRESS: S.DISPATCHED},
        frozenset({ADMIN, WORKER}),
    ),
    Action.START: Rule({S.DISPATCHED: S.IN_PROGRESS}, frozenset({ASSIGNEE, ADMIN})),
    # A fix made on the spot may be reported straight from "dispatched".
    Action.HANDLE: Rule(
        {S.DISPATCHED: S.HANDLED, S.IN_PROGRESS: S.HANDLED},
        frozenset({ASSIGNEE, ADMIN}),
        note_required=True,
        note_public=True,
        photos=True,
    ),
    Action.VERIFY: Rule({S.HANDLED: S.VERIFIED}, frozenset({ADMIN, WORKER}), photos=True),
    Action.FAIL_VERIFICATION: Rule(
        {S.HANDLED: S.IN_PROGRESS},
        frozenset({ADMIN, WORKER}),
        note_required=True,
        rework=True,
        photos=True,
    ),
    Action.CLOSE: Rule({S.VERIFIED: S.CLOSED}, frozenset({ADMIN}), note_public=True),
    # The resident's word: a dispute sends the work back to whoever it was dispatched to.
    Action.DISPUTE: Rule(
        {S.HANDLED: S.DISPATCHED, S.VERIFIED: S.DISPATCHED, S.CLOSED: S.DISPATCHED},
        frozenset({REPORTER}),
        note_required=True,
        note_public=True,
        rework=True,
    ),
    # A resident's confirmation of a handled report is its verification.
    Action.CONFIRM: Rule(
        {S.HANDLED: S.VERIFIED, S.VERIFIED: S.VERIFIED, S.CLOSED: S.CLOSED},
        frozenset({REPORTER}),
        note_public=True,
    ),
    Action.DEFER: Rule(
        {S.DISPATCHED: S.DISPATCHED, S.IN_PROGRESS: S.IN_PROGRESS},
        frozenset({ADMIN}),
        note_required=True,
        note_public=True,
    ),
    # Public feedback that leaves the status as it is: from any status, by any staff party
    # of the report (the planner who completed a work it asked for, included).
    Action.FEEDBACK: Rule(
        {status: status for status in S.values},
        frozenset({ADMIN, WORKER, ASSIGNEE, PLANNER}),
        note_required=True,
        note_public=True,
        photos=True,
    ),
}

# Actions staff take in the console, in the order their buttons appear.
STAFF_ACTIONS: tuple[str, ...] = (
    Action.ACCEPT,
    Action.REJECT,
    Action.DISPATCH,
    Action.START,
    Action.HANDLE,
    Action.VERIFY,
    Action.FAIL_VERIFICATION,
    Action.CLOSE,
    Action.DEFER,
)
RESIDENT_ACTIONS: tuple[str, ...] = (Action.CONFIRM, Action.DISPUTE)

# What a button says: the verb of the step, never the status it leads to ("Dispatch",
# not "Dispatched"). `Action.label` stays the past-tense name the timeline records.
ACTION_LABELS: dict[str, str | Promise] = {
    Action.ACCEPT: pgettext_lazy("report action", "Accept"),
    Action.REJECT: pgettext_lazy("report action button", "Reject"),
    Action.DISPATCH: pgettext_lazy("report action", "Dispatch"),
    Action.START: pgettext_lazy("report action", "Start work"),
    Action.HANDLE: pgettext_lazy("report action", "Report the fix"),
    Action.VERIFY: pgettext_lazy("report action", "Pass verification"),
    Action.FAIL_VERIFICATION: pgettext_lazy("report action", "Send back for rework"),
    Action.CLOSE: pgettext_lazy("report action", "Close"),
    Action.DEFER: pgettext_lazy("report action", "Extend the deadline"),
    Action.CONFIRM: pgettext_lazy("report action", "Confirm the fix"),
    Action.DISPUTE: pgettext_lazy("report action", "Dispute the fix"),
    Action.FEEDBACK: pgettext_lazy("report action", "Give feedback"),
}


def action_label(action: str) -> str:
    """The verb a button or a refusal names `action` by."""
    return str(ACTION_LABELS.get(action, Action(action).label))


# The role recorded for a party, when no membership says more.
PARTY_ROLES = {
    Party.COMMUNITY_ADMIN: ActorRole.COMMUNITY_ADMIN,
    Party.GRID_WORKER: ActorRole.GRID_WORKER,
    Party.PLANNER: ActorRole.PLANNER,
    Party.REPORTER: ActorRole.RESIDENT,
}
# Roles that can be dispatched to and act as assignees.
ASSIGNABLE_ROLES = (
    Role.GRID_WORKER,
    Role.PROPERTY_STAFF,
    Role.POLICE_OFFICER,
    Role.PARTY_MEMBER,
    Role.COMMUNITY_ADMIN,
)


def target_status(action: str, status: str) -> str | None:
    """The status `action` leads to from `status`, or None when the table refuses it."""
    return RULES[action].moves.get(status)


def memberships_in(user: Any, community_id: int) -> list[Membership]:
    """The user's active memberships in one community, with their grids' ids."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    return list(
        Membership.objects.filter(user=user, community_id=community_id, is_active=True)
        .order_by("pk")
        .prefetch_related(Prefetch("grids", to_attr="grid_list"))
    )


def staff_parties(
    user: Any, report: Any, memberships: list[Membership] | None = None
) -> dict[Party, str]:
    """The staff parties `user` is to `report`, each with the role they act in."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    if memberships is None:
        memberships = memberships_in(user, report.community_id)
    parties: dict[Party, str] = {}
    for membership in memberships:
        grid_ids = {grid.pk for grid in getattr(membership, "grid_list", membership.grids.all())}
        if membership.role == Role.COMMUNITY_ADMIN:
            parties[ADMIN] = ActorRole.COMMUNITY_ADMIN
        if membership.role == Role.GRID_WORKER and report.grid_id in grid_ids:
            parties[WORKER] = ActorRole.GRID_WORKER
        if membership.role == Role.PLANNER:
            parties[PLANNER] = ActorRole.PLANNER
        in_organisation = (
            report.dispatched_to_organisation_id is not None
            and membership.organisation_id == report.dispatched_to_organisation_id
        )
        if membership.role in ASSIGNABLE_ROLES and (
            in_organisation or report.dispatched_to_user_id == user.pk
        ):
            parties.setdefault(ASSIGNEE, str(membership.role))
    if user.is_superuser:
        parties.setdefault(ADMIN, ActorRole.ADMINISTRATOR)
        if report.dispatched_to_user_id == user.pk:
            parties.setdefault(ASSIGNEE, ActorRole.ADMINISTRATOR)
    return parties


# When someone is several parties at once, the role recorded is the most specific one.
PARTY_PRIORITY = (ASSIGNEE, WORKER, ADMIN, PLANNER, REPORTER)


def acting_role(action: str, parties: dict[Party, str]) -> str | None:
    """The role in which one with `parties` may take `action`, or None if they may not."""
    allowed = RULES[action].parties
    for party in PARTY_PRIORITY:
        if party in allowed and party in parties:
            return parties[party]
    return None


def may_take(action: str, report: Any, user: Any) -> bool:
    """Whether `user` may take `action` on `report` as it stands (status and role)."""
    return (
        target_status(action, report.status) is not None
        and acting_role(action, staff_parties(user, report)) is not None
    )


def available_actions(report: Any, parties: dict[Party, str]) -> list[str]:
    """Staff actions the table allows from the report's status for these parties."""
    return [
        action
        for action in STAFF_ACTIONS
        if report.status in RULES[action].moves and acting_role(action, parties) is not None
    ]


# Steps a party may take but that do not move the report on by default: extending the
# deadline, and handing it to someone else once it has been dispatched.
_NOT_BY_DEFAULT = frozenset({Action.DEFER})


def next_step(report: Any, parties: dict[Party, str]) -> str | None:
    """The step that moves the report on for these parties, the one a console row's button
    and the report page's open form offer; None when it is someone else's turn.

    Never a re-dispatch (a report just dispatched must not wait with its dispatch form
    open), and the work itself (start, handle) only for the one it is dispatched to."""
    for action in available_actions(report, parties):
        if action in _NOT_BY_DEFAULT:
            continue
        if action == Action.DISPATCH and report.status != Status.ACCEPTED:
            continue
        if action in (Action.START, Action.HANDLE) and ASSIGNEE not in parties:
            continue
        return action
    return None
