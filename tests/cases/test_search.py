"""The search box routed by what was typed: one indexable comparison per search, on every list that has it."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Person
from cases.search import named
from tests.factories import CaseFactory, PersonFactory, ReferralFactory


def _found(client, page: str, term: str) -> list:
    response = client.get(reverse(f"admin:cases_{page}_changelist"), {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def _list_sql(client, page: str, term: str) -> str:
    """The SQL of the page's list query (the one that reads the rows shown)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(f"admin:cases_{page}_changelist"), {"q": term})
    table = f"cases_{page}"
    selects = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT") and f'FROM "{table}"' in q["sql"]]
    return selects[-1]


@pytest.fixture
def three(db):
    """Three cases whose people differ in every identifier."""
    people = [
        PersonFactory(last_name="Καραγιάννη", first_name="Δέσποινα", afm="123456783", document_number="ΑΚ123456"),
        PersonFactory(last_name="Οικονόμου", first_name="Μαρία", afm=None, email="maria@example.org"),
        PersonFactory(last_name="Παπαδάκης", first_name="Νίκος", afm=None),
    ]
    return [CaseFactory(person=p) for p in people]


@pytest.mark.django_db
def test_an_amka_finds_its_person_and_case_by_the_unique_index(client, supervisor, three):
    client.force_login(supervisor)
    wanted = three[1]
    assert _found(client, "case", wanted.person.amka) == [wanted]
    assert _found(client, "person", f" {wanted.person.amka} ") == [wanted.person]
    sql = _list_sql(client, "case", wanted.person.amka)
    assert '"amka" = ' in sql and "LIKE" not in sql and "UPPER" not in sql


@pytest.mark.django_db
def test_an_afm_and_a_document_number_find_their_person(client, supervisor, three):
    client.force_login(supervisor)
    assert _found(client, "person", "123456783") == [three[0].person]
    assert _found(client, "person", "ΑΚ123456") == [three[0].person]
    assert "LIKE" not in _list_sql(client, "person", "123456783")


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["{}", "#{}"])
def test_a_case_number_finds_that_case_and_its_person(client, supervisor, three, typed):
    client.force_login(supervisor)
    wanted = three[2]
    assert _found(client, "case", typed.format(wanted.pk)) == [wanted]
    assert _found(client, "person", typed.format(wanted.pk)) == [wanted.person]
    assert "LIKE" not in _list_sql(client, "case", typed.format(wanted.pk))


@pytest.mark.django_db
def test_a_name_is_matched_on_the_folded_text_alone(client, supervisor, three):
    client.force_login(supervisor)
    assert _found(client, "case", "ΚΑΡΑΓΙΑΝΝΗ δεσποινα") == [three[0]]
    assert _found(client, "person", "maria@example") == [three[1].person]
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:cases_case_changelist"), {"q": "Καραγιάννη"})
    [sql] = [q["sql"] for q in queries.captured_queries if "search_text" in q["sql"].partition("WHERE")[2]]
    # One comparison, on the column the trigram index covers: no OR with the AMKA, the id or the e-mail.
    assert " OR " not in sql and "amka" not in sql.split("WHERE")[1]


@pytest.mark.django_db
def test_a_partners_reference_finds_its_referral(client, supervisor):
    referral = ReferralFactory(agency_ref="ΚΚΧ-2026/015")
    ReferralFactory(agency_ref="ΚΚΧ-2026/016")
    client.force_login(supervisor)
    assert _found(client, "referral", "ΚΚΧ-2026/015") == [referral]
    assert _found(client, "referral", referral.person.last_name.upper()) != []


@pytest.mark.django_db
def test_the_task_queue_search_ignores_accents(client, supervisor, three):
    from workflows.services import referral_take_in

    referral = ReferralFactory(person=PersonFactory(last_name="Αλεξίου", first_name="Ελένη"))
    referral_take_in(referral=referral, by=supervisor)
    client.force_login(supervisor)
    response = client.get(reverse("admin:workflows_teamtask_changelist"), {"q": "ΑΛΕΞΙΟΥ"})
    assert [t.process.caseprocess.case.person for t in response.context["cl"].result_list] == [referral.person]


@pytest.mark.django_db
def test_a_name_search_is_answered_from_an_index(three):
    """The trigram index on PostgreSQL, the FTS5 trigram table on SQLite: never a read of every person."""
    sql, params = named(Person.objects.order_by(), "καραγ").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Three rows would be read whole, or through the list's order: only the bitmap scans an index like this offers.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            assert "person_search_trigram" in "\n".join(row[0] for row in cursor.fetchall())
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            assert "cases_person_search VIRTUAL TABLE INDEX" in "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.django_db
def test_the_name_index_follows_every_write_to_a_person(three):
    person = three[0].person
    assert list(named(Person.objects.all(), "δεσποινα")) == [person]
    person.first_name = "Ευανθία"
    person.save()
    assert list(named(Person.objects.all(), "δεσποινα")) == [] and list(named(Person.objects.all(), "ευανθια")) == [person]
    three[0].delete()
    person.delete()
    assert list(named(Person.objects.all(), "ευανθια")) == []


@pytest.mark.django_db
def test_a_name_search_keeps_the_lists_filters_and_the_scope_checking_the_scope_once(client, intake_officer):
    from workflows.services import referral_start

    mine = [referral_start(referral=ReferralFactory(person=PersonFactory(last_name="Ζαφειρίου", sex=sex)), by=intake_officer)
            for sex in ("F", "M")]
    elsewhere = CaseFactory(person=PersonFactory(last_name="Ζαφειρίου", sex="F"))  # nobody's task of hers is the officer's
    client.force_login(intake_officer)
    response = client.get(reverse("admin:cases_person_changelist"), {"q": "ζαφειριου", "sex__exact": "F"})
    assert list(response.context["cl"].result_list) == [mine[0].person]
    assert elsewhere.person not in _found(client, "person", "ζαφειριου")
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("admin:cases_person_changelist"), {"q": "ζαφειριου"})
    # The matches' ids are read within the scope; the page and its count read those ids alone.
    assert sum("privacy_casemember" in q["sql"] for q in queries.captured_queries) == 1
