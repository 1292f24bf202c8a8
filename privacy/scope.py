"""Who sees which people and cases: those who work with them, and supervisors.

A staff member sees the cases they are key worker of, the cases with a task of theirs (open, or done by them)
or waiting in their team's queue, and the people of those cases; plus, for the day, a person they opened
with a reason (break-glass). Everything that belongs to a case or a person is seen with it. Supervisors
(`privacy.see_all_cases`) see everyone.

Each rule is a Q with a `prefix`, so a model that reaches the case through a relation filters in one query
with no join fan-out (`case__`, `plan__case__`…).
"""
from __future__ import annotations

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AccessEvent
from audit.services import record
from cases import models as cases
from privacy.models import AccessGrant, CaseMember, LegalHold
from workflows import querysets

# How each model reaches its case, or its person (a referral or an appointment may have no case yet).
CASE_PATHS: dict[type[Model], str] = {
    cases.Case: "", cases.CaseEvent: "case__", cases.NeedsAssessment: "case__", cases.ActionPlan: "case__",
    cases.Goal: "plan__case__", cases.Service: "case__", cases.TrainingEnrolment: "case__",
    cases.LegalAdvice: "case__", cases.AccountingSupport: "case__", cases.ServiceSession: "service__case__",
    cases.Placement: "case__", cases.FollowUp: "placement__case__", cases.ContactNote: "case__",
    cases.NoteCorrection: "note__case__", LegalHold: "case__",
}
PERSON_PATHS: dict[type[Model], str] = {
    cases.Person: "", cases.Referral: "person__", cases.Appointment: "person__", cases.ConsentRecord: "person__",
}
SCOPED = frozenset(CASE_PATHS) | frozenset(PERSON_PATHS)


def sees_all(user) -> bool:
    return user.has_perm("privacy.see_all_cases")


def _ref(prefix: str, name: str) -> OuterRef:
    return OuterRef(f"{prefix}{name}")


def case_scope(user, prefix: str = "") -> Q:
    """The cases `user` may see, as a filter on a model that reaches Case by `prefix`.

    The tasks are read through CaseMember, which the database keeps from them: a long-serving intake officer
    owns hundreds of thousands of tasks, and joining them to their cases for each list cost seconds a page.
    """
    if sees_all(user):
        return Q()
    granted = AccessGrant.objects.filter(user=user, day=timezone.localdate(), person=_ref(prefix, "person_id"))
    return (Q(**{f"{prefix}key_worker": user})
            | Q(Exists(CaseMember.objects.filter(_works_on(user), case=_ref(prefix, "pk"))))
            | Q(Exists(granted)))


def _works_on(user) -> Q:
    """The CaseMember rows of `user`: tasks they own, open or done, and tasks waiting in their teams' queues."""
    return Q(user=user) | Q(permission__in=querysets.step_permissions(user))


def person_scope(user, prefix: str = "") -> Q:
    """The people `user` may see: those of their cases, those opened with a reason today, and for whoever enters
    referrals the people entered but not yet referred (a person's record is made before their referral)."""
    if sees_all(user):
        return Q()
    cases_of_person = cases.Case.objects.filter(person=_ref(prefix, "pk"))
    granted = AccessGrant.objects.filter(user=user, day=timezone.localdate(), person=_ref(prefix, "pk"))
    # case_scope's rule, read per person: CaseMember carries the person, so no case is joined for it.
    rule = (Q(Exists(cases_of_person.filter(key_worker=user)))
            | Q(Exists(CaseMember.objects.filter(_works_on(user), person=_ref(prefix, "pk")))) | Q(Exists(granted)))
    if user.has_perm("cases.add_referral"):
        rule |= ~Q(Exists(cases_of_person))
    return rule


def scoped(queryset: QuerySet, user) -> QuerySet:
    """`queryset` without the rows `user` may not see (models outside the scope pass through)."""
    model = queryset.model
    if sees_all(user) or model not in SCOPED:
        return queryset
    if model in CASE_PATHS:
        return queryset.filter(case_scope(user, CASE_PATHS[model]))
    return queryset.filter(person_scope(user, PERSON_PATHS[model]))


def part_of(model: type[Model], owner: type[Model]) -> bool:
    """Does every row of `model` belong to one `owner` (Case or Person) directly, through a foreign key to it?"""
    path = CASE_PATHS.get(model, PERSON_PATHS.get(model))
    return path == f"{owner._meta.model_name}__" and owner in (cases.Case, cases.Person)


def can_see(user, obj: Model) -> bool:
    return scoped(type(obj)._default_manager.filter(pk=obj.pk), user).exists()


def refused(request, obj: Model) -> Http404:
    """Record in the audit that the user asked for a file out of their scope; return the 404 that answers them."""
    record(request=request, action=AccessEvent.Action.REFUSED, obj=obj)
    return Http404(_("Not found."))
