"""The administrator's home at scale, for `make bench`: a name search in an organisation of 5,000 and of
50,000 people, three of them named Vanderplancke, through the list_tasks handler (`limit=25`); and
the look-up of a right that a tenth of them hold (`grants_lookup_{size}`: the page's Query; its
`_authorisation`: the caller's administrator item); the calls of the home's read of the
organisations (`aws_calls.home`).

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
from functools import partial
from typing import Any

SIZES = (5_000, 50_000)
MATCHES = 3
LIMIT = 25
ORGANIZATION = "0428364866"
LOOKED_UP = "SUBSIDIE_AANVRAGER"


def _people(store: Any, size: int) -> None:
    """`size` people; every tenth holds the look-up's right."""
    from zelfregistratie.domain.rights import Grant, WorkRelationship

    every = size // MATCHES
    for n in range(size):
        family = "Vanderplancke" if n % every == 7 else f"Achternaam{n:05}"
        relationship = WorkRelationship(
            person=f"person-{n}",
            person_name=f"Voornaam {family}",
            organization=ORGANIZATION,
            since=date(2024, 1, 1),
        )
        grants: tuple[Grant, ...] = ()
        if n % 10 == 0:
            grant = Grant(
                person=relationship.person,
                person_name=relationship.person_name,
                organization=ORGANIZATION,
                right=LOOKED_UP,
                begin=date(2026, 1, 1),
                end=date(2099, 1, 1),
            )
            grants = (grant,)
        store.people.load(relationship, grants)


def figures(sizes: tuple[int, ...] = SIZES) -> tuple[dict[str, int], dict[str, int]]:
    """(items read by one search, per size and route; the calls of the home's first screen, at the
    largest size)."""
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
            # the look-up of a right held by a tenth of them: the page's Query, and the caller's
            # administrator item it checks first
            read, got = counter.items_read, counter.items_got
            query = {"right": LOOKED_UP, "organization": ORGANIZATION, "limit": str(LIMIT)}
            answer = _as(admin, list_tasks, "GET", "/api/grants", query=query)
            assert len(answer["items"]) == LIMIT, answer
            assert answer["nextCursor"], answer
            found[f"grants_lookup_{size}"] = counter.items_read - read
            found[f"grants_lookup_{size}_authorisation"] = counter.items_got - got
            # the home's own read beside /api/me: the organisations with their counts
            home_calls, _, _ = counter.during(partial(_as, admin, list_tasks, "GET", "/api/organizations"))
    return found, {"home": home_calls}
