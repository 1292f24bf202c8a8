"""Greek identifiers and phone numbers: pure functions, no database."""
from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import exceptions as stdnum_exc
from stdnum.gr import amka as stdnum_amka
from stdnum.gr import vat as stdnum_afm


def _excel_text(value: object) -> str:
    """Return a cell as text, without the ".0" Excel adds to a number typed as one (12345.0)."""
    text = str(value).strip()
    return text[:-2] if text.endswith(".0") else text


def _digits(value: object) -> str:
    """Return a number's characters without spaces, dashes or dots."""
    return "".join(ch for ch in _excel_text(value) if not ch.isspace() and ch not in "-.")


def normalize_amka(value: object) -> str:
    """Return an AMKA as 11 digits, restoring leading zeros that a spreadsheet dropped."""
    digits = _digits(value)
    # Excel types 01018012345 as the number 1018012345: the day's leading zero is lost.
    if digits.isdigit() and 9 <= len(digits) < 11:
        digits = digits.zfill(11)
    return digits


def validate_amka(value: str) -> None:
    """Check length, Luhn check digit and the date of birth in the first six digits."""
    try:
        stdnum_amka.validate(value)
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("AMKA check digit is wrong."), code="checksum") from None
    except stdnum_exc.InvalidComponent:
        raise ValidationError(_("AMKA does not start with a valid date of birth (DDMMYY)."), code="checksum") from None
    except stdnum_exc.ValidationError:
        raise ValidationError(_("AMKA must be 11 digits."), code="invalid") from None


def normalize_afm(value: object) -> str:
    """Return an AFM as 9 digits (a leading zero lost in Excel is restored; EL/GR prefix dropped)."""
    text = _digits(value).upper()
    for prefix in ("EL", "GR"):
        text = text.removeprefix(prefix)
    if text.isdigit() and 7 <= len(text) < 9:
        text = text.zfill(9)
    return text


def validate_afm(value: str) -> None:
    """Check the nine digits and the mod-11 check digit of a Greek tax number."""
    try:
        stdnum_afm.validate(value)
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(_("AFM check digit is wrong."), code="checksum") from None
    except stdnum_exc.ValidationError:
        raise ValidationError(_("AFM must be 9 digits."), code="invalid") from None


def normalize_phone(value: object) -> str:
    """Return a phone number in E.164 (+302101234567); Greek when it has no country code."""
    text = _excel_text(value)
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(_("“%(value)s” is not a phone number."), code="invalid", params={"value": text}) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” is not a valid phone number."), code="invalid", params={"value": text})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    """Accept only phone numbers already stored in E.164."""
    if normalize_phone(value) != value:
        raise ValidationError(_("Store phone numbers in international form (+30…)."), code="invalid")
