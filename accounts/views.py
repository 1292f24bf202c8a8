"""The session's remaining time, asked by the page's warning (accounts/static/accounts/session.js)."""
from django.http import JsonResponse
from django.views.decorators.http import require_http_methods

from accounts import sessions


@require_http_methods(["GET", "POST"])
def session(request):
    """GET: how long is left, without counting as activity. POST ("Stay signed in"): count as activity."""
    if not request.user.is_authenticated:
        return JsonResponse({"idle": 0, "total": 0, "signed_out": True}, status=401)
    if request.method == "POST":
        sessions.touch(request.session, force=True)
    return JsonResponse(sessions.remaining(request.session))
