"""The address a request comes from, for the lockout and the audit alike."""
from __future__ import annotations

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind GEFYRA_TRUSTED_PROXIES reverse proxies the address the
    outermost of them saw. Each proxy appends to X-Forwarded-For the address it was reached from, so the client
    is N entries from the right (counting REMOTE_ADDR, the proxy next to us); anything further left was written
    by the client and proves nothing."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.GEFYRA_TRUSTED_PROXIES
    if not proxies:
        return remote
    chain = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    chain.append(remote)
    return chain[-(proxies + 1)] if len(chain) > proxies else chain[0]
