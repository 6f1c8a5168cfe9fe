"""Business rules of resident reports (HackSoft style: keyword-only, typed, atomic).

Import the services from here: `from apps.reports.services import report_dispatch`.
"""

from .categories import categories_ensure
from .feedback import report_feedback_add
from .reminders import Reminder, reminders_send
from .steps import (
    DISPUTE_WINDOW_DAYS,
    MAX_DEFER_HOURS,
    notifications_mark_read,
    report_accept,
    report_close,
    report_confirm,
    report_defer,
    report_dispatch,
    report_dispute,
    report_fail_verification,
    report_handle,
    report_reject,
    report_start,
    report_verify,
)
from .submission import MAX_PHOTOS, Submission, report_me_too, report_submit

__all__ = [
    "DISPUTE_WINDOW_DAYS",
    "MAX_DEFER_HOURS",
    "MAX_PHOTOS",
    "Reminder",
    "Submission",
    "categories_ensure",
    "notifications_mark_read",
    "report_accept",
    "report_close",
    "report_confirm",
    "report_defer",
    "report_dispatch",
    "report_dispute",
    "report_feedback_add",
    "report_fail_verification",
    "report_handle",
    "report_me_too",
    "report_reject",
    "report_start",
    "report_submit",
    "report_verify",
    "reminders_send",
]
