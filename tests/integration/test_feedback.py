"""SES's bounces and complaints (PRODUCT.md §11) under moto, from AWS's documented sample events in
`tests/events/`: a permanent bounce or a complaint for an administrator's address marks it unreachable
in every organisation that uses it (one Query, one transaction) and mails the colleagues; a transient
bounce and an unknown address change nothing; an organisation left without a reachable administrator
refuses filings until an address is saved again."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from local.events import EventLog
from local.outbox import Outbox
from tests.api import Api
from tests.conftest import TEST_ENVIRONMENT, Table
from tests.events import LambdaContext
from tests.factories import filing_body
from tests.integration.test_notify import Stream, deliver
from tools.bench import CallCounter
from tools.load_data import DataSet, Persona

EVENTS = Path(__file__).resolve().parents[1] / "events"
ORG, OTHER = "0428364866", "0415327175"
ELS, TOM = "els.wouters@zonnebloem.example", "tom.jacobs@zonnebloem.example"
LOTTE = "lotte.claes@dierenwelzijn.example"


def sample(name: str, address: str) -> dict[str, Any]:
    """AWS's sample event, for `address`."""
    text = (EVENTS / f"{name}.json").read_text().replace("recipient@example.com", address)
    event: dict[str, Any] = json.loads(text)
    return event


@pytest.fixture
def feedback(demo: DataSet, table: Table) -> Any:
    import boto3

    boto3.client("sesv2").create_email_identity(EmailIdentity=TEST_ENVIRONMENT["SES_SENDER"])
    return importlib.import_module("functions.ses_feedback.app")


def report(feedback: Any, name: str, address: str) -> dict[str, int]:
    done: dict[str, int] = feedback.lambda_handler(sample(name, address), LambdaContext())
    return done


def admins(api: Api, caller: Persona, org: str = ORG) -> dict[str, dict[str, Any]]:
    return {
        a["email"]: a
        for a in api.call("GET", f"/api/organizations/{org}/admins", caller=caller).body["admins"]
    }


def test_a_permanent_bounce_marks_the_address_unreachable_and_tells_the_colleagues(
    feedback: Any, api: Api, table: Table, personas: dict[str, Persona]
) -> None:
    els = personas["beheerder"]
    stream = Stream(table)
    stream.new_records()
    assert report(feedback, "ses_bounce_permanent", TOM) == {"marked": 1}
    assert admins(api, els)[TOM]["emailStatus"] == "bounced"
    assert admins(api, els)[ELS]["emailStatus"] == "ok"
    shown = api.call("GET", f"/api/organizations/{ORG}", caller=personas["aanvrager"]).body["localAdmins"]
    assert {a["name"]: a["reachable"] for a in shown} == {"Els Wouters": True, "Tom Jacobs": False}
    notify = importlib.import_module("functions.notify.app")
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    # applications hear of it: the administrator's reachability changed (PRODUCT.md §9)
    [changed] = EventLog(
        TEST_ENVIRONMENT["AWS_DEFAULT_REGION"], archive=TEST_ENVIRONMENT["EVENT_BUS_NAME"]
    ).events()
    assert changed.detail_type == "LocalAdminChanged" and changed.detail["person"]["name"] == "Tom Jacobs"
    assert TOM not in json.dumps(changed.detail)
    [mail] = Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]).mails()
    assert mail.to == [ELS] and "Tom Jacobs" in mail.subject and "komen niet aan" in mail.subject
    assert TOM not in mail.text  # the address itself is not repeated
    # the same report again changes nothing
    assert report(feedback, "ses_bounce_permanent", TOM) == {"not_an_admin": 1}


def test_a_complaint_counts_as_a_bounce(feedback: Any, api: Api, personas: dict[str, Persona]) -> None:
    assert report(feedback, "ses_complaint", TOM) == {"marked": 1}
    assert admins(api, personas["beheerder"])[TOM]["emailStatus"] == "complained"


def test_a_transient_bounce_and_an_unknown_address_change_nothing(
    feedback: Any, api: Api, table: Table, personas: dict[str, Persona]
) -> None:
    before = len(table.items())
    assert report(feedback, "ses_bounce_transient", TOM) == {"transient": 1}
    assert report(feedback, "ses_bounce_permanent", "niemand@example.be") == {"not_an_admin": 1}
    assert report(feedback, "ses_bounce_permanent", "sofie.peeters@example.be") == {"not_an_admin": 1}
    assert admins(api, personas["beheerder"])[TOM]["emailStatus"] == "ok"
    assert len(table.items()) == before


def test_an_address_two_organisations_share_is_marked_in_both_with_one_query_and_one_transaction(
    feedback: Any, api: Api, personas: dict[str, Persona]
) -> None:
    lotte = personas["beheerder-andere"]
    # Tom also administers the animal shelter, with the same address
    from zelfregistratie.domain.entities import AdminRole, LocalAdmin

    store = feedback.store
    tom = personas["beheerder2"]
    store.admins.put(
        LocalAdmin(
            organization=OTHER,
            organization_name="Dierenwelzijn",
            person=tom.sub,
            name="Tom Jacobs",
            role=AdminRole.LOCAL,
            email=TOM,
        )
    )
    store.table.client.update_item(
        TableName=store.table.name,
        Key={"PK": {"S": f"ORG#{OTHER}"}, "SK": {"S": "#ORG"}},
        UpdateExpression="ADD reachable_admins :one",
        ExpressionAttributeValues={":one": {"N": "1"}},
    )
    counter = CallCounter(store.table.client)
    calls, _, done = counter.during(lambda: report(feedback, "ses_bounce_permanent", TOM))
    assert done == {"marked": 2} and calls == 2  # aws_calls.bounce
    assert admins(api, lotte, OTHER)[TOM]["emailStatus"] == "bounced"
    assert admins(api, personas["beheerder"])[TOM]["emailStatus"] == "bounced"
    assert admins(api, lotte, OTHER)[LOTTE]["emailStatus"] == "ok"


def test_an_organisation_without_a_reachable_administrator_refuses_filings_until_an_address_is_saved(
    feedback: Any, api: Api, personas: dict[str, Persona]
) -> None:
    lotte, sofie = personas["beheerder-andere"], personas["aanvrager"]
    body = filing_body(organization=OTHER)
    assert report(feedback, "ses_bounce_permanent", LOTTE) == {"marked": 1}
    form = api.call("GET", f"/api/organizations/{OTHER}", caller=sofie).body
    assert [a["reachable"] for a in form["localAdmins"]] == [False]
    refused = api.call("POST", "/api/requests", caller=sofie, body=body)
    assert (refused.status, refused.code) == (422, "no_local_admin")
    # Lotte saves her address (the same one): `ok` again, and the organisation receives requests
    saved = api.call(
        "POST",
        f"/api/organizations/{OTHER}/admins/self",
        caller=lotte,
        body={"email": LOTTE, "phone": "+3232123403"},
    )
    assert saved.status == 200, saved.body
    assert admins(api, lotte, OTHER)[LOTTE]["emailStatus"] == "ok"
    assert api.call("POST", "/api/requests", caller=sofie, body=body).status == 201
