"""Identifiers: what the form and the data loader accept, and the Dutch reason when they refuse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zelfregistratie.domain.entities import TargetGroup
from zelfregistratie.domain.identifiers import (
    kbo_check_digits,
    parse_email,
    parse_institution_number,
    parse_kbo,
    parse_organization_code,
    parse_ovo,
    parse_phone,
)

first_eight = st.from_regex(r"[01][0-9]{7}", fullmatch=True)


@given(first_eight)
def test_every_number_with_its_mod_97_check_digits_is_a_valid_kbo(digits: str) -> None:
    number = digits + kbo_check_digits(digits)
    assert parse_kbo(number) == number


@given(first_eight, st.integers(min_value=0, max_value=99))
def test_wrong_check_digits_are_refused(digits: str, check: int) -> None:
    if f"{check:02d}" == kbo_check_digits(digits):
        return
    with pytest.raises(ValueError, match=r"^kbo_check_digits$"):
        parse_kbo(f"{digits}{check:02d}")


@given(first_eight, st.integers(min_value=0, max_value=7), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_caught(digits: str, position: int, shift: int) -> None:
    number = digits + kbo_check_digits(digits)
    wrong_digit = str((int(number[position]) + shift) % 10)
    mistyped = number[:position] + wrong_digit + number[position + 1 :]
    if mistyped[0] not in "01":
        return
    with pytest.raises(ValueError):
        parse_kbo(mistyped)


@given(st.from_regex(r"[2-9][0-9]{7}", fullmatch=True))
def test_a_kbo_number_starts_with_0_or_1(digits: str) -> None:
    with pytest.raises(ValueError, match=r"^kbo_first_digit$"):
        parse_kbo(digits + kbo_check_digits(digits))


@pytest.mark.parametrize(
    "written",
    ["0428364866", "0428.364.866", "0428 364 866", "BE0428364866", "be 0428.364.866", " 0428364866 "],
)
def test_dots_spaces_and_the_be_prefix_are_normalised_away(written: str) -> None:
    assert parse_kbo(written) == "0428364866"


@pytest.mark.parametrize(
    "written", ["", "042836486", "04283648661", "04283648a6", "٠٤٢٨٣٦٤٨٦٦", "0428-364-866"]
)
def test_malformed_kbo_numbers_are_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"^kbo_digits$"):
        parse_kbo(written)


def test_ovo_codes() -> None:
    assert parse_ovo("ovo000123") == "OVO000123"
    for bad in ["OVO12345", "OVO1234567", "0V0000123", "OVO00012A"]:
        with pytest.raises(ValueError, match=r"^ovo_code$"):
            parse_ovo(bad)


def test_institution_numbers_are_six_digits() -> None:
    assert parse_institution_number("123456") == "123456"
    with pytest.raises(ValueError):
        parse_institution_number("12345")


@pytest.mark.parametrize(
    ("target_group", "written", "expected"),
    [
        (TargetGroup.EA, "0428.364.866", "0428364866"),
        (TargetGroup.LB, "0415327175", "0415327175"),
        (TargetGroup.GID, "OVO000123", "OVO000123"),
        (TargetGroup.OV, "123456", "123456"),
    ],
)
def test_the_target_group_decides_the_form_of_the_organisation_code(
    target_group: TargetGroup, written: str, expected: str
) -> None:
    assert parse_organization_code(written, target_group) == expected


def test_an_ovo_code_is_not_an_enterprise_number() -> None:
    with pytest.raises(ValueError):
        parse_organization_code("OVO000123", TargetGroup.EA)


@pytest.mark.parametrize(
    "written", ["+3212345678", "+32 12 34 56 78", "+32 (0)12/34.56.78".replace("(0)", ""), "+32492915448"]
)
def test_phone_numbers_in_e164(written: str) -> None:
    assert parse_phone(written).startswith("+32")


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("0470 12 34 56", "+32470123456"),  # as Belgians type a mobile number
        ("012 34 56 78", "+3212345678"),
        ("0032 470 12 34 56", "+32470123456"),
        ("+44 20 7946 0958", "+442079460958"),
    ],
)
def test_national_and_international_numbers_become_e164(written: str, normalised: str) -> None:
    assert parse_phone(written) == normalised


@pytest.mark.parametrize(
    "written",
    ["0470 12 34", "+0212345678", "+32", "+32abc45678", "+3212345678901234567", "+3299999999", "٠٤٧٠١٢٣٤٥٦"],
)
def test_phone_numbers_not_in_e164_are_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"^phone$"):
        parse_phone(written)


def test_plain_email_addresses_are_accepted() -> None:
    assert parse_email(" erwin.hermans@mow.vlaanderen.be ") == "erwin.hermans@mow.vlaanderen.be"


@pytest.mark.parametrize(
    "written",
    ["a@b.be\r\nBcc: x@y.be", "a@b.be\n", "a@b.be\rX", "a\x00@b.be", "a@b.be\u2028"],
)
def test_line_breaks_and_control_characters_in_email_are_refused(written: str) -> None:
    with pytest.raises(ValueError, match=r"^email_control_characters$"):
        parse_email(written)


@pytest.mark.parametrize(
    "written", ["", "geen-at", "a@b", "a@@b.be", "a b@c.be", "a@-b.be", "x" * 250 + "@b.be"]
)
def test_malformed_email_addresses_are_refused(written: str) -> None:
    with pytest.raises(ValueError):
        parse_email(written)
