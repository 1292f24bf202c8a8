"""The case flow: referral → intake → counselling → services → placement → follow-ups → closed.

Each human node is built from its declaration in workflows/steps.py. Staff do the steps from the admin's task
page (workflows/views.py), which calls the step's service; the services set the process flags the gateways
below read, then execute the task.
"""
from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import act, flow

from workflows import calendar, steps
from workflows.lock import process_row_lock
from workflows.models import CaseProcess, ServiceLevel


def _human(step: steps.Step) -> flow.View:
    # The admin is the only UI, so nodes carry no viewflow view; onCreate sets the due date.
    return flow.View(None).Annotation(title=step.label).Permission(f"workflows.{step.permission}").onCreate(this.set_due_date)


def _services_split() -> flow.Split:
    split = flow.Split()
    for step in steps.SERVICES:
        split.Next(getattr(this, step.name), case=lambda activation, step=step: activation.process.needs(step))
    # "None needed" goes straight on; otherwise the Join waits for the branches that started.
    return split.Always(this.services_done)


class CaseFlow(flow.Flow):
    """Case

    A person referred by a partner agency, from the referral to a job that lasts.
    """

    process_class = CaseProcess
    process_title = _("Case")
    # A Join follows parallel services: without a row lock two branches finishing together join twice.
    # Ours rather than lock.select_for_update_lock, which breaks inside an outer transaction (see workflows/lock.py).
    lock_impl = process_row_lock

    start = flow.StartHandle(this.start_case).Next(this.referral_review)

    # intake officer
    referral_review = _human(steps.REFERRAL_REVIEW).Next(this.check_accepted)
    check_accepted = flow.If(act.process.is_accepted).Then(this.intake).Else(this.end)

    intake = _human(steps.INTAKE).Next(this.check_contact)
    check_contact = flow.If(act.process.lost_contact).Then(this.end).Else(this.counselling)

    # counsellor
    counselling = _human(steps.COUNSELLING).Next(this.services)

    # training officer, legal adviser, accountant: only what the plan asks for, in parallel
    services = _services_split()
    # One node per service step (training, legal_advice, accounting), each leading to the Join.
    locals().update({step.name: _human(step).Next(this.services_done) for step in steps.SERVICES})
    services_done = flow.Join().Next(this.placement)

    # placement officer
    placement = _human(steps.PLACEMENT).Next(this.check_ready)
    check_ready = flow.If(act.process.ready_for_work).Then(this.follow_up_wait).Else(this.counselling)

    follow_up_wait = flow.Timer(this.next_follow_up_at).Next(this.follow_up)
    follow_up = _human(steps.FOLLOW_UP).Next(this.check_follow_up)
    check_follow_up = (
        flow.Switch()
        .Case(this.placement, cond=act.process.lost_job)
        .Case(this.follow_up_wait, cond=act.process.has_follow_up_pending)
        .Default(this.end)
    )

    # key worker (or the counsellors' queue): a new referral for a case already under way. It leads nowhere:
    # it is considered beside the case's own steps, which go on (workflows.services.referral_join creates it).
    consider_referral = _human(steps.CONSIDER_REFERRAL).Assign(this.key_worker_of)

    end = flow.End()

    def start_case(self, activation, *, case, referral):
        activation.process.case = case
        activation.process.referral = referral
        return activation.process

    def set_due_date(self, activation):
        task = activation.task
        task.scheduled = ServiceLevel.due_at(task.flow_task.name)
        task.assigned = timezone.now() if task.owner_id else None
        task.save(update_fields=["scheduled", "assigned"])

    def key_worker_of(self, activation):
        return activation.process.case.key_worker

    def next_follow_up_at(self, activation):
        """Wake up on the morning the next follow-up falls due."""
        return calendar.start_of_day(activation.process.next_follow_up.due_on)
