"""The administrator's home at scale, for `make bench`: a name search in an organisation of 5,000 and of
50,000 people, three of them named Vanderplancke, through the list_tasks handler (`limit=25`).

The people are written by the store's own write (`People.load`: the work relationship, its line of the
people list and the line's name entries). Reported per size: the items a search reads, the entries of
the name index (a Query's `ScannedCount`) and the lines they point to (a `BatchGetItem`), over all
the caller's organisations (`/api/people`) and in the one organisation
(`/api/organizations/{code}/people?q=`); each is at most 2 × (limit + 1) whatever the size.
"""

from __future__ import annotations

import importlib
import os
from datetime import date
from typing import Any

SIZES = (5_000, 50_000)
MATCHES = 3
LIMIT = 25
ORGANIZATION = "0428364866"


def _people(store: Any, size: int) -> None:
    from zelfregistratie.domain.rights import WorkRelationship

    every = size // MATCHES
    for n in range(size):
        family = "Vanderplancke" if n % every == 7 else f"Achternaam{n:05}"
        relationship = WorkRelationship(
            person=f"person-{n}",
            person_name=f"Voornaam {family}",
            organization=ORGANIZATION,
            since=date(2024, 1, 1),
        )
        store.people.load(relationship, ())


def figures(sizes: tuple[int, ...] = SIZES) -> dict[str, int]:
    """Items read by one search, per size and route."""
    from moto import mock_aws

    from bench.run import ENVIRONMENT, ROOT, CallCounter, _as
    from devstack import moto_atomic, template
    from ops import load_data
    from zelfregistratie.store.store import Store

    os.environ.update(ENVIRONMENT)
    moto_atomic.faithful_moto()  # the local stack's AWS: moto with our adapter
    found: dict[str, int] = {}
    for size in sizes:
        with mock_aws():
            import boto3

            client = boto3.client("dynamodb")
            template.create_table(client, ENVIRONMENT["TABLE_NAME"])
            store = Store.connect(ENVIRONMENT["TABLE_NAME"], client)
            data = load_data.read(ROOT / "data" / "demo.yaml")
            load_data.write(store, data)
            _people(store, size)
            admin = {p.id: p for p in data.personas}["beheerder"]
            list_tasks = importlib.import_module("functions.list_tasks.app")
            counter = CallCounter(list_tasks.store.table.client)
            for route, path in [
                ("people_search", "/api/people"),
                ("people_search_in_organization", f"/api/organizations/{ORGANIZATION}/people"),
            ]:
                # every one of them matches (a full page), and three do
                for text, expected, suffix in [("voornaam", LIMIT, ""), ("vanderpl", MATCHES, "_3_matches")]:
                    before = counter.items_read + counter.items_got
                    answer = _as(admin, list_tasks, "GET", path, query={"q": text, "limit": str(LIMIT)})
                    assert len(answer["items"]) == expected, answer
                    found[f"{route}_{size}{suffix}"] = counter.items_read + counter.items_got - before
    return found
