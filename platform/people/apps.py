from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Accompanied people")

    def ready(self):
        from entraide.demo import DEMO_SEEDERS

        from people.demo import seed_engagement

        if seed_engagement not in DEMO_SEEDERS:
            DEMO_SEEDERS.append(seed_engagement)
