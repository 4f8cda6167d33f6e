from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self):
        from volunteers import tasks  # noqa: F401  (registers the daily per-brand job)
        from worker.kinds import register_kind

        register_kind("vetting_step_pending", label=_("A volunteer's vetting step awaits you"))
        # Not transactional: quiet hours defer it (the daily job may run at night).
        register_kind(
            "background_check_expiring", label=_("Your background check is about to expire")
        )
