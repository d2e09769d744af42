"""Identifier rules: organisation numbers, phone numbers, e-mail addresses, instants.

Each `parse_*` function returns the normalised value or raises `InvalidValue` (a `ValueError`)
with its reason; `api/fields.py` makes them pydantic field types, so that the API reports a field
error (`invalid_input`), worded by `api/problems`.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

from zelfregistratie.domain.entities import TargetGroup
from zelfregistratie.domain.errors import InvalidValue

_KBO_SEPARATORS = re.compile(r"[\s.]")
_OVO = re.compile(r"OVO\d{6}")
_INSTITUTION = re.compile(r"\d{6}")
# What a typed phone number may look like once separators are gone: + or 00 and digits, or a national
# number from 0; the numbering plan decides the rest.
_PHONE_TYPED = re.compile(r"(\+|00)?[0-9]{6,15}")
_PHONE_SEPARATORS = re.compile(r"[\s./()-]")
# Deliberately plain: one @, a dotted domain, no whitespace or control characters. Deliverability is
# proven by the mail itself, not by a stricter pattern.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Every character `str.splitlines` (and so Python's e-mail headers) breaks a line at.
_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# A surrogate code point on its own is not Unicode text: it cannot be encoded, stored or sent.
_UNPAIRED_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
MAX_APPLICATION_ID = 2**31 - 1


def kbo_check_digits(first_eight: str) -> str:
    """The two check digits of a KBO number: 97 minus the first eight digits modulo 97."""
    return f"{97 - int(first_eight) % 97:02d}"


def parse_kbo(value: str) -> str:
    """A KBO/BCE enterprise number: 10 digits, first 0 or 1, mod-97 check; `BE`, dots and spaces dropped."""
    number = _KBO_SEPARATORS.sub("", value.strip())
    if number[:2].upper() == "BE":
        number = number[2:]
    if len(number) != 10 or not number.isascii() or not number.isdigit():
        raise InvalidValue("kbo_digits")
    if number[0] not in "01":
        raise InvalidValue("kbo_first_digit")
    if number[8:] != kbo_check_digits(number[:8]):
        raise InvalidValue("kbo_check_digits")
    return number


def parse_ovo(value: str) -> str:
    """An OVO code of the Flemish government: `OVO` followed by 6 digits."""
    code = value.strip().upper()
    if not _OVO.fullmatch(code):
        raise InvalidValue("ovo_code")
    return code


def parse_institution_number(value: str) -> str:
    """An education institution number (instellingsnummer): 6 digits."""
    number = value.strip()
    if not number.isascii() or not _INSTITUTION.fullmatch(number):
        raise InvalidValue("institution_number")
    return number


def parse_organization_code(value: str, target_group: TargetGroup) -> str:
    """The organisation code in the form its target group uses."""
    if target_group in (TargetGroup.EA, TargetGroup.LB):
        return parse_kbo(value)
    if target_group is TargetGroup.GID:
        return parse_ovo(value)
    return parse_institution_number(value)


def parse_any_organization_code(value: str) -> str:
    """An organisation code of any form, for routes that do not name a target group."""
    text = value.strip()
    if text.upper().startswith("OVO"):
        return parse_ovo(text)
    if _INSTITUTION.fullmatch(text):
        return text
    return parse_kbo(text)


def parse_phone(value: str) -> str:
    """A phone number as people type it, in E.164 form: international (`+32 12 34 56 78`,
    `0032 …`) or Belgian national (`0470 12 34 56` becomes `+32470123456`), checked against the
    numbering plan by the phonenumbers library (imported on first use: a cold start does not pay)."""
    import phonenumbers

    number = _PHONE_SEPARATORS.sub("", value.strip())
    if not number.isascii() or not _PHONE_TYPED.fullmatch(number):
        raise InvalidValue("phone")
    try:
        parsed = phonenumbers.parse(number, "BE")
    except phonenumbers.NumberParseException:
        raise InvalidValue("phone") from None
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidValue("phone")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def parse_email(value: str) -> str:
    """An e-mail address; a CR or LF anywhere (header injection) is refused, not stripped."""
    if _LINE_BREAK.search(value) or _CONTROL.search(value):
        raise InvalidValue("email_control_characters")
    address = value.strip()
    if len(address) > 254 or not _EMAIL.fullmatch(address):
        raise InvalidValue("email")
    return address


def is_text(value: str) -> bool:
    """Valid Unicode text: no unpaired surrogate (JSON's `"\\ud800"` decodes to one)."""
    return _UNPAIRED_SURROGATE.search(value) is None


def one_line(value: str) -> str:
    """Text shown on one line (a name from a token, a mail subject): every line break and control
    character becomes a space, an unpaired surrogate the replacement character."""
    return _NOT_ONE_LINE.sub(" ", _UNPAIRED_SURROGATE.sub("\ufffd", value)).strip()


def reject_control_characters(value: str) -> str:
    """Free text may hold line breaks and tabs, but no other control characters."""
    if _CONTROL.search(value):
        raise InvalidValue("control_characters")
    return value


def single_line(value: str) -> str:
    """A value that ends up in a mail header or a one-line field: no line breaks, no control characters."""
    if _LINE_BREAK.search(value) or _CONTROL.search(value) or "\t" in value:
        raise InvalidValue("single_line")
    return value


def bounded_instant(value: datetime) -> datetime:
    """An instant of the years 2000–9999 once in UTC, in UTC. An offset can carry one beyond what a
    date holds (9999-12-31T23:59:59-14:00 is in the year 10000), which is refused like any other."""
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        raise InvalidValue("instant") from None
    if not 2000 <= in_utc.year <= 9999:
        raise InvalidValue("instant")
    return in_utc


def has_visible_character(text: str) -> bool:
    """A letter, digit, punctuation mark or symbol: what a reader sees. Spaces, format characters (the
    zero-width ones, the byte order mark) and control characters alone say nothing."""
    return any(unicodedata.category(character)[0] in "LNPS" for character in text)
