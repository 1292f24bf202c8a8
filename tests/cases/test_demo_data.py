import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import ActionPlan, Agency, Case, LegalAdvice, Person, Referral
from cases.roles import Role


@pytest.mark.django_db
def test_demo_data_on_an_empty_database_creates_people_at_every_stage(capsys, client):
    call_command("demo_data")
    out = capsys.readouterr().out
    assert Person.objects.count() == 60
    assert set(Case.objects.values_list("stage", flat=True)) == set(Case.Stage.values)
    assert Agency.objects.filter(name="Κέντρο Κοινότητας Χίου").exists()
    for role in Role:
        assert f"{role.label}" in out or role.value in out
    response = client.post(reverse("admin:login"), {"username": "supervisor", "password": "gefyra-demo-2026"})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    planned = ActionPlan.objects.filter(goals__needs_legal_advice=True).values("case")
    assert LegalAdvice.objects.filter(case__in=planned).count() == planned.count() > 0


@pytest.mark.django_db
def test_demo_data_is_idempotent_and_scales_up(capsys):
    call_command("demo_data", people=30)
    call_command("demo_data", people=30)
    assert Person.objects.count() == 30
    call_command("demo_data", people=45)
    assert Person.objects.count() == Referral.objects.count() == 45
    for person in Person.objects.exclude(amka=None)[:45]:
        person.full_clean()  # the bulk path produces valid AMKA, AFM and phones


@pytest.mark.django_db
def test_demo_data_makes_no_superuser_and_keeps_an_existing_password(capsys):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    call_command("demo_data", people=2)
    assert not User.objects.filter(is_superuser=True).exists()
    supervisor = User.objects.get(username="supervisor")
    supervisor.set_password("a-password-of-her-own-2026")
    supervisor.save()
    call_command("demo_data", people=2)
    supervisor.refresh_from_db()
    assert supervisor.check_password("a-password-of-her-own-2026")


def test_demo_data_refuses_to_run_in_production():
    from tests.test_project import manage

    result = manage("demo_data", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 50)
    assert result.returncode != 0
    assert "DJANGO_DEBUG=1" in result.stderr and "createsuperuser" in result.stderr  # in Greek, the default
