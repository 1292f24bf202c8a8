"""Two-factor sign-in (django-otp): who needs it, enrolment with recovery codes, verification, reset.

A time-based code from an authenticator app (TOTP) is the second factor; ten single-use recovery codes stand in
for a lost phone. A supervisor can reset someone's second factor (a lost phone and no codes): it is recorded,
and the colleague enrols again at their next sign-in.
"""
from __future__ import annotations

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessEvent
from audit.services import record

RECOVERY_CODES = 10
RECOVERY = "recovery"
APP = "authenticator"


def required(user) -> bool:
    """Must this user sign in with a second factor? Whoever sees every file or reads the audit, or everyone."""
    mode = settings.GEFYRA_TWO_FACTOR
    if mode == "off" or not user.is_authenticated:
        return False
    if mode == "everyone":
        return True
    return user.is_superuser or user.has_perm("privacy.see_all_cases") or user.has_perm("audit.view_accessevent")


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user) -> TOTPDevice:
    """The authenticator being set up: the same secret until it is confirmed, so a reload shows the same QR code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=APP).first()
    return device or TOTPDevice.objects.create(user=user, confirmed=False, name=APP)


def qr_code(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG data URI (an image: nothing for the page's policy to refuse)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5)


def secret(device: TOTPDevice) -> str:
    """The key in the groups of four an authenticator app accepts when typed instead of scanned."""
    key = b32encode(device.bin_key).decode()
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a code it shows; on success the session is verified and the new recovery
    codes are returned (to be shown once). None if the code is wrong."""
    if not device.verify_token(_digits(code)):
        record(request=request, action=AccessEvent.Action.TWO_FACTOR_FAILED, details={"step": "enrolment"})
        return None
    TOTPDevice.objects.filter(user=device.user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    django_otp.login(request, device)
    record(request=request, action=AccessEvent.Action.TWO_FACTOR_ENROLLED)
    return new_recovery_codes(device.user)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with fresh ones (each works once); return them."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(request, code: str) -> bool:
    """Check a code from the authenticator (six digits) or a recovery code (used up by it); verify the session if
    it is right. Each device throttles its own wrong guesses."""
    code = code.strip().replace(" ", "").lower()
    devices = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices.objects.filter(user=request.user, confirmed=True):
        with transaction.atomic():
            if device.verify_token(code):
                django_otp.login(request, device)
                return True
    record(request=request, action=AccessEvent.Action.TWO_FACTOR_FAILED, details={"step": "sign-in"})
    return False


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


@transaction.atomic
def reset(user, *, by, reason: str, request=None) -> None:
    """Remove a colleague's second factor (lost phone, no codes left): they enrol again at their next sign-in."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(request=request, user=by, action=AccessEvent.Action.TWO_FACTOR_RESET,
           details={"user_id": user.pk, "username": user.get_username(), "reason": reason})


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())
