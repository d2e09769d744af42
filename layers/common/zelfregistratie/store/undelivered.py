"""A filing's administrator mails that did not arrive (docs/unreachable-administrators.md).

Each administrator mail of a filing carries, in its SES tags, the request and how many administrator
mails the filing sent. A permanent bounce or a complaint of one adds its address (a digest) to the
request's `#UNDELIVERED` item; when the item holds as many as were sent, none arrived, and notify
tells the requester (`is_undelivered_now`). A repeated report adds nothing: the addresses are a set.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any, NamedTuple

from zelfregistratie.store import keys
from zelfregistratie.store.images import image_number, image_string
from zelfregistratie.store.table import Table, Transaction, number, string, string_set


class UndeliveredMail(NamedTuple):
    request_id: str
    admin_mails: int  # how many administrator mails the filing sent
    address: str

    def write(self, expires_at: int) -> tuple[keys.Key, str, dict[str, Any], dict[str, str]]:
        """The UpdateItem's key, expression, values and names."""
        digest = hashlib.sha256(self.address.strip().lower().encode()).hexdigest()[:32]
        return (
            keys.undelivered(self.request_id),
            "SET #kind = :kind, request_id = :id, admin_mails = :sent, #ttl = if_not_exists(#ttl, :ttl) "
            "ADD failed :failed",
            {
                ":kind": string("undelivered"),
                ":id": string(self.request_id),
                ":sent": number(self.admin_mails),
                ":ttl": number(expires_at),
                ":failed": string_set([digest]),
            },
            {"#kind": "kind", "#ttl": "ttl"},
        )


def add(tx: Transaction, mail: UndeliveredMail, expires_at: int) -> None:
    key, expression, values, names = mail.write(expires_at)
    tx.update(key, expression, values, None, names)


def record(table: Table, mail: UndeliveredMail, expires_at: int) -> None:
    table.update_item(*mail.write(expires_at))


def is_undelivered_now(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> str | None:
    """The request id when this change made every administrator mail of its filing undelivered."""
    if not new or image_string(new, "kind") != "undelivered":
        return None
    sent = image_number(new, "admin_mails")
    before = len((old or {}).get("failed", {}).get("SS", []))
    after = len(new.get("failed", {}).get("SS", []))
    return image_string(new, "request_id") if before < sent <= after else None
