from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdayConfig(AppConfig):
    name = "workday"
    verbose_name = _("My day")
