"""Small template filters of the works pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from apps.works.workflow import STATUS_COLOURS

register = template.Library()


@register.filter
def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "#9e9e9e")


@register.filter
def get_field_label(form: Any, name: str) -> str:
    field = form.fields.get(name)
    return f"{field.label}: " if field is not None else ""


@register.filter
def abs_int(value: Any) -> int:
    return abs(int(value))


@register.filter
def yuan(value: Any) -> str:
    """Yuan with thousands separators: ¥2,000,000 (cents only when there are any)."""
    if value is None or value == "":
        return "—"
    amount = Decimal(value)
    if amount == amount.to_integral_value():
        return f"¥{amount:,.0f}"
    return f"¥{amount:,.2f}"


@register.filter
def timeline_height(count: Any) -> int:
    """Pixels for a timeline of `count` bars: room for the axis and legend, 26 px a bar."""
    return 70 + 26 * int(count)
