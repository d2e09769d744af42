"""SES message tags: SES hands a mail's tags back with its bounce or complaint (`mail.tags`, `{name:
[value]}`). A filing's administrator mail carries its request and how many administrator mails the filing
sent, so that when none of them arrived its requester can be told (docs/unreachable-administrators.md). Names
and values are letters, digits, `_` and `-`, as SES requires."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zelfregistratie.domain.requests import is_request_id

KIND, REQUEST, ADMIN_MAILS = "mail", "request", "admin-mails"
FILED_ADMIN = "filed_admin"  # the value of MailKind.FILED_ADMIN

Tags = tuple[tuple[str, str], ...]


def tags(kind: str, request_id: str | None = None, admin_mails: int | None = None) -> Tags:
    found = [(KIND, kind)]
    if request_id is not None:
        found.append((REQUEST, request_id))
    if admin_mails is not None:
        found.append((ADMIN_MAILS, str(admin_mails)))
    return tuple(found)


def tag(mail: Mapping[str, Any], name: str) -> str:
    """One tag's value in SES's `mail` record; "" when it has none."""
    found = mail.get("tags")
    values = found.get(name) if isinstance(found, dict) else None
    return str(values[0]) if isinstance(values, list) and values else ""


def filing_of(mail: Mapping[str, Any]) -> tuple[str, int] | None:
    """The request and its number of administrator mails, when SES's `mail` record is of a filing's
    administrator mail."""
    request, sent = tag(mail, REQUEST), tag(mail, ADMIN_MAILS)
    if tag(mail, KIND) != FILED_ADMIN or not is_request_id(request) or not sent.isdigit():
        return None
    return request, int(sent)
