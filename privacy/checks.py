"""Every field of our models is classified in privacy.fields.REGISTRY."""
from __future__ import annotations

from django.conf import settings
from django.core import checks

from privacy.fields import our_models, unclassified


def check_fields_classified(app_configs=None, **kwargs) -> list[checks.Error]:
    return [
        checks.Error(
            f"{model._meta.label}.{name} is not classified.",
            hint="Add it to privacy.fields.REGISTRY under its category of personal data.",
            obj=model,
            id="privacy.E001",
        )
        for model in our_models()
        for name in unclassified(model)
    ]


def check_retention_periods(app_configs=None, **kwargs) -> list[checks.Error]:
    """A misspelt outcome in GEFYRA_RETENTION_DAYS would silently keep its cases for the default period."""
    from cases.models import Case

    unknown = set(settings.GEFYRA_RETENTION_DAYS) - {"default", *Case.Outcome.values}
    return [checks.Error(
        f"GEFYRA_RETENTION_DAYS names unknown outcomes: {', '.join(sorted(unknown))}.",
        hint=f"Use 'default' or one of: {', '.join(Case.Outcome.values)}.", id="privacy.E002",
    )] if unknown else []
