"""The store: one table, and the access to each aggregate in it."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from zelfregistratie.domain.periods import Periods
from zelfregistratie.store.admins import Admins
from zelfregistratie.store.application_grants import ApplicationGrants
from zelfregistratie.store.audit import Audit
from zelfregistratie.store.catalog import Catalog
from zelfregistratie.store.counts import Counts
from zelfregistratie.store.handovers import Handovers
from zelfregistratie.store.holders import Holders
from zelfregistratie.store.names import Names
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
    counts: Counts
    holders: Holders

    @property
    def names(self) -> Names:
        """The name index, which the people list searches too."""
        return self.people.names

    @property
    def periods(self) -> Periods:
        """The deployment's lifecycle periods (the template's parameters)."""
        return self.table.periods

    @classmethod
    def connect(cls, table_name: str, client: DynamoDBClient, periods: Periods | None = None) -> Store:
        """The store of a table; `periods` the deployment's (the functions pass the template's), else
        the defaults (the loader, the tools)."""
        table = Table(table_name, client, periods)
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
            Counts(table),
            Holders(table),
        )
