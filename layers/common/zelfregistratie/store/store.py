"""The store: one table, and the access to each aggregate in it."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from zelfregistratie.store.admins import Admins
from zelfregistratie.store.application_grants import ApplicationGrants
from zelfregistratie.store.audit import Audit
from zelfregistratie.store.catalog import Catalog
from zelfregistratie.store.handovers import Handovers
from zelfregistratie.store.people import People
from zelfregistratie.store.requests import Requests
from zelfregistratie.store.table import Table
from zelfregistratie.store.tasks import Tasks
from zelfregistratie.store.timers import Timers

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


class Store(NamedTuple):
    table: Table
    catalog: Catalog
    people: People
    admins: Admins
    requests: Requests
    tasks: Tasks
    audit: Audit
    applications: ApplicationGrants
    timers: Timers

    @classmethod
    def connect(cls, table_name: str, client: DynamoDBClient) -> Store:
        table = Table(table_name, client)
        catalog, people, tasks = Catalog(table), People(table), Tasks(table)
        return cls(
            table,
            catalog,
            people,
            Admins(table, catalog, people, Handovers(table, tasks)),
            Requests(table, people),
            tasks,
            Audit(table),
            ApplicationGrants(table),
            Timers(table),
        )
