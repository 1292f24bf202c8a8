"""Text folding for search: Greek and Latin, accents and case ignored."""
from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Return text without accents or diaeresis, case-folded (ς → σ), spaces collapsed."""
    decomposed = unicodedata.normalize("NFD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def proper_case(text: str) -> str:
    """Return a name trimmed and in proper case: ' ΜΑΡΙΑ-ΕΛΕΝΗ ' → 'Μαρια-Ελενη' (final ς kept)."""
    return " ".join((text or "").split()).title()
