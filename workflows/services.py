"""Workflow writes: starting, claiming, reassigning and closing cases."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser

from cases.models import Case, Referral
from cases.services import case_open


def referral_start(*, referral: Referral, by: AbstractBaseUser | None) -> Case:
    """Take in a new referral: open (or re-open) its case at referral review."""
    return case_open(referral=referral, by=by)
