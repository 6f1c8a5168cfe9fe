"""The vocabulary of the handling workflow: statuses, actions and the roles that act.

Kept apart from models and workflow so both can use it; the transition table itself is
apps.reports.workflow.RULES.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    """Where a report stands. The seven steps are 上报 → 受理 → 派遣 → 处置 → 反馈 → 核查 → 结案."""

    SUBMITTED = "submitted", _("Submitted")  # 上报
    ACCEPTED = "accepted", _("Accepted")  # 受理
    REJECTED = "rejected", _("Rejected")  # 不予受理
    DISPATCHED = "dispatched", _("Dispatched")  # 派遣
    IN_PROGRESS = "in_progress", _("In progress")  # 处置
    HANDLED = "handled", _("Handled")  # 反馈
    VERIFIED = "verified", _("Verified")  # 核查
    # Its own context: a report is "closed" as a case (已结案), not as a shop (已关闭).
    CLOSED = "closed", pgettext_lazy("report status", "Closed")  # 结案


# Open: still waiting for someone to fix it. Residents add "me too" to these, and the
# duplicate check looks among them.
OPEN_STATUSES: tuple[str, ...] = (
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.DISPATCHED,
    Status.IN_PROGRESS,
)
# Finished: nothing more is expected of staff (a closed report may still be disputed).
FINISHED_STATUSES: tuple[str, ...] = (Status.REJECTED, Status.CLOSED)


class Action(models.TextChoices):
    """What someone did to a report; each is one row of the transition table."""

    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Rejected")
    DISPATCH = "dispatch", _("Dispatched")
    START = "start", _("Work started")
    HANDLE = "handle", _("Handled, with feedback")
    VERIFY = "verify", _("Verified on site")
    FAIL_VERIFICATION = "fail_verification", _("Verification failed: sent back for rework")
    CLOSE = "close", pgettext_lazy("report status", "Closed")
    DISPUTE = "dispute", _("Disputed by the resident: sent back for rework")
    CONFIRM = "confirm", _("Fix confirmed by the resident")
    DEFER = "defer", _("Deadline extended")
    # News for the resident (e.g. a completed work's note and photos) that leaves the
    # report where it stands.
    FEEDBACK = "feedback", _("Feedback")


class ActorRole(models.TextChoices):
    """The capacity someone acted in; the public timeline shows this, never their name."""

    RESIDENT = "resident", _("Resident")
    GRID_WORKER = "grid_worker", _("Grid worker")
    PROPERTY_STAFF = "property_staff", _("Property staff")
    POLICE_OFFICER = "police_officer", _("Police officer")
    PARTY_MEMBER = "party_member", _("Party member")
    COMMUNITY_ADMIN = "community_admin", _("Community admin")
    PLANNER = "planner", _("Planner")
    ADMINISTRATOR = "administrator", _("System administrator")
    SYSTEM = "system", _("System")


class Stage(models.TextChoices):
    """The three timed stages of the SLA."""

    ACCEPT = "accept", _("acceptance")
    DISPATCH = "dispatch", _("dispatch")
    HANDLE = "handle", _("handling")
