"""Sign out sessions that were idle too long or lasted too long (accounts.sessions)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import sessions

PASSIVE = "accounts:session"  # the page asking how long is left is not activity


class SessionLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if sessions.expired(request.session):
                logout(request)
                messages.warning(request, _("You were signed out after a time without activity, or at the end of "
                                            "the working session. Sign in again to go on."))
                if request.path == reverse(PASSIVE):
                    return JsonResponse({"idle": 0, "total": 0, "signed_out": True}, status=401)
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if request.path != reverse(PASSIVE):
                sessions.touch(request.session)
        return self.get_response(request)
