"""Every change is an event (docs/applications.md): each detail-type from the change that should emit it,
through the API and notify onto the bus (moto's EventBridge, read back from the template's archive);
each valid against its JSON Schema under `events/`, with no e-mail address or phone number; a
redelivered record publishes no event with a new id; a failed publish is retried like a mail."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from botocore.exceptions import ClientError

from devstack.events import EventLog, PublishedEvent
from devstack.outbox import Outbox
from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.factories import filing_body
from tests.integration.test_notify import Stream, deliver
from tools import event_schemas

ORG = "0428364866"
ELODIE = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32"
REGION = TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]


@pytest.fixture
def bus(table: Table, demo: DataSet) -> tuple[Any, Stream, EventLog]:

    ses_as_deployed()
    from functions.notify import app

    stream = Stream(table)
    stream.new_records()  # the demo data load publishes nothing
    return app, stream, EventLog(REGION, archive=TEST_ENVIRONMENT["EVENT_BUS_NAME"])


def published(bus: tuple[Any, Stream, EventLog]) -> list[PublishedEvent]:
    """What notify publishes for everything written since the last look, oldest first."""
    notify, stream, log = bus
    before = len(log.events())
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    return list(reversed(log.events()))[before:]


def archived(log: EventLog) -> list[dict[str, Any]]:
    """Every event on the bus as EventBridge took it, duplicates included."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.events.models import events_backends

    archive = events_backends[DEFAULT_ACCOUNT_ID][REGION].archives[TEST_ENVIRONMENT["EVENT_BUS_NAME"]]
    return [dict(event) for event in archive.events]


def valid(event: PublishedEvent) -> PublishedEvent:
    schema = json.loads((event_schemas.DIRECTORY / f"{event.detail_type}.schema.json").read_text())
    jsonschema.validate(event.detail, schema, format_checker=jsonschema.FormatChecker())
    assert event.source == "zelfregistratie"
    return event


def test_each_change_emits_its_event_valid_against_its_schema_without_contact_details(
    api: Api, personas: dict[str, Persona], bus: tuple[Any, Stream, EventLog]
) -> None:
    els, sofie, jonas = personas["beheerder"], personas["aanvrager"], personas["aanvrager2"]
    kinds: list[list[str]] = []

    def step(answer: Any, status: int) -> list[PublishedEvent]:
        assert answer.status == status, answer.body
        events = [valid(e) for e in published(bus)]
        kinds.append([e.detail_type for e in events])
        return events

    filed = api.call(
        "POST", "/api/requests", caller=sofie, body=filing_body(right="DIMONA_MANDAAT_RAADPLEGER")
    )
    [request_filed] = step(filed, 201)
    assert request_filed.detail["request"]["id"] == filed.body["id"]
    assert request_filed.detail["person"] == {"sub": sofie.sub, "name": "Sofie Peeters"}
    assert request_filed.detail["organization"] == {"code": ORG, "name": "Bakkerij De Zonnebloem BV"}

    approve = {"decision": "approve", "reason": "In orde."}
    events = step(api.call("POST", f"/api/tasks/{filed.body['id']}/decision", caller=els, body=approve), 200)
    grant = next(e for e in events if e.detail_type == "GrantCreated").detail["grant"]
    assert grant["application"] == {"id": 45, "name": "Dimona Mandaat"}  # what a rule filters on
    assert grant["status"] == "active"

    other = api.call("POST", "/api/requests", caller=jonas, body=filing_body())
    step(other, 201)
    step(
        api.call(
            "POST",
            f"/api/tasks/{other.body['id']}/decision",
            caller=els,
            body={"decision": "reject", "reason": "Nee."},
        ),
        200,
    )
    third = api.call(
        "POST", "/api/requests", caller=jonas, body=filing_body(right="SUBSIDIE_AANVRAGER", application=310)
    )
    step(third, 201)
    step(api.call("POST", f"/api/requests/{third.body['id']}/cancel", caller=jonas), 200)

    [revoked] = step(
        api.call("POST", f"/api/grants/{grant['id']}/revoke", caller=els, body={"reason": "Weg."}), 200
    )
    assert revoked.detail["grant"]["status"] == "revoked" and revoked.detail["grant"]["id"] == grant["id"]
    relationship = api.call("GET", "/api/me", caller=sofie).body["workRelationships"][0]["id"]
    step(
        api.call("POST", f"/api/work-relationships/{relationship}/end", caller=els, body={"reason": "Weg."}),
        200,
    )

    appointment = {"person": ELODIE, "role": "local_admin", "email": "elodie@bakkerij.example"}
    step(api.call("POST", f"/api/organizations/{ORG}/admins", caller=els, body=appointment), 201)
    selfie = {"email": "els@nieuw.example", "phone": "+3216123401"}
    step(api.call("POST", f"/api/organizations/{ORG}/admins/self", caller=els, body=selfie), 200)
    step(api.call("DELETE", f"/api/organizations/{ORG}/admins/{ELODIE}", caller=els), 204)

    assert kinds == [
        ["RequestFiled"],
        ["RequestApproved", "WorkRelationshipCreated", "GrantCreated"],
        ["RequestFiled"],
        ["RequestRejected"],
        ["RequestFiled"],
        ["RequestCancelled"],
        ["GrantRevoked"],
        ["WorkRelationshipEnded"],
        ["LocalAdminAppointed"],
        ["LocalAdminChanged"],
        ["LocalAdminRemoved"],
    ]
    text = json.dumps([e.as_json() for e in bus[2].events()])
    for contact in ("@", "+32", "sofie.peeters", "els@nieuw"):
        assert contact not in text, contact


def test_a_redelivered_record_publishes_no_event_with_a_new_id(
    api: Api, personas: dict[str, Persona], bus: tuple[Any, Stream, EventLog]
) -> None:
    notify, stream, log = bus
    assert api.call("POST", "/api/requests", caller=personas["aanvrager"], body=filing_body()).status == 201
    records = stream.new_records()
    assert deliver(notify, records) == {"batchItemFailures": []}
    first = {e["detail"]["eventId"] for e in archived(log)}
    assert deliver(notify, records) == {"batchItemFailures": []}  # Lambda delivers the batch again
    assert {e["detail"]["eventId"] for e in archived(log)} == first and len(first) == 1
    assert len(log.events()) == 1


def test_a_failed_publish_is_retried_like_a_mail_and_nothing_goes_out_twice(
    api: Api, personas: dict[str, Persona], bus: tuple[Any, Stream, EventLog], monkeypatch: pytest.MonkeyPatch
) -> None:
    """EventBridge refuses the first filing's entry: that record fails, with the second filing after it
    (Lambda resumes the shard there). The second filing's mails go out at once; its event waits for
    the retry, in which no mail goes out again and each event goes out once."""
    notify, stream, log = bus
    outbox = Outbox(REGION)
    for persona in ("aanvrager", "aanvrager2"):
        assert api.call("POST", "/api/requests", caller=personas[persona], body=filing_body()).status == 201
    records = stream.new_records()
    real_put = notify.publisher.client.put_events
    refusals: list[str] = []

    def put_events(**kwargs: Any) -> Any:
        if not refusals:
            refusals.append(kwargs["Entries"][0]["DetailType"])
            return {
                "FailedEntryCount": 1,
                "Entries": [{"ErrorCode": "ThrottlingException", "ErrorMessage": "slow"}],
            }
        return real_put(**kwargs)

    monkeypatch.setattr(notify.publisher.client, "put_events", put_events)
    failed = deliver(notify, records)
    assert len(failed["batchItemFailures"]) == 2
    assert len(outbox.mails()) == 2 * 3 and archived(log) == []

    assert deliver(notify, records) == {"batchItemFailures": []}  # the retry, from the failed record on
    assert len(outbox.mails()) == 2 * 3
    assert [e["detail-type"] for e in archived(log)] == ["RequestFiled", "RequestFiled"]
    assert len({e["detail"]["eventId"] for e in archived(log)}) == 2


def test_an_unreachable_bus_fails_the_record_not_the_request(
    api: Api, personas: dict[str, Persona], bus: tuple[Any, Stream, EventLog], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Events are published from the stream: a bus that is down never fails a filing."""
    notify, stream, log = bus

    def down(**_: Any) -> Any:
        raise ClientError({"Error": {"Code": "InternalException", "Message": "down"}}, "PutEvents")

    monkeypatch.setattr(notify.publisher.client, "put_events", down)
    assert api.call("POST", "/api/requests", caller=personas["aanvrager"], body=filing_body()).status == 201
    failed = deliver(notify, stream.new_records())
    assert len(failed["batchItemFailures"]) == 1 and log.events() == []


def test_the_schemas_under_events_are_up_to_date() -> None:
    for name, text in event_schemas.rendered().items():
        assert (event_schemas.DIRECTORY / name).read_text(encoding="utf-8") == text, f"make schemas: {name}"


def test_a_batch_publishes_its_events_together_and_reads_each_organisation_once(
    api: Api, personas: dict[str, Persona], bus: tuple[Any, Stream, EventLog], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three filings at one organisation in one batch: one `PutEvents` with three entries, in the
    records' order, and one read of the organisation's administrators for the three."""
    notify, stream, log = bus
    for persona in ("aanvrager", "aanvrager2", "beheerder"):
        body = filing_body(organization="0415327175", email=f"{persona}@example.be")
        assert api.call("POST", "/api/requests", caller=personas[persona], body=body).status == 201
    calls: list[list[str]] = []
    real_put = notify.publisher.client.put_events

    def put_events(**kwargs: Any) -> Any:
        calls.append([e["DetailType"] for e in kwargs["Entries"]])
        return real_put(**kwargs)

    reads: list[str] = []
    catalog = notify.notifier._catalog
    real_read = catalog.organization_with_admins

    def read(code: str, **options: Any) -> Any:
        reads.append(code)
        return real_read(code, **options)

    monkeypatch.setattr(notify.publisher.client, "put_events", put_events)
    monkeypatch.setattr(catalog, "organization_with_admins", read)

    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    assert calls == [["RequestFiled"] * 3]
    assert reads == ["0415327175"]
    filed = [e["detail"]["person"]["sub"] for e in archived(log)]
    assert filed == [personas[p].sub for p in ("aanvrager", "aanvrager2", "beheerder")]  # in order


def test_an_entry_refused_in_a_batch_fails_its_record_and_every_later_one_the_earlier_stay_published(
    api: Api, personas: dict[str, Persona], bus: tuple[Any, Stream, EventLog], monkeypatch: pytest.MonkeyPatch
) -> None:
    """EventBridge takes the first and the third entry and refuses the second: the second and third
    records come again; the retry publishes the second and, with the same `eventId`, the third again."""
    notify, stream, log = bus
    for persona in ("aanvrager", "aanvrager2", "beheerder"):
        body = filing_body(organization="0415327175", email=f"{persona}@example.be")
        assert api.call("POST", "/api/requests", caller=personas[persona], body=body).status == 201
    records = stream.new_records()
    real_put = notify.publisher.client.put_events
    refused: list[int] = []

    def put_events(**kwargs: Any) -> Any:
        if refused:
            return real_put(**kwargs)
        refused.append(1)
        first, _, third = kwargs["Entries"]
        taken = real_put(Entries=[first, third])["Entries"]
        return {"FailedEntryCount": 1, "Entries": [taken[0], {"ErrorCode": "ThrottlingException"}, taken[1]]}

    monkeypatch.setattr(notify.publisher.client, "put_events", put_events)
    failed = deliver(notify, records)
    passed = [
        r["dynamodb"]["SequenceNumber"]
        for r in records
        if r["dynamodb"]["NewImage"]["kind"]["S"] == "request"
    ]
    assert [f["itemIdentifier"] for f in failed["batchItemFailures"]] == passed[1:]
    assert len(archived(log)) == 2

    retried = [r for r in records if r["dynamodb"]["SequenceNumber"] in passed[1:]]
    assert deliver(notify, retried) == {"batchItemFailures": []}
    ids = [e["detail"]["eventId"] for e in archived(log)]
    assert len(ids) == 4 and len(set(ids)) == 3  # the third once more, under its own id
