from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching and circles")

    def ready(self):
        from matching import tasks  # noqa: F401  (registers the daily per-brand expiry job)
        from worker.kinds import register_kind

        register_kind("proposal_created", label=_("A coordinator proposes a person to you"))
        register_kind("proposal_answered", label=_("A volunteer answered a proposal"))
        register_kind("match_confirmed", label=_("Your match is confirmed"))
