"""Who holds a right at an organisation ("Toekenning opzoeken", docs/administrators-home.md § Look-up):
the grant records under the holders index, GSI3 `HOLDERS#{org}#{right}#{active|ended}` /
`{context}#{folded name}#{sub}#{id}`. A grant's record moves from `active` to `ended` when it is
revoked or expires (every record write carries its keys). A page is one Query per organisation, right
(all of an application's when no right is asked for) and status, each reading limit + 1 records,
merged in key order (store/merged.py): by context, then by the holder's name.
"""

from __future__ import annotations

from collections.abc import Sequence

from botocore.exceptions import ClientError

from zelfregistratie.domain.errors import InvalidCursor
from zelfregistratie.domain.rights import Grant
from zelfregistratie.store import keys
from zelfregistratie.store.merged import Partition, read_merged
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.person_items import grant_items
from zelfregistratie.store.table import Table, model, plain_key, string

INDEX = "GSI3"


class Holders:
    def __init__(self, table: Table) -> None:
        self._table = table

    def of(
        self,
        orgs: Sequence[str],
        rights: Sequence[str],
        context: str | None,
        *,
        ended: bool,
        limit: int,
        cursor: str | None,
    ) -> Page[Grant]:
        """The grants of `rights` (in `context`, else every context) at `orgs`; held ones, and with
        `ended` those revoked or expired too."""
        wanted, after = page_size(limit), _after(cursor)
        start = f"{context}#" if context is not None else ""
        buckets = (keys.HELD, keys.ENDED) if ended else (keys.HELD,)
        partitions = [
            _partition(keys.holders_partition(org, right, bucket), start)
            for org in orgs
            for right in rights
            for bucket in buckets
        ]
        read = read_merged(self._table, partitions, "GSI3SK", wanted, after)
        reachable = [e for e in read.entries if read.frontier is None or str(e["GSI3SK"]) <= read.frontier]
        page = reachable[:wanted]
        more = read.frontier is not None or len(reachable) > len(page)
        grants = [model(Grant, entry) for entry in page]
        return Page(grants, encode_cursor({"holder": str(page[-1]["GSI3SK"])}) if more and page else None)

    def reindex(self) -> int:
        """The holders index's keys on every grant record written before it (an operator's command,
        which scans): each record without them gets them, on condition it still has none, so a record
        rewritten meanwhile keeps its own. How many."""
        records = self._table.scan_all(
            FilterExpression="SK = :record AND attribute_not_exists(GSI3PK)",
            ExpressionAttributeValues={":record": string(keys.grant_record("")["SK"])},
        )
        for record in records:
            indexed, _ = grant_items(model(Grant, record), self._table.periods)
            try:
                self._table.client.update_item(
                    TableName=self._table.name,
                    Key=plain_key(keys.grant_record(str(record["id"]))),
                    UpdateExpression="SET GSI3PK = :pk, GSI3SK = :sk",
                    ConditionExpression="attribute_exists(PK) AND attribute_not_exists(GSI3PK)",
                    ExpressionAttributeValues={":pk": indexed["GSI3PK"], ":sk": indexed["GSI3SK"]},
                )
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
        return len(records)


def _partition(partition: str, start: str) -> Partition:
    def after(sort_key: str) -> dict[str, object]:
        grant_id = sort_key.rsplit("#", 1)[-1]
        return {"GSI3PK": string(partition), "GSI3SK": string(sort_key)} | plain_key(
            keys.grant_record(grant_id)
        )

    query: dict[str, object] = {
        "IndexName": INDEX,
        "KeyConditionExpression": "GSI3PK = :pk",
        "ExpressionAttributeValues": {":pk": string(partition)},
    }
    if start:  # a context: its own grants (DynamoDB refuses an empty begins_with)
        query["KeyConditionExpression"] = "GSI3PK = :pk AND begins_with(GSI3SK, :start)"
        query["ExpressionAttributeValues"] = {":pk": string(partition), ":start": string(start)}
    return Partition(query, after)


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("holder")
    if not isinstance(after, str) or "#" not in after or len(after) > 2048:
        raise InvalidCursor()
    return after
