"""Through what a change was made (admin page, workflow step, import batch, command), for the change log."""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

_channel: ContextVar[dict[str, str] | None] = ContextVar("audit_channel", default=None)


@contextlib.contextmanager
def channel(kind: str, label: str) -> Iterator[None]:
    """Stamp every change log entry written inside the block with `kind` ("admin", "step", "import", "command")."""
    token = _channel.set({"channel": kind, "via": label})
    try:
        yield
    finally:
        _channel.reset(token)


def current() -> dict[str, str] | None:
    return _channel.get()


def stamp(sender, instance, **kwargs) -> None:
    """pre_save of auditlog's LogEntry: add the current channel to the entry's additional data."""
    if (now := _channel.get()) is not None:
        instance.additional_data = {**now, **(instance.additional_data or {})}


def described(additional_data: dict | None) -> str:
    """Say through what an entry was written, from the stamp above ("step Intake", "import batch no. 12")."""
    data = additional_data or {}
    return f"{data.get('channel', '')} {data.get('via', '')}".strip()
