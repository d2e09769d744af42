"""One page over several partitions that share a sort-key space (an index per organisation, or per
organisation and status), in sort-key order: each partition is read with `Limit` = limit + 1 from
after the cursor, and the page goes no further than the lowest last key of a partition that has more
(beyond it, that partition was not read yet), so pages follow each other without gaps or repeats.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from zelfregistratie.store.table import Table, values


class Partition(NamedTuple):
    query: dict[str, Any]  # the Query's own arguments: index, key condition, its values
    start: Callable[[str], dict[str, Any]]  # the ExclusiveStartKey just after a sort key


class Read(NamedTuple):
    entries: list[dict[str, Any]]  # in sort-key order
    frontier: str | None  # entries past it are not to be handed out yet; None: every partition ended


def read_merged(
    table: Table, partitions: Sequence[Partition], sort_key: str, wanted: int, after: str | None
) -> Read:
    entries: list[dict[str, Any]] = []
    frontier: str | None = None
    for partition in partitions:
        query = dict(partition.query, Limit=wanted + 1)
        if after is not None:
            query["ExclusiveStartKey"] = partition.start(after)
        page = table.query(**query)
        found = [values(i) for i in page["Items"]]
        entries += found
        if page.get("LastEvaluatedKey") and found:
            last = str(found[-1][sort_key])
            frontier = last if frontier is None else min(frontier, last)
    return Read(sorted(entries, key=lambda e: str(e[sort_key])), frontier)
