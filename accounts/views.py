"""The session's remaining time, asked by the page's warning (accounts/static/accounts/session.js)."""
from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from accounts import sessions


@sessions.not_activity
@require_http_methods(["GET", "POST"])
def session(request):
    """GET: how long is left, without counting as activity. POST ("Stay signed in"): count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"idle": 0, "total": 0, "signed_out": True}, status=401)
    if request.method == "POST":
        sessions.touch(request.session, force=True)
    return JsonResponse(sessions.remaining(request.session))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a themed page in the staff's language that says what to do."""
    minutes = int(get_cool_off(request).total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
