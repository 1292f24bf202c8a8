"""Timeline lines are kinds with translated labels: every kind the code writes has one."""
import io

import pytest
from django.core.management import call_command
from django.utils import translation

from cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def test_every_timeline_kind_has_a_label_in_english_and_greek():
    for action in CaseEvent.Action:
        with translation.override("en"):
            english = str(action.label)
        with translation.override("el"):
            greek = str(action.label)
        assert english != action.value and greek != english, action


def test_the_demo_writes_only_labelled_kinds(settings):
    call_command("demo_data", people=20, stdout=io.StringIO())
    written = set(CaseEvent.objects.values_list("action", flat=True))
    assert written and written <= set(CaseEvent.Action.values), written - set(CaseEvent.Action.values)


def test_a_kind_that_is_not_declared_is_refused():
    from django.core.exceptions import ValidationError

    from tests.factories import CaseFactory

    event = CaseEvent(case=CaseFactory(), action="advanced")
    with pytest.raises(ValidationError):
        event.full_clean()
