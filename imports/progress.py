"""How far a long import has got, kept where the page waiting on it can ask (the "progress" cache)."""
from __future__ import annotations

import re
import time

from django.core.cache import caches

from imports.services import Progress

TOKEN = re.compile(r"[0-9a-f]{32}")  # made by the page: 16 random bytes in hex
EVERY = 0.25  # seconds between writes: a poll every 400 ms needs no more
KEEP = 3600


def _key(token: str) -> str:
    return f"import:{token}"


def progress_reporter(token: str | None) -> Progress | None:
    """Return a progress callback for referral_import that records it under the page's token (None without one)."""
    if not token or not TOKEN.fullmatch(token):
        return None
    cache, last = caches["progress"], [0.0]

    def report(rows: int, fraction: float) -> None:
        now = time.monotonic()
        if fraction < 1 and now - last[0] < EVERY:
            return
        last[0] = now
        cache.set(_key(token), {"rows": rows, "fraction": round(fraction, 3)}, KEEP)

    return report


def progress_of(token: str) -> dict:
    """Return {"rows": n, "fraction": f} of the import with this token; zeros until it has begun."""
    found = caches["progress"].get(_key(token)) if TOKEN.fullmatch(token) else None
    return found or {"rows": 0, "fraction": 0}
