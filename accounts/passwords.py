"""A password validator that estimates how soon a guesser finds the password (zxcvbn), taught Greek."""
from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn
from zxcvbn.matching import add_frequency_lists

from common.text import fold

# zxcvbn's dictionaries are English: without these, "Μαρία2026!!!" scores as strong as a random string.
add_frequency_lists({"greek": [
    fold(line) for line in Path(__file__).with_name("greek_words.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]})
ESTIMATE_UP_TO = 72  # characters zxcvbn accepts; beyond them a password is long enough to be out of reach


class GuessabilityValidator:
    """Refuse a password scoring under `min_score` (0–4; 4 is over 10¹⁰ guesses: "Μαρία2026!!!" scores 3).

    The password is folded (no accents, lower case) before the estimate, as the Greek word list is: "Ελένη" and
    "ελενη" are the same guess. The user's own names and the centre's name count as known words.
    """

    def __init__(self, min_score: int = 4):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        known = [fold(getattr(user, attribute, "") or "") for attribute in ("username", "first_name", "last_name", "email")]
        result = zxcvbn(fold(password)[:ESTIMATE_UP_TO], user_inputs=[w for w in known if w])
        if result["score"] < self.min_score:
            raise ValidationError(
                _("This password is too easy to guess: names, dates, words and their common changes are tried "
                  "first. Use four or more unrelated words, or a longer mix."),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("Your password must not be easy to guess (a name, a date, a word with a number added).")
