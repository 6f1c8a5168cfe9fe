"""Seed the report categories with their SLA hours (apps.reports.category_defaults)."""

from django.db import migrations

from apps.reports.category_defaults import DEFAULT_CATEGORIES, category_values


def seed(apps, schema_editor):
    category = apps.get_model("reports", "Category")
    for order, row in enumerate(DEFAULT_CATEGORIES, start=1):
        category.objects.get_or_create(code=row[0], defaults=category_values(order, row))


def unseed(apps, schema_editor):
    category = apps.get_model("reports", "Category")
    # Only categories no report uses: reports are never deleted to undo a migration.
    codes = [row[0] for row in DEFAULT_CATEGORIES]
    category.objects.filter(code__in=codes, reports__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
