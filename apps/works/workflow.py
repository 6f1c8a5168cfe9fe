"""The life of a work: its statuses and the ONE table of moves between them.

    proposed → approved → under construction → completed → accepted → open to the public
                                                         ↘───────────↗
    approved / under construction ⇄ suspended (resume returns to where it was)
    proposed / approved / under construction / suspended → cancelled

`apps.works.services.work_transition` is the only code that applies this table.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")  # 拟建
    APPROVED = "approved", _("Approved")  # 已立项
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")  # 施工中
    SUSPENDED = "suspended", pgettext_lazy("work status", "Suspended")  # 已停工
    COMPLETED = "completed", _("Completed")  # 完工
    # A context of its own: a report's "Accepted" (已受理) is another word in Chinese.
    ACCEPTED = "accepted", pgettext_lazy("work status", "Accepted")  # 已验收
    OPEN_TO_PUBLIC = "open_to_public", pgettext_lazy("work status", "Open to the public")  # 已开放
    CANCELLED = "cancelled", _("Cancelled")  # 取消


S = WorkStatus
# A site counts towards its programme once built: completed, accepted or open.
DONE_STATUSES = frozenset({S.COMPLETED, S.ACCEPTED, S.OPEN_TO_PUBLIC})
# Still to be built: these can be late.
ACTIVE_STATUSES = frozenset({S.PROPOSED, S.APPROVED, S.UNDER_CONSTRUCTION, S.SUSPENDED})
# What anonymous visitors may see: decided works, not proposals or cancelled ones.
PUBLIC_STATUSES = frozenset(
    {S.APPROVED, S.UNDER_CONSTRUCTION, S.SUSPENDED, S.COMPLETED, S.ACCEPTED, S.OPEN_TO_PUBLIC}
)
# Statuses a suspended work can resume to: the one it was suspended from.
RESUMABLE = frozenset({S.APPROVED, S.UNDER_CONSTRUCTION})

# Map and legend colour of each status (colour-blind-safe-ish: hue and lightness both vary).
STATUS_COLOURS: dict[str, str] = {
    S.PROPOSED: "#9e9e9e",
    S.APPROVED: "#1e88e5",
    S.UNDER_CONSTRUCTION: "#fb8c00",
    S.SUSPENDED: "#8e24aa",
    S.COMPLETED: "#43a047",
    S.ACCEPTED: "#2e7d32",
    S.OPEN_TO_PUBLIC: "#00695c",
    S.CANCELLED: "#5d4037",
}


@dataclass(frozen=True)
class Move:
    """One allowed action: from which statuses, to which status (None: back where it was)."""

    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str | None


# THE transition table. Order is the order of the buttons on the work page; a label is the
# verb the button says ("Suspend"), never the status it leads to ("Suspended").
MOVES: tuple[Move, ...] = (
    Move("approve", _("Approve"), frozenset({S.PROPOSED}), S.APPROVED),
    Move("start", _("Start construction"), frozenset({S.APPROVED}), S.UNDER_CONSTRUCTION),
    Move("complete", _("Mark completed"), frozenset({S.UNDER_CONSTRUCTION}), S.COMPLETED),
    Move("accept", _("Accept (inspection passed)"), frozenset({S.COMPLETED}), S.ACCEPTED),
    Move(
        "open",
        pgettext_lazy("work action", "Open it to the public"),
        frozenset({S.COMPLETED, S.ACCEPTED}),
        S.OPEN_TO_PUBLIC,
    ),
    Move(
        "suspend",
        pgettext_lazy("work action", "Suspend"),
        frozenset({S.APPROVED, S.UNDER_CONSTRUCTION}),
        S.SUSPENDED,
    ),
    Move("resume", _("Resume"), frozenset({S.SUSPENDED}), None),
    Move(
        "cancel",
        _("Cancel"),
        frozenset({S.PROPOSED, S.APPROVED, S.UNDER_CONSTRUCTION, S.SUSPENDED}),
        S.CANCELLED,
    ),
)
MOVES_BY_ACTION: dict[str, Move] = {move.action: move for move in MOVES}


def moves_from(status: str) -> list[Move]:
    """The moves a work in `status` may make, in button order."""
    return [move for move in MOVES if status in move.sources]
