from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from worker.kinds import register_kind

        register_kind("vetting_step_pending", label=_("A volunteer's vetting step awaits you"))
