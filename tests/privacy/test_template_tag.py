"""The task pages show an at-risk person's phone only to her key worker and supervisors."""
import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tests.factories import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _render(user, person) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return Template('{% load privacy %}{% shown person "phone" %}').render(Context({"request": request, "person": person}))


def test_the_phone_of_an_at_risk_person_is_for_her_key_worker(counsellor, supervisor, intake_officer):
    person = PersonFactory(at_risk=True, phone="+306970000004")
    CaseFactory(person=person, key_worker=counsellor)
    assert _render(counsellor, person) == "+306970000004"
    assert _render(supervisor, person) == "+306970000004"
    assert "6970000004" not in _render(intake_officer, person)
