import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("visits", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisitReceipt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.UUIDField(unique=True, verbose_name="idempotency key")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="received at")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                           to=settings.AUTH_USER_MODEL)),
                ("visit", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="receipt",
                                               to="visits.visit")),
            ],
            options={"verbose_name": "visit receipt", "verbose_name_plural": "visit receipts"},
        ),
    ]
