"""Each mail goes out at least once, and twice only after a crash (key: the stream record's event id,
the mail kind and the recipient).

A mail is claimed as `sending`, with a lease, before it is sent, and marked `sent` once SES took it.
The claim is released when sending failed, so the retry sends it. A claim still `sending` once its
lease has run out belongs to an invocation that died between claiming and marking (a crash, a
timeout): whoever meets it takes it over and sends the mail. Had SES taken the mail before the crash,
it goes out twice; nothing is lost. Every write is conditional, so two invocations never both own one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from zelfregistratie.store import keys
from zelfregistratie.store.table import Table, number, plain_key, string

# Longer than a send takes (SES answers within seconds; the client's timeouts bound it), shorter than
# notify's timeout, so a retry after a crash finds the lease run out or waits briefly for it.
LEASE_SECONDS = 20
SENDING, SENT = "sending", "sent"


@dataclass(frozen=True)
class Claim:
    """This invocation's hold on one mail: its key and the token that proves the lease is ours."""

    key: dict[str, dict[str, str]]
    token: str


class LeaseHeld(Exception):
    """Another invocation is sending this mail, its lease still running until `until` (epoch seconds)."""

    def __init__(self, until: int) -> None:
        super().__init__(f"being sent, lease until {until}")
        self.until = until


class MailClaims:
    def __init__(self, table: Table) -> None:
        self._table = table

    def claim(self, event_id: str, kind: str, recipient: str, now: int, expires_at: int) -> Claim | None:
        """The mail is ours to send (a claim), or None when it was sent; `LeaseHeld` while another
        invocation's lease runs. `now` and `expires_at` are epoch seconds (the latter the item's ttl)."""
        key = plain_key(keys.mail(event_id, kind, recipient))
        token = secrets.token_hex(8)
        item = key | {
            "kind": string("mail"),
            "status": string(SENDING),
            "lease": string(token),
            "lease_until": number(now + LEASE_SECONDS),
            "ttl": number(expires_at),
        }
        try:
            self._table.client.put_item(
                TableName=self._table.name,
                Item=item,
                ConditionExpression="attribute_not_exists(PK) OR (#status = :sending AND lease_until < :now)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":sending": string(SENDING), ":now": number(now)},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
            held: dict[str, Any] = dict(exc.response.get("Item") or {})  # type: ignore[call-overload]
            if held.get("status", {}).get("S") == SENDING:
                raise LeaseHeld(int(held["lease_until"]["N"])) from None
            return None  # sent (a claim without a status is one from before leases: sent too)
        return Claim(key, token)

    def settle(self, claim: Claim, expires_at: int) -> None:
        """SES took the mail (or refused its recipient for good): it is not sent again. Only while the
        lease is still ours: one taken over meanwhile belongs to the invocation that took it."""
        self._owned(
            lambda condition: self._table.client.put_item(
                TableName=self._table.name,
                Item=claim.key | {"kind": string("mail"), "status": string(SENT), "ttl": number(expires_at)},
                **condition,
            ),
            claim,
        )

    def release(self, claim: Claim) -> None:
        """Not sent: the retry may claim the mail again."""
        self._owned(
            lambda condition: self._table.client.delete_item(
                TableName=self._table.name, Key=claim.key, **condition
            ),
            claim,
        )

    @staticmethod
    def _owned(write: Callable[[dict[str, Any]], object], claim: Claim) -> None:
        condition = {
            "ConditionExpression": "lease = :token",
            "ExpressionAttributeValues": {":token": string(claim.token)},
        }
        try:
            write(condition)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
