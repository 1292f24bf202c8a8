"""What every CSV and XLSX the app writes does to its cells, so that opening one never runs anything."""
from __future__ import annotations

import re

# OWASP's list: a cell starting with one of these may run as a formula (=HYPERLINK, +cmd|…, @SUM, DDE).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone, an amount or a signed number: a spreadsheet computes nothing harmful from digits and punctuation, and
# an apostrophe would damage "+30 697 123 4567".
_NUMBER = re.compile(r"[+-]?[\d\s().,/-]*\d[\d\s().,/-]*")


def neutralised(value: object) -> object:
    """The cell as written: text a spreadsheet would run gets a leading apostrophe (shown as text, never run);
    everything else, numbers and dates included, is left as it is (XLSX keeps real types)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
