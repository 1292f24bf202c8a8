"""How long a signed-in session lasts: until `GEFYRA_SESSION_IDLE_MINUTES` without a request, and never longer
than `GEFYRA_SESSION_MAX_HOURS` after signing in. Staff read files about people a leak can endanger; a browser
left open at a shared desk must not stay signed in."""
from __future__ import annotations

import time

from django.conf import settings

SIGNED_IN_AT = "gefyra_signed_in_at"
LAST_SEEN_AT = "gefyra_last_seen_at"
# A request refreshes the idle clock only if the last refresh is older than this: a session write per
# request would cost every page, and the idle limit does not need to-the-second precision.
TOUCH_EVERY = 60


# Marks on views: one that must not read the session at all (an import's progress poll: SQLite is locked while
# the import writes), one that reads it without counting as activity (the warning asking how long is left).
READS_NO_SESSION = "reads_no_session"
NOT_ACTIVITY = "not_activity"


def reads_no_session(view):
    setattr(view, READS_NO_SESSION, True)
    return view


def not_activity(view):
    setattr(view, NOT_ACTIVITY, True)
    return view


def idle_limit() -> int:
    return settings.GEFYRA_SESSION_IDLE_MINUTES * 60


def max_age() -> int:
    return settings.GEFYRA_SESSION_MAX_HOURS * 3600


def expired(session, now: float | None = None) -> bool:
    """Has this signed-in session been idle too long, or lasted too long?"""
    now = time.time() if now is None else now
    signed_in, seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN_AT)
    return (signed_in is not None and now - signed_in > max_age()) or (seen is not None and now - seen > idle_limit())


def touch(session, now: float | None = None, *, force: bool = False) -> None:
    """Count a request as activity (and start the clocks of a session that has none yet)."""
    now = time.time() if now is None else now
    session.setdefault(SIGNED_IN_AT, now)
    if force or now - session.get(LAST_SEEN_AT, 0) >= TOUCH_EVERY:
        session[LAST_SEEN_AT] = now


def remaining(session, now: float | None = None) -> dict[str, int]:
    """Seconds until the idle limit and until the absolute limit, for the page's warning."""
    now = time.time() if now is None else now
    return {
        "idle": max(0, int(session.get(LAST_SEEN_AT, now) + idle_limit() - now)),
        "total": max(0, int(session.get(SIGNED_IN_AT, now) + max_age() - now)),
    }
