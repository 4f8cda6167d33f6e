from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutingsConfig(AppConfig):
    name = "outings"
    verbose_name = _("Outings")

    def ready(self):
        from outings import tasks  # noqa: F401  (registers the hourly per-brand reminder job)
        from worker.kinds import register_kind

        register_kind("outing_reminder", label=_("Reminder the day before an outing"))
        register_kind("outing_cancelled", label=_("An outing you signed up for is cancelled"))
        register_kind(
            "outing_changed", label=_("An outing you signed up for changes date or place")
        )
