"""Partial indexes over the open human tasks, in due-date order, for the queue pages at 100,000 cases.

Open tasks are a small slice of viewflow_task (which keeps every finished step): indexing only them keeps the
indexes small, and their due-date order lets "earliest due first, 50 per page" stop after 50 rows instead of
sorting every open task. The predicates repeat workflows/querysets.py's filters word for word, which SQLite
needs to use a partial index (PostgreSQL would prove it either way); querysets.py writes them as literals.
Pages sort by (scheduled, id), which these indexes deliver without a sort.
"""
from django.db import migrations

INDEXES = {
    # My tasks: mine, earliest due first.
    "gefyra_task_mine_due": "viewflow_task (owner_id, scheduled, id) WHERE flow_task_type = 'HUMAN' AND status = 'ASSIGNED'",
    # My team's queue: unassigned, of my steps, earliest due first.
    "gefyra_task_queue_due": "viewflow_task (scheduled, id, owner_permission) WHERE flow_task_type = 'HUMAN' AND status = 'NEW'",
    # Open tasks and Stuck cases (supervisors), and the overdue sweep.
    "gefyra_task_open_due": "viewflow_task (scheduled, id) WHERE flow_task_type = 'HUMAN' AND status IN ('NEW', 'ASSIGNED')",
}


class Migration(migrations.Migration):
    dependencies = [("workflows", "0004_role_permissions")]
    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {spec};", f"DROP INDEX IF EXISTS {name};")
        for name, spec in INDEXES.items()
    ]
