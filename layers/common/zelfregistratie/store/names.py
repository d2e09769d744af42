"""The name index: people found by the start of any word of their name, in one organisation or in all
of an administrator's (docs/architecture.md § Name index).

For each active work relationship, one entry per start of a word of the person's folded name
(`domain.rights.name_starts`), under the organisation: `NAMES#{org}` / `{start}#{sub}`. The entries
are written and removed in the transaction that writes and removes the person's line of the people
list. A search is a key condition (`begins_with`) on that partition, so it reads what it finds and no
more: limit + 1 entries for each organisation searched, whatever the organisation's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from zelfregistratie.domain.errors import InvalidCursor
from zelfregistratie.domain.rights import WorkRelationship, name_starts, searched
from zelfregistratie.store import keys
from zelfregistratie.store.merged import Partition, read_merged
from zelfregistratie.store.paging import Page, decode_cursor, encode_cursor, page_size
from zelfregistratie.store.person_items import member_from
from zelfregistratie.store.table import Table, string


class NameMatch(NamedTuple):
    """A person a search found, with the organisations (of those searched) where it found them."""

    person: str
    name: str
    organizations: tuple[str, ...]
    members: tuple[keys.Key, ...]  # their line of each organisation's people list


def name_keys(relationship: WorkRelationship) -> list[keys.Key]:
    org, sub = relationship.organization, relationship.person
    return [keys.name_entry(org, start, sub) for start in name_starts(relationship.person_name or "")]


def name_items(relationship: WorkRelationship, member: keys.Key) -> list[dict[str, Any]]:
    """The entries of a person's line (`member`, its key), one per start of a word of their name."""
    return [
        {name: string(value) for name, value in key.items()}
        | {
            "kind": string("name"),
            "person": string(relationship.person),
            "name": string(relationship.person_name or ""),
            "organization": string(relationship.organization),
            "member": string(member["SK"]),
        }
        for key in name_keys(relationship)
    ]


class Names:
    def __init__(self, table: Table) -> None:
        self._table = table

    def search(self, orgs: Sequence[str], text: str, limit: int, cursor: str | None) -> Page[NameMatch]:
        """People of `orgs` whose name has a word starting with `text`, in order of that start; one
        Query per organisation, each reading at most limit + 1 entries."""
        wanted, start, after = page_size(limit), searched(text), _after(cursor)
        if not start:  # nothing to search for (DynamoDB refuses an empty begins_with)
            return Page([], None)
        partitions = [_partition(keys.names_partition(org), start) for org in orgs]
        read = read_merged(self._table, partitions, "SK", wanted, after)
        return _merged(read.entries, wanted, read.frontier)

    def reindex(self) -> int:
        """The entries of every line of every people list, written again (for a table written before
        the index; an operator's command, which scans): how many lines."""
        lines = self._table.scan_all(
            FilterExpression="begins_with(PK, :members)",
            ExpressionAttributeValues={":members": string(keys.MEMBERS_PREFIX)},
        )
        for line in lines:
            relationship = member_from(line).work_relationship
            self._table.put_all(name_items(relationship, {"PK": str(line["PK"]), "SK": str(line["SK"])}))
        return len(lines)


def _partition(partition: str, start: str) -> Partition:
    return Partition(
        {
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :start)",
            "ExpressionAttributeValues": {":pk": string(partition), ":start": string(start)},
        },
        lambda sort_key: {"PK": string(partition), "SK": string(sort_key)},
    )


def _merged(entries: list[dict[str, Any]], wanted: int, frontier: str | None) -> Page[NameMatch]:
    """The first `wanted` people of the entries (one person found under several starts or
    organisations is one match), read no further than `frontier`: beyond it, an organisation's entries
    were not read yet."""
    found: dict[str, NameMatch] = {}
    last: str | None = None
    more = frontier is not None
    for entry in entries:
        sk, person = str(entry["SK"]), str(entry["person"])
        if (frontier is not None and sk > frontier) or (person not in found and len(found) == wanted):
            more = True
            break
        org, member = (
            str(entry["organization"]),
            keys.member_in(str(entry["organization"]), str(entry["member"])),
        )
        held = found.get(person)
        if held is None:
            found[person] = NameMatch(person, str(entry["name"]), (org,), (member,))
        elif org not in held.organizations:
            found[person] = held._replace(
                organizations=(*held.organizations, org), members=(*held.members, member)
            )
        last = sk
    if not more or last is None:
        return Page(list(found.values()), None)
    return Page(list(found.values()), encode_cursor({"match": last}))


def _after(cursor: str | None) -> str | None:
    if cursor is None:
        return None
    after = decode_cursor(cursor).get("match")
    if not isinstance(after, str) or not after or len(after) > 1024:
        raise InvalidCursor()
    return after
