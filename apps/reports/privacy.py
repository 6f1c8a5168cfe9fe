"""Who may see a report's private details: the reporter's contacts and identity.

Contacts (phone, e-mail) and the name of a reporter who did not ask to stay anonymous are
for the staff handling the report: its community's admins, the grid worker on duty for it
(or covering its grid), the person or organisation it is dispatched to, and superusers.
Planners oversee reports by the figures and see neither; nor does any public surface.
"""

from __future__ import annotations

from typing import Any

from .models import Report
from .workflow import ADMIN, ASSIGNEE, WORKER, staff_parties

HANDLING_PARTIES = (ADMIN, WORKER, ASSIGNEE)


def contacts_visible(user: Any, report: Report, parties: dict[Any, str] | None = None) -> bool:
    """Whether `user` handles `report` and may read its contact details."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or (
        report.duty_worker_id is not None and report.duty_worker_id == user.pk
    ):
        return True
    if parties is None:
        parties = staff_parties(user, report)
    return any(party in parties for party in HANDLING_PARTIES)
