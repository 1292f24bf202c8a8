"""auditlog's middleware (actor, address, correlation id), plus the channel: the page a change was made through."""
from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware

from accounts.clients import client_address
from audit.context import channel


class AuditMiddleware(AuditlogMiddleware):
    # auditlog's own takes X-Forwarded-For's first entry, which any client can write.
    _get_remote_addr = staticmethod(client_address)

    @staticmethod
    def _get_actor(request):
        # The lazy user: read from the session only when a change is logged, so a progress poll stays query-free.
        return getattr(request, "user", None)

    def __call__(self, request):
        with channel("admin", request.path[:200]):
            return super().__call__(request)
