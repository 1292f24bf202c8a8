"""The text encoding of a partner's CSV file: UTF-8, UTF-16, or one of the Greek single-byte encodings older
software writes. No database."""
from __future__ import annotations

import codecs
import re

from django.utils.translation import gettext as _

from imports.errors import FileError

# Greek single-byte encodings partner software writes: Windows (most), ISO-8859-7 (older Unix and web software),
# DOS Greek (old accounting programs) and Mac Greek.
GREEK_ENCODINGS = ("cp1253", "iso8859_7", "cp737", "mac_greek")
_C1_CONTROLS = re.compile(rb"[\x80-\x9f]")
# "Ά" before a lowercase letter: 0xA2 in Windows-1253, 0xB6 in ISO-8859-7 (where 0xA2 is a quote, and 0xB6 in
# Windows-1253 is "¶"). The two tables differ in little else that names use.
_WINDOWS_CAPITAL_ALPHA = re.compile(rb"\xa2[\xe1-\xfe]")
_ISO_CAPITAL_ALPHA = re.compile(rb"\xb6[\xe1-\xfe]")


def detect_encoding(content: bytes) -> str:
    """Return the file's encoding: UTF-16 with its BOM (Excel's "Unicode text"), UTF-8 (with or without BOM) when it
    decodes as such, else the Greek encoding that reads it as Greek: whole-file byte evidence tells Windows-1253
    from ISO-8859-7, whose letters are the same bytes but for a few; charset-normalizer's language model tells
    them from DOS and Mac Greek."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        if not _decodes(content, "utf-16"):
            raise FileError(_("The file's text encoding cannot be read; save it as CSV UTF-8."))
        return "utf-16"
    if _decodes(content, "utf-8-sig"):
        return "utf-8-sig"
    candidates = [e for e in GREEK_ENCODINGS if _decodes(content, e)]
    if "iso8859_7" in candidates and (
        _C1_CONTROLS.search(content)  # control characters: never in a partner's text
        or len(_WINDOWS_CAPITAL_ALPHA.findall(content)) >= len(_ISO_CAPITAL_ALPHA.findall(content))
    ):
        candidates.remove("iso8859_7")
    elif "iso8859_7" in candidates and "cp1253" in candidates:
        candidates.remove("cp1253")
    if not candidates:
        raise FileError(_("The file's text encoding is not UTF-8 or a Greek encoding (Windows-1253, ISO-8859-7, DOS "
                          "or Mac Greek); save it as CSV UTF-8."))
    if len(candidates) > 1:
        from charset_normalizer import from_bytes  # imported here: a UTF-8 or XLSX file never needs it

        best = from_bytes(content, cp_isolation=candidates).best()
        return best.encoding if best is not None and best.encoding in candidates else candidates[0]
    return candidates[0]


def _decodes(content: bytes, encoding: str) -> bool:
    """Does the whole file decode? 64 KB at a time and thrown away: the text of a big file is never held whole."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(content)
    try:
        for start in range(0, len(view), 1 << 16):
            decoder.decode(view[start : start + (1 << 16)])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True
