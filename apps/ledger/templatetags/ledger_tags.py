"""Money as people read it: ¥12,000.00, exact (Decimal, never float)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value: object) -> str:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    sign = "−" if amount < 0 else ""
    return f"{sign}¥{abs(amount):,.2f}"
