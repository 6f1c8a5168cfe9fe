"""Public feedback that leaves a report where it stands (反馈, without a status change).

Used when news for the resident comes from elsewhere than the report's own handling, e.g. a
completed work that the report asked for (apps.works): the note and photos appear on the
tracking page and the reporter is told, whatever the report's status.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User

from ..models import Report, ReportTransition
from ..states import Action
from .transition import _apply, _labels, _tell_reporter


@transaction.atomic
def report_feedback_add(
    *,
    report: Report,
    actor: User,
    note: str,
    photos: Sequence[Any] = (),
    source_label: str = "",
    at: datetime.datetime | None = None,
) -> ReportTransition:
    """Record public feedback (note, photos) on `report` without changing its status.

    Staff with a role in the report (community admin, planner of its community, grid worker
    of its grid, whoever it is dispatched to) may give it; others get PermissionDenied. The
    step is recorded in the actor's role; the reporter is told in the app and by e-mail.
    `source_label` names where the feedback comes from (e.g. a work) in the e-mail subject.
    Returns the recorded step.
    """
    report, step = _apply(
        report=report, action=Action.FEEDBACK, actor=actor, note=note, photos=photos, at=at
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Your report %(code)s (%(category)s) has new feedback: %(note)s") % {
            **_labels(report),
            "note": step.note,
        }
        if source_label:
            subject = _("Report %(code)s: feedback from %(source)s") % {
                **_labels(report),
                "source": source_label,
            }
        else:
            subject = _("Report %(code)s: new feedback") % _labels(report)
        _tell_reporter(report, text, email_subject=subject)
    return step
