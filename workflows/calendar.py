"""Working days at the centre: Monday to Friday, except Greek public holidays."""
from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.utils import timezone


@lru_cache(maxsize=16)
def _greek_holidays(year: int) -> frozenset[datetime.date]:
    # `holidays` computes the Orthodox Easter: Clean Monday, Good Friday, Easter and Whit Monday move each year.
    return frozenset(holidays.country_holidays("GR", years=year))


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _greek_holidays(day.year)


def working_days_after(start: datetime.date, days: int) -> datetime.date:
    """Return the date `days` working days after `start` (0: `start` itself, or the next working day)."""
    day = start
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    for _ in range(days):
        day += datetime.timedelta(days=1)
        while not is_working_day(day):
            day += datetime.timedelta(days=1)
    return day


def working_days_before(end: datetime.date, days: int) -> datetime.date:
    """Return the date `days` working days before `end`."""
    day = end
    for _ in range(days):
        day -= datetime.timedelta(days=1)
        while not is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def end_of_day(day: datetime.date) -> datetime.datetime:
    """Return the last moment of `day` in the centre's time zone: a task due that day is late only after it."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(0, 0)))
