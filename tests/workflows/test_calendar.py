import datetime

from workflows.calendar import is_working_day, working_days_after, working_days_before
from workflows.models import ServiceLevel


def test_weekends_and_greek_holidays_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 3, 7))  # Saturday
    assert not is_working_day(datetime.date(2026, 4, 13))  # Orthodox Easter Monday
    assert not is_working_day(datetime.date(2026, 6, 1))  # Whit Monday (Αγίου Πνεύματος)
    assert not is_working_day(datetime.date(2026, 2, 23))  # Clean Monday
    assert is_working_day(datetime.date(2026, 4, 14))


def test_two_working_days_from_maundy_thursday_skip_good_friday_the_weekend_and_easter_monday():
    assert working_days_after(datetime.date(2026, 4, 9), 2) == datetime.date(2026, 4, 15)


def test_working_days_before_skips_the_weekend():
    assert working_days_before(datetime.date(2026, 3, 9), 1) == datetime.date(2026, 3, 6)


def test_service_level_defaults_are_seeded_and_editable(db):
    assert ServiceLevel.days_for("referral_review") == 2
    assert ServiceLevel.days_for("intake") == 5
    assert ServiceLevel.days_for("counselling") == 10
    ServiceLevel.objects.filter(step="intake").update(working_days=3)
    assert ServiceLevel.days_for("intake") == 3
