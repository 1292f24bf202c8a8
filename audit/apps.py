from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

AUDITED_APPS = ["cases", "workflows", "imports", "exports", "privacy"]
# Scaffolding, not a record: an import's keys live only inside its own transaction (and logging their deletion
# turned a 10,000-row dry run from 1.6 s into 11 s: benchmarks/README.md).
NOT_AUDITED = {"imports.EarlierRowKey"}
# Many-to-many fields whose changes the log keeps, per model.
M2M = {"cases.Person": {"vulnerable_groups"}}
# Derived from fields the log already keeps; a copy would show an at-risk person's phone beside its withholding.
EXCLUDED = {"cases.Person": ["search_text"]}


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from auditlog.registry import auditlog
        from django.contrib.auth import signals
        from django.db.models.signals import pre_save

        from audit import context, receivers

        for model in audited_models():
            label = model._meta.label
            auditlog.register(model, m2m_fields=M2M.get(label, set()), exclude_fields=EXCLUDED.get(label, []))
        pre_save.connect(context.stamp, sender=LogEntry, dispatch_uid="audit_channel")
        signals.user_logged_in.connect(receivers.logged_in, dispatch_uid="audit_login")
        signals.user_logged_out.connect(receivers.logged_out, dispatch_uid="audit_logout")
        signals.user_login_failed.connect(receivers.login_failed, dispatch_uid="audit_login_failed")


def audited_models() -> list:
    """Every concrete model of the apps that hold personal or case data (viewflow's task proxies are lists)."""
    return [model for label in AUDITED_APPS for model in apps.get_app_config(label).get_models()
            if model._meta.managed and not model._meta.proxy and model._meta.label not in NOT_AUDITED]
