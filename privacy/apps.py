from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from privacy.checks import check_fields_classified, check_retention_periods

        checks.register(check_fields_classified)
        checks.register(check_retention_periods)
