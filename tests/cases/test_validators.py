import pytest
from django.core.exceptions import ValidationError

from cases.validators import normalize_afm, normalize_amka, normalize_phone, validate_afm, validate_amka

# Real-format values: 01013099997 is python-stdnum's documented valid AMKA (born 01/01/1930).
VALID_AMKA = ["01013099997", "14038512340"]
VALID_AFM = ["094259216", "090000045"]


@pytest.mark.parametrize("amka", VALID_AMKA)
def test_valid_amka_passes(amka):
    validate_amka(amka)


@pytest.mark.parametrize(
    "amka, code",
    [
        ("01013099999", "checksum"),  # wrong Luhn digit
        ("32133099997", "checksum"),  # Luhn-valid, but day 32: the first six digits are not a date
        ("0101309999", "invalid"),  # ten digits
        ("0101309999A", "invalid"),
    ],
)
def test_invalid_amka_is_refused_with_a_code(amka, code):
    with pytest.raises(ValidationError) as exc:
        validate_amka(amka)
    assert exc.value.code == code


def test_amka_that_lost_its_leading_zero_in_excel_is_restored():
    # Excel stores 01013099997 as the number 1013099997 (and may print it as 1013099997.0).
    assert normalize_amka(1013099997) == "01013099997"
    assert normalize_amka("1013099997.0") == "01013099997"
    validate_amka(normalize_amka(1013099997))


@pytest.mark.parametrize("afm", VALID_AFM)
def test_valid_afm_passes(afm):
    validate_afm(afm)


def test_afm_with_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as exc:
        validate_afm("094259217")
    assert exc.value.code == "checksum"


def test_afm_is_normalised_from_vat_form_and_lost_zero():
    assert normalize_afm("EL 094259216") == "094259216"
    assert normalize_afm(94259216) == "094259216"


@pytest.mark.parametrize(
    "raw, e164",
    [
        ("210 123 4567", "+302101234567"),
        ("697-123-4567", "+306971234567"),
        ("0030 6971234567", "+306971234567"),
        ("+30 697 123 4567", "+306971234567"),
        (6971234567.0, "+306971234567"),
    ],
)
def test_greek_phone_formats_are_stored_in_e164(raw, e164):
    assert normalize_phone(raw) == e164


def test_nonsense_phone_is_refused():
    with pytest.raises(ValidationError):
        normalize_phone("12")
