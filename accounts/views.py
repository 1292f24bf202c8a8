"""Pages of signing in: the session's remaining time (asked by accounts/static/accounts/session.js), the lockout
page, and the steps of two-factor sign-in."""
from axes.helpers import get_cool_off
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts import forms, sessions, two_factor


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


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("admin:index")


def _page(request, template: str, **context):
    # No sidebar of models: before the second step none of them opens.
    return render(request, template, {**admin.site.each_context(request), "is_nav_sidebar_enabled": False,
                                      "next": _next(request), **context})


@login_required
def two_factor_verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if not two_factor.enrolled(request.user):
        return redirect(f"{reverse('accounts:two_factor_setup')}?next={_next(request)}")
    form = forms.CodeForm(request.POST or None)
    if form.is_valid():
        if two_factor.verify(request, form.cleaned_data["code"]):
            left = two_factor.recovery_codes_left(request.user)
            if left <= 3:
                messages.warning(request, ngettext(
                    "Only %(left)d recovery code is left: make new ones under Two-factor sign-in.",
                    "Only %(left)d recovery codes are left: make new ones under Two-factor sign-in.", left,
                ) % {"left": left})
            return redirect(_next(request))
        form.add_error("code", _("This code is not right, or it was already used. Try the code your app shows now."))
    return _page(request, "accounts/two_factor_verify.html", form=form, title=_("Two-factor sign-in"))


@login_required
def two_factor_setup(request):
    """Set up the authenticator app (guided: scan, then type the code it shows); then show the recovery codes once."""
    if two_factor.enrolled(request.user) and not request.user.is_verified():
        return redirect(f"{reverse('accounts:two_factor')}?next={_next(request)}")  # a new phone needs the old code
    device = two_factor.pending_device(request.user)
    form = forms.CodeForm(request.POST or None)
    if form.is_valid():
        codes = two_factor.confirm(request, device, form.cleaned_data["code"])
        if codes is not None:
            return _page(request, "accounts/recovery_codes.html", codes=codes, title=_("Your recovery codes"))
        form.add_error("code", _("This code is not right. Check the time on your phone and type the code shown now."))
    return _page(request, "accounts/two_factor_setup.html", form=form, qr_code=two_factor.qr_code(device),
                 secret=two_factor.secret(device), title=_("Set up two-factor sign-in"))


@login_required
@require_http_methods(["POST"])
def recovery_codes(request):
    """New recovery codes for a verified session (the old ones stop working)."""
    if two_factor.enrolled(request.user) and not request.user.is_verified():
        return redirect(reverse("accounts:two_factor"))
    return _page(request, "accounts/recovery_codes.html", codes=two_factor.new_recovery_codes(request.user),
                 title=_("Your recovery codes"))
