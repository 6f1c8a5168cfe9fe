"""Seed the extra questions Open311 clients are asked (apps.open311.attribute_defaults)."""

from django.db import migrations

from apps.open311.attribute_defaults import DEFAULT_ATTRIBUTES, attribute_values


def seed(apps, schema_editor):
    category = apps.get_model("reports", "Category")
    attribute = apps.get_model("open311", "ServiceAttribute")
    codes = dict(category.objects.values_list("code", "pk"))
    for row in DEFAULT_ATTRIBUTES:
        if row[0] in codes:
            attribute.objects.get_or_create(
                category_id=codes[row[0]], code=row[1], defaults=attribute_values(row)
            )


def unseed(apps, schema_editor):
    attribute = apps.get_model("open311", "ServiceAttribute")
    for row in DEFAULT_ATTRIBUTES:
        attribute.objects.filter(category__code=row[0], code=row[1]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("open311", "0001_initial"),
        ("reports", "0002_seed_categories"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
