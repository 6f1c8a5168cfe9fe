# The console's newest-first list over a whole city: ORDER BY submitted_at DESC, id DESC
# LIMIT 25 reads 25 index entries instead of sorting a million rows.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_history"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["-submitted_at", "-id"], name="report_recent"),
        ),
    ]
