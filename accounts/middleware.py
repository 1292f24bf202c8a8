"""Sign out sessions that were idle too long or lasted too long (accounts.sessions); ask for the second factor
(accounts.two_factor)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import sessions, two_factor


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, sessions.READS_NO_SESSION, False) or not request.user.is_authenticated:
            return None
        if sessions.expired(request.session):
            logout(request)
            messages.warning(request, _("You were signed out after a time without activity, or at the end of "
                                        "the working session. Sign in again to go on."))
            if getattr(view_func, sessions.NOT_ACTIVITY, False):
                return JsonResponse({"idle": 0, "total": 0, "signed_out": True}, status=401)
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not getattr(view_func, sessions.NOT_ACTIVITY, False):
            sessions.touch(request.session)
        return None


class TwoFactorMiddleware:
    """Send whoever must use a second factor, and has not yet given it this session, to set it up or to give it."""

    # What an unverified session may still reach: the steps themselves, signing out, the session's clock.
    OPEN = {"accounts:two_factor", "accounts:two_factor_setup", "accounts:session", "admin:logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, sessions.READS_NO_SESSION, False) or request.resolver_match.view_name in self.OPEN:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified() or not two_factor.required(user):
            return None
        step = "accounts:two_factor" if two_factor.enrolled(user) else "accounts:two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
