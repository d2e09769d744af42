"""The name index (store/names.py): people found by the start of any word of their name, in one
organisation or several, reading limit + 1 entries an organisation whatever its size."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bench.run import CallCounter
from zelfregistratie.domain.errors import AlreadyEnded, InvalidCursor
from zelfregistratie.domain.rights import Ending, Grant, WorkRelationship
from zelfregistratie.store.store import Store


class ItemsRead:
    """The items the calls inside the block read."""

    def __init__(self, client: object) -> None:
        self._counter = CallCounter(client)
        self.items = 0

    def __enter__(self) -> ItemsRead:
        self._start = self._total()
        return self

    def __exit__(self, *_: object) -> None:
        self.items = self._total() - self._start

    def _total(self) -> int:
        return self._counter.items_read + self._counter.items_got


def _person(store: Store, org: str, sub: str, name: str) -> WorkRelationship:
    relationship = WorkRelationship(person=sub, person_name=name, organization=org, since=date(2025, 1, 1))
    store.people.load(relationship, ())
    return relationship


@pytest.fixture
def crowd(store: Store) -> Store:
    """Two organisations: A of 60 people and B of 3; Jan Jansen works at both."""
    for n in range(60):
        _person(store, "A", f"a{n:03}", f"Persoon{n:03} Achternaam")
    _person(store, "A", "jan", "Jan Jansen")
    _person(store, "B", "jan", "Jan Jansen")
    _person(store, "B", "els", "Els Wouters")
    _person(store, "B", "janna", "Janna de Jonge")
    return store


def test_a_search_reads_what_it_finds_not_the_organisation(crowd: Store) -> None:
    with ItemsRead(crowd.table.client) as reads:
        found = crowd.names.search(["A"], "jans", 10, None)
    assert [(m.person, m.organizations) for m in found.items] == [("jan", ("A",))]
    assert found.next_cursor is None and reads.items == 1  # not the organisation's 61 lines


def test_one_person_under_two_starts_and_two_organisations_is_one_match(crowd: Store) -> None:
    found = crowd.names.search(["A", "B"], "jan", 10, None)
    assert [(m.person, m.organizations) for m in found.items] == [("jan", ("A", "B")), ("janna", ("B",))]
    assert [len(m.members) for m in found.items] == [2, 1]


def test_pages_across_organisations_follow_each_other_in_order_and_read_limit_plus_one_each(
    crowd: Store,
) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        with ItemsRead(crowd.table.client) as reads:
            page = crowd.names.search(["A", "B"], "persoon", 10, cursor)
        assert reads.items <= 2 * 11  # two organisations, limit + 1 entries each
        seen += [m.person for m in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [f"a{n:03}" for n in range(60)] and pages == 6


def test_the_people_list_searches_on_the_index_with_each_line_once(crowd: Store) -> None:
    with ItemsRead(crowd.table.client) as reads:
        page = crowd.people.members("B", "j", 25, None)
    assert [m.work_relationship.person for m in page.items] == ["jan", "janna"]  # "Jan Jansen" once
    assert reads.items <= 2 * 26
    assert crowd.people.members("B", "onge", 25, None).items == []  # not inside a word


def test_an_ended_relationship_leaves_the_index(crowd: Store) -> None:
    relationship = crowd.people.work_relationship("els", "B")
    held = crowd.people.member(relationship) if relationship else None
    assert relationship is not None and held is not None
    ending = Ending(by_person="els", by_name="Els Wouters", at=datetime(2026, 12, 1, tzinfo=UTC))
    ended, _ = relationship.end_by(ending, date(2026, 12, 1))
    tx = crowd.table.transaction()
    crowd.people.end(tx, ended, held[1], if_ended=AlreadyEnded)
    crowd.table.write(tx)
    assert crowd.names.search(["B"], "wouters", 10, None).items == []
    assert [m.person for m in crowd.names.search(["B"], "j", 10, None).items] == ["jan", "janna"]


def test_a_cursor_not_of_a_search_is_refused(crowd: Store) -> None:
    with pytest.raises(InvalidCursor):
        crowd.names.search(["A"], "p", 10, "bm90LWEtY3Vyc29y")


def test_reindex_writes_the_entries_of_a_table_written_before_the_index(crowd: Store) -> None:
    from ops import reindex

    entries = [
        i for i in crowd.table.client.scan(TableName=crowd.table.name)["Items"] if i["PK"]["S"] == "NAMES#B"
    ]
    for entry in entries:
        crowd.table.client.delete_item(TableName=crowd.table.name, Key={"PK": entry["PK"], "SK": entry["SK"]})
    assert crowd.names.search(["B"], "wouters", 10, None).items == []
    assert reindex.main(["--table", crowd.table.name]) == 0
    assert reindex.main(["--table", crowd.table.name]) == 0  # again: the same items
    assert [m.person for m in crowd.names.search(["B"], "wouters", 10, None).items] == ["els"]
    assert len(
        [i for i in crowd.table.client.scan(TableName=crowd.table.name)["Items"] if i["PK"]["S"] == "NAMES#B"]
    ) == len(entries)


def test_reindex_gives_grant_records_written_before_the_holders_index_its_keys(store: Store) -> None:
    from ops import reindex

    relationship = WorkRelationship(
        person="els", person_name="Els Wouters", organization="B", since=date(2025, 1, 1)
    )
    grant = Grant(
        person="els",
        person_name="Els Wouters",
        organization="B",
        right="R",
        begin=date(2026, 1, 1),
        end=date(2099, 1, 1),
    )
    store.people.load(relationship, (grant,))
    key = {"PK": {"S": f"GRANT#{grant.id}"}, "SK": {"S": "#GRANT"}}
    store.table.client.update_item(
        TableName=store.table.name, Key=key, UpdateExpression="REMOVE GSI3PK, GSI3SK"
    )
    assert store.holders.of(["B"], ["R"], None, ended=False, limit=10, cursor=None).items == []
    assert reindex.main(["--table", store.table.name]) == 0
    assert [g.id for g in store.holders.of(["B"], ["R"], None, ended=False, limit=10, cursor=None).items] == [
        grant.id
    ]
    assert store.holders.reindex() == 0  # none left without them
