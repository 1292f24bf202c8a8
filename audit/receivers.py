"""Logins, logouts and failed logins, from Django's auth signals."""
from __future__ import annotations

from audit.models import AccessEvent
from audit.services import record


def logged_in(sender, request, user, **kwargs) -> None:
    record(request=request, user=user, action=AccessEvent.Action.LOGIN)


def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(request=request, user=user, action=AccessEvent.Action.LOGOUT)


def login_failed(sender, credentials, request=None, **kwargs) -> None:
    # The attempted name only: the credentials also hold the password.
    record(request=request, action=AccessEvent.Action.LOGIN_FAILED, details={"username": str(credentials.get("username", ""))[:150]})
