"""common.sql.insert_objects: bulk_create's rows and keys, on SQLite (RETURNING) and PostgreSQL (a sequence, COPY)."""
import pytest

from cases.models import Person
from common.sql import insert_objects
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_the_rows_are_written_with_their_keys_and_the_next_save_takes_a_new_key():
    people = [PersonFactory.build(first_name=f"Άννα{n}", email=f"a{n}@example.gr") for n in range(3)]
    insert_objects(people)
    assert [p.pk for p in people] == sorted({p.pk for p in people}) and not people[0]._state.adding
    stored = Person.objects.in_bulk([p.pk for p in people])
    assert [(stored[p.pk].first_name, stored[p.pk].amka, stored[p.pk].consent_processing_at) for p in people] == [
        (p.first_name, p.amka, p.consent_processing_at) for p in people
    ]
    later = PersonFactory()  # the sequence (PostgreSQL) or the rowid moved on: no key is reused
    assert later.pk > max(p.pk for p in people)
