"""`{% opening_hours text %}`: "开放时间 08:30–22:00 · 正在开放" with the state in words."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ..hours import open_now, parse_daily_hours

register = template.Library()


@register.simple_tag
def opening_hours(text: str, label: bool = True) -> str:
    """The hours as written, with "open now" / "closed now" where the text can be read.

    The state is said in words and marked with a class, never by colour alone.
    """
    if not text:
        return ""
    prefix = format_html("{} ", _("Opening hours")) if label else ""
    state = open_now(text)
    if state is None:
        return format_html('<span class="gm-hours">{}{}</span>', prefix, text)
    hours = parse_daily_hours(text)
    if state:
        words = _("open now")
    elif hours is not None and hours.opens is not None:
        words = _("closed now, opens at %(time)s") % {"time": hours.opens.strftime("%H:%M")}
    else:
        words = _("closed now")
    return format_html(
        '<span class="gm-hours">{}{} · <strong class="gm-hours-{}">{}</strong></span>',
        prefix,
        text,
        "open" if state else "closed",
        words,
    )
