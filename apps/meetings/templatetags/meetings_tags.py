"""Template tags of joint meetings.

`{% report_outcomes report as outcomes %}` gives the published meeting outcomes about a
report, so the reports app's tracking page shows them with one include and no change to
its view: `{% include "meetings/report_outcomes.html" %}`.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from ..selectors import PublishedOutcome, published_outcomes_for

register = template.Library()


@register.simple_tag
def report_outcomes(report: Any) -> list[PublishedOutcome]:
    if report is None or getattr(report, "pk", None) is None:
        return []
    return published_outcomes_for(report)


@register.filter
def yuan(amount: Any) -> str:
    """12,345.00 → "12,345 yuan" (元); cents only when there are any."""
    if amount in (None, ""):
        return ""
    text = f"{amount:,.2f}"
    if text.endswith(".00"):
        text = text[:-3]
    return _("%(amount)s yuan") % {"amount": text}
