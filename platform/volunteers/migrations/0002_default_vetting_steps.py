"""The default pipeline: charter signed -> interview -> validated. Carried into every brand by the
template schema's clone; brand admins change it afterwards (admin / API)."""

from django.db import migrations

DEFAULT_STEPS = [
    ("charter", "Charte signée", "charter", 10),
    ("interview", "Entretien", "interview", 20),
    ("validated", "Validation", "validation", 30),
]


def create_default_steps(apps, schema_editor):
    VettingStep = apps.get_model("volunteers", "VettingStep")
    for key, name, kind, position in DEFAULT_STEPS:
        VettingStep.objects.get_or_create(key=key, defaults={"name": name, "kind": kind, "position": position})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]
    operations = [migrations.RunPython(create_default_steps, migrations.RunPython.noop)]
