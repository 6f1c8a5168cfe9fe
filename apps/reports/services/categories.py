"""Report categories."""

from __future__ import annotations

from django.db import transaction

from ..category_defaults import DEFAULT_CATEGORIES, category_values
from ..models import Category


@transaction.atomic
def categories_ensure() -> int:
    """Add the default categories that are missing (never changes existing ones); returns
    how many were added."""
    existing = set(Category.objects.values_list("code", flat=True))
    missing = [
        Category(code=row[0], **category_values(order, row))
        for order, row in enumerate(DEFAULT_CATEGORIES, start=1)
        if row[0] not in existing
    ]
    Category.objects.bulk_create(missing)
    return len(missing)
