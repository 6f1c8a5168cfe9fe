"""Completion feedback from a work to the resident reports that motivated it.

When a work is completed, each linked report gets the completion note and photos on its
tracking page, and the resident is told. Where the reports workflow lets the person
completing the work handle the report (it was dispatched, and they are a party to it), the
report is handled (`report_handle`: 反馈, "handled, with feedback") and moves on; otherwise
the note and photos are added as feedback that leaves its status alone
(`report_feedback_add`), so a report still waiting for dispatch, or one that a planner
cannot handle, hears of the work all the same. Only a genuine failure (the person has no
role in the report's community any more, a note too long...) is kept on the link and shown
on the work's page, where "send the feedback again" retries it: nothing is silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.reports.errors import TransitionNotAllowedError
from apps.reports.services import report_feedback_add, report_handle
from apps.reports.states import Action
from apps.reports.workflow import may_take

from .models import WorkPhoto, WorkReport


def feedback_text(work: Any, note: str) -> str:
    """What the resident reads: the work's name and the completion note (in Chinese, the
    language of the tracking page by default)."""
    with translation.override(settings.LANGUAGE_CODE):
        if note.strip():
            return _("Work “%(work)s” completed: %(note)s") % {
                "work": work.name,
                "note": note.strip(),
            }
        return _("Work “%(work)s” has been completed.") % {"work": work.name}


def _problem(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", None) or error)


def _deliver(report: Any, *, by: Any, text: str, files: Sequence[Any], work: Any) -> Any:
    """Handle the report when the workflow lets `by` do so now, else add the feedback
    without moving it; the recorded step either way."""
    if may_take(Action.HANDLE, report, by):
        handled = report_handle(report=report, actor=by, feedback=text, photos=files)
        return handled.transitions.filter(action=Action.HANDLE).order_by("-at", "-pk").first()
    return report_feedback_add(
        report=report, actor=by, note=text, photos=files, source_label=work.name
    )


def completion_feedback_send(
    *, work: Any, change: Any, photos: Sequence[WorkPhoto], by: Any
) -> int:
    """Give each linked report not yet told the completion note and photos; return how many
    received it. Failures are recorded on their link (`feedback_problem`), not raised."""
    links = work.report_links.select_related("report").filter(feedback_at__isnull=True)
    text = feedback_text(work, change.note)
    sent = 0
    for link in links:
        try:
            # A savepoint: a refusal by the reports workflow leaves the work's change intact.
            with transaction.atomic():
                files = [photo.image.open("rb") for photo in photos]
                step = _deliver(link.report, by=by, text=text, files=files, work=work)
        except (TransitionNotAllowedError, PermissionDenied, ValidationError) as error:
            link.feedback_problem = _problem(error)
            link.save(update_fields=["feedback_problem"])
            continue
        finally:
            for photo in photos:
                photo.image.close()
        link.feedback_at = timezone.now()
        link.feedback_transition = step
        link.feedback_problem = ""
        link.save(update_fields=["feedback_at", "feedback_transition", "feedback_problem"])
        sent += 1
    return sent


def pending_links(work: Any) -> Sequence[WorkReport]:
    return list(work.report_links.select_related("report").filter(feedback_at__isnull=True))
