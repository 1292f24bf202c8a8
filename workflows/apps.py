from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowsConfig(AppConfig):
    name = "workflows"
    verbose_name = _("Workflow")

    def ready(self) -> None:
        # Import the flow now so viewflow's system checks (Join without a lock: W001) see it.
        from workflows import flows  # noqa: F401
