"""Text: folding for search (Greek and Latin, accents and case ignored), names as people write them."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return text without accents or diaeresis, case-folded (ς → σ), spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def proper_case(text: str) -> str:
    """Return a name trimmed and in proper case: ' ΜΑΡΙΑ-ΕΛΕΝΗ ' → 'Μαρια-Ελενη' (final ς kept). A name written
    in mixed case already ("McDonald", "Μαρία") is kept as written: only capitals or only small letters are
    a typing habit to undo."""
    text = " ".join((text or "").split())
    return text.title() if text in (text.upper(), text.lower()) else text


def staff_name(user) -> str:
    """A staff member as colleagues name them: the full name, else the username."""
    return user.get_full_name() or user.get_username()
