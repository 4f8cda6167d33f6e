from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Visit log")

    def ready(self):
        from entraide.demo import DEMO_SEEDERS

        from visits import tasks  # noqa: F401  (registers the daily per-brand job)
        from visits.demo import seed_activity
        from worker.kinds import register_kind

        register_kind("visit_worried", label=_("A volunteer is worried after a visit"))
        register_kind("person_no_contact", label=_("A person has not been contacted for a while"))
        # Apps are made ready in INSTALLED_APPS order: people and matching (whose seeder creates
        # the demo circles) come before visits, so this seeder runs after theirs.
        if seed_activity not in DEMO_SEEDERS:
            DEMO_SEEDERS.append(seed_activity)
