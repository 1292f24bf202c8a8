"""System checks for invariants of the configuration that Django itself does not know about."""
from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_private_files(app_configs, **kwargs) -> list:
    """Uploaded spreadsheets hold personal data: they must never land where static files are served."""
    private = Path(settings.PRIVATE_ROOT).resolve()
    static = Path(settings.STATIC_ROOT).resolve()
    if private == static or static in private.parents or private in static.parents:
        return [Error("GEFYRA_PRIVATE_ROOT overlaps STATIC_ROOT: uploaded personal data could be served.", id="gefyra.E001")]
    return []


@register()
def check_greek_translations(app_configs, **kwargs) -> list:
    """Staff work in Greek: a missing compiled catalogue would show them English."""
    catalogue = Path(settings.LOCALE_PATHS[0]) / "el" / "LC_MESSAGES" / "django.mo"
    if not catalogue.exists():
        return [Warning(f"{catalogue} is missing: run compilemessages.", id="gefyra.W001")]
    return []
