"""The key worker is a counsellor, chosen on the case page, and the choice goes on the timeline."""
import pytest
from django.urls import reverse

from cases.models import Case, CaseEvent
from tests.factories import ReferralFactory, opened_by
from workflows.services import referral_start

pytestmark = pytest.mark.django_db


def _post(client, case, **fields):
    """Post the case page back as the browser would: its inlines' management forms, plus `fields`."""
    url = reverse("admin:cases_case_change", args=[case.pk])
    page = client.get(url)
    formsets = {f"{fs.formset.prefix}-{key}": value for fs in page.context["inline_admin_formsets"]
                for key, value in fs.formset.management_form.initial.items()}
    return page, client.post(url, {**formsets, **fields})


def test_choosing_a_counsellor_as_key_worker_goes_on_the_timeline(client, counsellor, intake_officer):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    opened_by(case, counsellor)
    client.force_login(counsellor)
    page, response = _post(client, case, key_worker=counsellor.pk)
    key_worker = page.context["adminform"].form.fields["key_worker"]
    assert list(key_worker.queryset) == [counsellor]  # not the intake officer, the accountant or the admin
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.key_worker == counsellor
    assert case.events.filter(action=CaseEvent.Action.KEY_WORKER_ASSIGNED, by=counsellor).exists()


def test_someone_who_is_not_a_counsellor_cannot_be_key_worker(client, counsellor, intake_officer):
    case = referral_start(referral=ReferralFactory(), by=intake_officer)
    opened_by(case, counsellor)
    client.force_login(counsellor)
    _page, response = _post(client, case, key_worker=intake_officer.pk)
    assert response.status_code == 200  # the form again, with its error
    assert Case.objects.get(pk=case.pk).key_worker is None
    assert not case.events.filter(action=CaseEvent.Action.KEY_WORKER_ASSIGNED).exists()
