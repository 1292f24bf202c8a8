"""Indexes viewflow's own tables lack, for task queues of 100,000 cases.

RunSQL on viewflow's tables (we cannot add Meta.indexes to a third-party model); the statements are plain
CREATE INDEX IF NOT EXISTS, which SQLite and PostgreSQL both accept.
"""
from django.db import migrations

INDEXES = {
    "gefyra_process_flow_class": "viewflow_process (flow_class)",
    "gefyra_task_flow_task": "viewflow_task (flow_task)",
    # flow_task_type alone ("HUMAN" is most rows) misleads SQLite's planner; leading a composite it is selective.
    "gefyra_task_flow_task_type": "viewflow_task (flow_task_type, status, owner_id, scheduled)",
    "gefyra_task_owner_permission": "viewflow_task (owner_permission)",
    # My team's queue: unassigned tasks of my steps, earliest due first.
    "gefyra_task_queue": "viewflow_task (owner_permission, status, scheduled)",
    # My tasks: mine, earliest due first.
    "gefyra_task_inbox": "viewflow_task (owner_id, status, scheduled)",
    # Stuck cases and the overdue sweep: open tasks by due date.
    "gefyra_task_due": "viewflow_task (status, scheduled)",
}


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_service_levels"), ("viewflow", "0015_task_scheduled")]
    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {spec};", f"DROP INDEX IF EXISTS {name};")
        for name, spec in INDEXES.items()
    ]
