"""Personas: one staff member per role, and an outsider with no role."""
from __future__ import annotations

import pytest

from cases.roles import Role
from tests.factories import UserFactory


def _staff(username: str, *roles: Role):
    return UserFactory(username=username, roles=[r.value for r in roles])


@pytest.fixture
def intake_officer(db):
    return _staff("intake", Role.INTAKE_OFFICER)


@pytest.fixture
def counsellor(db):
    return _staff("counsellor", Role.COUNSELLOR)


@pytest.fixture
def training_officer(db):
    return _staff("trainer", Role.TRAINING_OFFICER)


@pytest.fixture
def legal_adviser(db):
    return _staff("lawyer", Role.LEGAL_ADVISER)


@pytest.fixture
def accountant(db):
    return _staff("accountant", Role.ACCOUNTANT)


@pytest.fixture
def placement_officer(db):
    return _staff("placement", Role.PLACEMENT_OFFICER)


@pytest.fixture
def supervisor(db):
    return _staff("supervisor", Role.SUPERVISOR)


@pytest.fixture
def data_protection_officer(db):
    return _staff("dpo", Role.DATA_PROTECTION_OFFICER)


@pytest.fixture
def outsider(db):
    """A staff account with no role: sees nothing."""
    return _staff("outsider")


@pytest.fixture(autouse=True, scope="session")
def _flush_may_purge_the_audit():
    """A transactional test ends with a flush of every table; the audit's triggers let it through only in purging()."""
    from django.core.management.commands import flush

    from audit.purge import purging

    handle = flush.Command.handle

    def purging_handle(self, **options):
        with purging(options["database"]):
            return handle(self, **options)

    flush.Command.handle = purging_handle
    yield
    flush.Command.handle = handle
