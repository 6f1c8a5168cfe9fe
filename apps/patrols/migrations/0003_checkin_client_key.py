from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("patrols", "0002_history"),
    ]

    operations = [
        migrations.AddField(
            model_name="checkin",
            name="client_key",
            field=models.UUIDField(
                blank=True, editable=False, null=True, verbose_name="key sent by the phone"
            ),
        ),
        migrations.AddField(
            model_name="historicalcheckin",
            name="client_key",
            field=models.UUIDField(
                blank=True, editable=False, null=True, verbose_name="key sent by the phone"
            ),
        ),
        migrations.AddConstraint(
            model_name="checkin",
            constraint=models.UniqueConstraint(
                condition=models.Q(("client_key__isnull", False)),
                fields=("instance", "person", "client_key"),
                name="checkin_client_key_once",
            ),
        ),
    ]
