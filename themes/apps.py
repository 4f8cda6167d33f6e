from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemesConfig(AppConfig):
    name = "themes"
    verbose_name = _("Themes")

    def ready(self):
        from tenants.services import PROVISIONING_HOOKS
        from themes.services import provisioning_hook

        if provisioning_hook not in PROVISIONING_HOOKS:
            PROVISIONING_HOOKS.append(provisioning_hook)
        try:
            from entraide.demo import DEMO_SEEDERS

            from themes.demo import seed_theme
        except ImportError:  # pragma: no cover - demo module absent in a trimmed deployment
            return
        if seed_theme not in DEMO_SEEDERS:
            DEMO_SEEDERS.append(seed_theme)
