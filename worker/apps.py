from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "worker"
    verbose_name = _("Notifications")

    def ready(self):
        from tenants.services import PROVISIONING_HOOKS
        from worker.vapid import provisioning_hook

        if provisioning_hook not in PROVISIONING_HOOKS:
            PROVISIONING_HOOKS.append(provisioning_hook)
        # Register the per-brand jobs in every process (web included) so the registry is the
        # same wherever it is read.
        import worker.tasks  # noqa: F401
