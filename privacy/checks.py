"""Every field of our models is classified in privacy.fields.REGISTRY."""
from __future__ import annotations

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
