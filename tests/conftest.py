"""Shared fixtures: a moto account with the template's own table, the demo data, API events."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# Set before any handler module is imported: handlers validate their configuration at import.
TEST_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "eu-west-1",
    "AWS_REGION": "eu-west-1",
    "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    "TABLE_NAME": "zelfregistratie-test",
    "ENVIRONMENT": "local",
    "PUBLIC_BASE_URL": "https://zelfregistratie.test",
    "SES_SENDER": "no-reply@zelfregistratie.test",
    "SES_CONFIGURATION_SET": "zelfregistratie-test",
    "EVENT_BUS_NAME": "zelfregistratie-local",
    "POWERTOOLS_METRICS_NAMESPACE": "Zelfregistratie",
    "POWERTOOLS_SERVICE_NAME": "tests",
    "POWERTOOLS_DEV": "false",
}
os.environ.update(TEST_ENVIRONMENT)

import boto3  # noqa: E402
import pytest  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.core.models import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.dynamodb.models import dynamodb_backends  # noqa: E402
from moto.dynamodb.models.table import Table as MotoTable  # noqa: E402

from devstack import template  # noqa: E402
from devstack.moto_atomic import faithful_moto  # noqa: E402
from ops import load_data  # noqa: E402
from zelfregistratie.store.store import Store  # noqa: E402

faithful_moto()

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "data" / "demo.yaml"


@dataclass(frozen=True)
class Table:
    client: Any
    name: str
    stream_arn: str

    def items(self) -> list[dict[str, Any]]:
        """Every item, for assertions that nothing else was stored (tests only: a Scan)."""
        return list(self.client.scan(TableName=self.name)["Items"])


@pytest.fixture
def aws() -> Iterator[None]:
    """A moto account with the template's event bus (every stream consumer publishes onto it). boto3's
    default session outlives each test (moto would drop it, and each client would load its service
    model again); moto resets its data as ever."""
    with mock_aws(config={"core": {"reset_boto3_session": False}}):
        template.create_event_bus(boto3.client("events"), TEST_ENVIRONMENT["ENVIRONMENT"])
        yield


def ses_as_deployed() -> None:
    """SES as the stack has it: the sender verified, the stack's configuration set with its destination."""
    from moto.core.models import DEFAULT_ACCOUNT_ID

    ses = boto3.client("sesv2")
    ses.create_email_identity(EmailIdentity=TEST_ENVIRONMENT["SES_SENDER"])
    template.create_configuration_set(
        ses, TEST_ENVIRONMENT["SES_CONFIGURATION_SET"], TEST_ENVIRONMENT["AWS_REGION"], DEFAULT_ACCOUNT_ID
    )


@pytest.fixture
def table(aws: None) -> Table:
    client = boto3.client("dynamodb")
    name = TEST_ENVIRONMENT["TABLE_NAME"]
    stream_arn = template.create_table(client, name)
    return Table(client, name, stream_arn)


@pytest.fixture
def store(table: Table) -> Store:
    return Store.connect(table.name, table.client)


@pytest.fixture(scope="session")
def demo_data() -> load_data.DataSet:
    return load_data.read(DEMO_FILE)


_LOADED: list[MotoTable] = []  # the demo's table as the first test loaded it (per worker)


@pytest.fixture
def demo(table: Table, store: Store, demo_data: load_data.DataSet) -> load_data.DataSet:
    """The demo data in the test's table: loaded by the first test, then a copy of that table (its
    items, indexes and stream records) under this test's table and stream."""
    tables = dynamodb_backends[DEFAULT_ACCOUNT_ID][TEST_ENVIRONMENT["AWS_REGION"]].tables
    if not _LOADED:
        load_data.write(store, demo_data)
        _LOADED.append(copy.deepcopy(tables[table.name]))
        return demo_data
    fresh, loaded = tables[table.name], copy.deepcopy(_LOADED[0])
    loaded.latest_stream_label = fresh.latest_stream_label
    tables[table.name] = loaded
    return demo_data


@pytest.fixture(scope="session")
def personas(demo_data: load_data.DataSet) -> dict[str, load_data.Persona]:
    return {persona.id: persona for persona in demo_data.personas}


@pytest.fixture
def api(demo: load_data.DataSet) -> Any:
    """The API over the demo data: each call reaches the function template.yaml routes it to."""
    from tests.api import Api

    return Api()


# A month's end that is already the next day in Brussels: 23:30 UTC on 30 January is 00:30 on 31 January.
FROZEN_NOW = datetime(2026, 1, 30, 23, 30, tzinfo=UTC)


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """The handlers' clock stopped at `FROZEN_NOW`, so tests can state the dates they expect."""
    from zelfregistratie.domain import clock

    monkeypatch.setattr(clock, "now", lambda: FROZEN_NOW)
    return FROZEN_NOW


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked `runs_first` lead: with `--dist loadfile --no-loadscope-reorder` (the Makefile) their
    file goes to a worker at once, and the other worker takes the rest beside it, instead of the long
    one starting last (xdist otherwise orders files by their number of tests)."""
    items.sort(key=lambda item: item.get_closest_marker("runs_first") is None)
