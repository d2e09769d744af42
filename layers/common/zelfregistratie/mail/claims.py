"""Each mail goes once: claimed before it is sent (key: the stream record's event id, the mail kind
and the recipient), released when sending failed for now, so the retry may send it."""

from __future__ import annotations

from botocore.exceptions import ClientError

from zelfregistratie.store import keys
from zelfregistratie.store.table import Table, number, plain_key


class MailClaims:
    def __init__(self, table: Table) -> None:
        self._table = table

    def claim(self, event_id: str, kind: str, recipient: str, expires_at: int) -> bool:
        """True when this mail is ours to send; False when a delivery of the same record sent it."""
        claim = plain_key({**keys.mail(event_id, kind, recipient), "kind": "mail"}) | {
            "ttl": number(expires_at)
        }
        try:
            self._table.client.put_item(
                TableName=self._table.name, Item=claim, ConditionExpression="attribute_not_exists(PK)"
            )
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release(self, event_id: str, kind: str, recipient: str) -> None:
        """Sending failed for now: the retry may claim the mail again."""
        self._table.client.delete_item(
            TableName=self._table.name, Key=plain_key(keys.mail(event_id, kind, recipient))
        )
