from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff accounts' security: passwords, two-factor sign-in, session expiry, lockout."""

    name = "accounts"
    verbose_name = _("Accounts")
