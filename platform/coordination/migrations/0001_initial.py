import uuid

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("visits", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ConcernAcknowledgement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("public_id", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                ("acknowledged_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="acknowledged at")),
                ("note", models.TextField(blank=True, max_length=2000, verbose_name="what was done")),
                ("acknowledged_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="acknowledged by")),
                ("visit", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="acknowledgement", to="visits.visit", verbose_name="visit")),
            ],
            options={
                "verbose_name": "acknowledged concern",
                "verbose_name_plural": "acknowledged concerns",
                "ordering": ("-acknowledged_at", "-id"),
            },
        ),
    ]
