"""The big lists read a page in as many queries however many rows it shows, for staff and supervisors alike."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import ReferralFactory
from tests.workflows.conftest import as_user
from workflows.services import referral_start

LISTS = ["case", "person", "referral", "appointment", "placement", "followup"]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("page", LISTS)
@pytest.mark.parametrize("who", ["intake_officer", "supervisor"])
def test_a_list_reads_as_many_queries_for_three_rows_as_for_thirty(client, request, intake_officer, page, who):
    user = request.getfixturevalue(who)
    url = reverse(f"admin:cases_{page}_changelist")
    searched = f"{url}?q=Παπαδόπουλος"  # the factories' surname: a search by name finds every row too

    def counts(cases: int) -> tuple[int, int]:
        for _ in range(cases):
            referral_start(referral=ReferralFactory(), by=intake_officer)
        as_user(client, user)
        return _queries(client, url), _queries(client, searched)

    counts(1)  # the first request reads what is then cached (the session, content types)
    assert counts(3) == counts(12)
