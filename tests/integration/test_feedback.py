"""SES's bounces and complaints (docs/unreachable-administrators.md) under moto, from AWS's documented
sample events in `tests/events/`: a permanent bounce or a complaint for an administrator's address
marks it unreachable in every organisation that uses it (one Query, one transaction) and mails the
colleagues; a transient bounce and an unknown address change nothing; an organisation left without a
reachable administrator refuses filings until an address is saved again."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from bench.run import CallCounter
from devstack import ses_simulator
from devstack.events import EventLog
from devstack.outbox import Outbox
from ops.load_data import DataSet, Persona
from tests.api import Api
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.events import LambdaContext
from tests.factories import filing_body
from tests.integration.test_notify import Stream, deliver

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

    ses_as_deployed()
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
    # applications hear of it: the administrator's reachability changed (docs/applications.md)
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
    feedback: Any, api: Api, table: Table, personas: dict[str, Persona]
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
    stream = Stream(table)
    stream.new_records()
    counter = CallCounter(store.table.client)
    calls, _, done = counter.during(lambda: report(feedback, "ses_bounce_permanent", TOM))
    assert done == {"marked": 2} and calls == 2  # aws_calls.bounce
    assert admins(api, lotte, OTHER)[TOM]["emailStatus"] == "bounced"
    assert admins(api, personas["beheerder"])[TOM]["emailStatus"] == "bounced"
    assert admins(api, lotte, OTHER)[LOTTE]["emailStatus"] == "ok"
    # each organisation's colleagues hear of their own organisation only
    notify = importlib.import_module("functions.notify.app")
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    told = {mail.to[0]: mail for mail in Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]).mails()}
    assert set(told) == {ELS, LOTTE}
    assert "Zonnebloem" in told[ELS].subject and "Dierenwelzijn" not in told[ELS].text + told[ELS].html
    assert "Dierenwelzijn" in told[LOTTE].subject and "Zonnebloem" not in told[LOTTE].text + told[LOTTE].html


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


# ---- a requester whose filing reached nobody (docs/unreachable-administrators.md) ---------------------


def bounce_of(mail: Any) -> dict[str, Any]:
    """SES's event for a mail that bounced, with the tags it was sent with (as moto keeps them)."""
    event = ses_simulator.feedback_for(
        ses_simulator.BOUNCE, mail.id, TEST_ENVIRONMENT["SES_SENDER"], tags=mail.tags
    )
    assert event is not None
    event["detail"]["bounce"]["bouncedRecipients"][0]["emailAddress"] = mail.to[0]
    event["detail"]["mail"]["destination"] = mail.to
    return event


class Walk:
    """A filing at the bakery (Els and Tom), its mails through notify, and SES's reports of them."""

    def __init__(self, feedback: Any, api: Api, table: Table, personas: dict[str, Persona]) -> None:
        self.feedback, self.api, self.personas = feedback, api, personas
        self.stream = Stream(table)
        self.stream.new_records()
        self.notify = importlib.import_module("functions.notify.app")
        self.outbox = Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"])
        self.seen = len(self.outbox.mails())

    def file(self, requester: str = "aanvrager", org: str = ORG) -> str:
        filed = self.api.call(
            "POST", "/api/requests", caller=self.personas[requester], body=filing_body(organization=org)
        )
        assert filed.status == 201, filed.body
        self.run_notify()
        return str(filed.body["id"])

    def run_notify(self) -> None:
        assert deliver(self.notify, self.stream.new_records()) == {"batchItemFailures": []}

    def new_mails(self) -> list[Any]:
        mails = list(reversed(self.outbox.mails()))
        fresh, self.seen = mails[self.seen :], len(mails)
        return fresh

    def report(self, event: dict[str, Any]) -> dict[str, int]:
        done: dict[str, int] = self.feedback.lambda_handler(event, LambdaContext())
        self.run_notify()
        return done


@pytest.fixture
def walk(feedback: Any, api: Api, table: Table, personas: dict[str, Persona]) -> Walk:
    return Walk(feedback, api, table, personas)


def test_the_requester_hears_when_every_administrator_mail_of_the_filing_bounced(walk: Walk) -> None:
    request = walk.file()
    to_admins = {m.to[0]: m for m in walk.new_mails() if m.to[0] in (ELS, TOM)}
    assert set(to_admins) == {ELS, TOM}
    assert to_admins[ELS].tags == {
        "mail": ["filed_admin"],
        "request": [request],
        "admin-mails": ["2"],
        "ses:configuration-set": [TEST_ENVIRONMENT["SES_CONFIGURATION_SET"]],  # SES adds it
    }

    # Tom's bounces: Els's may still arrive, so the requester hears nothing yet. Noting the filing's
    # mail costs no call of its own: it is one more write in the transaction (aws_calls.bounce = 2)
    counter = CallCounter(walk.feedback.store.table.client)
    event = bounce_of(to_admins[TOM])
    calls, _, done = counter.during(lambda: walk.feedback.lambda_handler(event, LambdaContext()))
    assert done == {"marked": 1, "undelivered": 1} and calls == 2
    walk.run_notify()
    assert [m.to for m in walk.new_mails()] == [[ELS]]  # Els hears her colleague's address fails
    # the same report again (EventBridge delivers at least once) counts once
    assert walk.report(bounce_of(to_admins[TOM])) == {"not_an_admin": 1, "undelivered": 1}
    assert walk.new_mails() == []

    # Els's bounces too: nobody was reached, and the requester is told, once, with the way on
    assert walk.report(bounce_of(to_admins[ELS])) == {"marked": 1, "undelivered": 1}
    [told] = walk.new_mails()
    assert told.to == ["sofie.peeters@example.be"]
    assert "geen beheerder bereikt" in told.subject
    assert f"{walk.notify.settings.base_url}/hulp/lokale-beheerder" in told.text
    assert 'href="http' in told.html and "/hulp/lokale-beheerder" in told.html
    assert ELS not in told.text and TOM not in told.text  # no administrator's address
    assert walk.report(bounce_of(to_admins[ELS])) == {"not_an_admin": 1, "undelivered": 1}
    assert walk.new_mails() == []
    # the request stays open
    assert (
        walk.api.call("GET", f"/api/requests/{request}", caller=walk.personas["aanvrager"]).body["status"]
        == "pending"
    )


def test_no_notice_when_one_administrator_mail_arrived_or_the_request_was_decided(walk: Walk) -> None:
    # Jonas's filing: only Tom's mail bounces; Els's arrived, so Jonas hears nothing
    walk.file("aanvrager2")
    first = {m.to[0]: m for m in walk.new_mails()}
    assert walk.report(bounce_of(first[TOM]))["undelivered"] == 1
    assert [m.to for m in walk.new_mails()] == [[ELS]]

    # Sofie's filing went to Els alone (Tom's address is known to fail: not mailed again); Els decides,
    # and only then does her mail bounce: a decided request needs no notice
    request = walk.file()
    second = {m.to[0]: m for m in walk.new_mails()}
    assert TOM not in second and second[ELS].tags["admin-mails"] == ["1"]
    decided = walk.api.call(
        "POST",
        f"/api/tasks/{request}/decision",
        caller=walk.personas["beheerder"],
        body={"decision": "approve", "reason": "Welkom."},
    )
    assert decided.status == 200
    walk.run_notify()
    walk.new_mails()
    assert walk.report(bounce_of(second[ELS])) == {"marked": 1, "undelivered": 1}
    assert all("geen beheerder bereikt" not in m.subject for m in walk.new_mails())


def test_a_filing_whose_administrators_all_failed_before_notify_ran_tells_the_requester_at_once(
    walk: Walk,
) -> None:
    filed = walk.api.call(
        "POST", "/api/requests", caller=walk.personas["aanvrager"], body=filing_body(organization=OTHER)
    )
    assert filed.status == 201
    # Lotte's address bounces (an earlier mail) between the filing and notify
    assert walk.feedback.lambda_handler(sample("ses_bounce_permanent", LOTTE), LambdaContext()) == {
        "marked": 1
    }
    walk.run_notify()
    mails = walk.new_mails()
    assert all(LOTTE not in m.to for m in mails)  # never to an address known to fail
    assert {m.subject for m in mails} >= {
        "Uw aanvraag voor Vereniging Dierenwelzijn Demo vzw is ontvangen",
        "Uw aanvraag voor Vereniging Dierenwelzijn Demo vzw heeft geen beheerder bereikt",
    }


# ---- ops: organisations without a reachable administrator ------------------------------------------


def test_organisations_without_a_reachable_administrator_are_counted_for_ops(
    walk: Walk, capsys: pytest.CaptureFixture[str]
) -> None:
    timers = importlib.import_module("functions.timers.app")

    def metric() -> float:
        capsys.readouterr()
        timers.lambda_handler({}, LambdaContext())
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
        [value] = [
            line["OrganizationsWithoutReachableAdmin"]
            for line in lines
            if "OrganizationsWithoutReachableAdmin" in line
        ]
        return float(value[0] if isinstance(value, list) else value)

    # the demo: the diving school (no address) and the bicycle workshop (its address bounced)
    assert metric() == 2
    assert walk.report(sample("ses_bounce_permanent", LOTTE)) == {"marked": 1}
    assert metric() == 3
    walk.report(sample("ses_bounce_permanent", LOTTE))  # again: still one organisation
    assert metric() == 3
    saved = walk.api.call(
        "POST",
        f"/api/organizations/{OTHER}/admins/self",
        caller=walk.personas["beheerder-andere"],
        body={"email": "lotte@nieuw.example", "phone": "+3232123403"},
    )
    assert saved.status == 200
    records = walk.stream.new_records()
    assert deliver(walk.notify, records) == {"batchItemFailures": []}
    assert metric() == 2
    # the batch that comes again (a retry) changes nothing
    assert deliver(walk.notify, records) == {"batchItemFailures": []}
    assert metric() == 2


def test_every_report_is_counted_by_kind_and_mail_and_a_requester_s_bounce_changes_nothing_else(
    feedback: Any, table: Table, capsys: pytest.CaptureFixture[str]
) -> None:
    def counted(event: dict[str, Any]) -> dict[str, Any]:
        capsys.readouterr()
        feedback.lambda_handler(event, LambdaContext())
        [line] = [json.loads(x) for x in capsys.readouterr().out.splitlines() if '"MailFeedback"' in x]
        assert line["_aws"]["CloudWatchMetrics"][0]["Dimensions"] == [["kind", "mail", "service"]]
        return {"kind": line["kind"], "mail": line["mail"]}

    before = table.items()
    requester = sample("ses_bounce_permanent", "sofie.peeters@example.be")
    requester["detail"]["mail"]["tags"]["mail"] = ["approved"]
    assert counted(requester) == {"kind": "BouncePermanent", "mail": "approved"}
    # a requester's bounce is counted, nothing more (docs/unreachable-administrators.md)
    assert table.items() == before
    assert counted(sample("ses_bounce_transient", TOM)) == {"kind": "BounceTransient", "mail": "unknown"}
    assert counted(sample("ses_complaint", TOM)) == {"kind": "Complaint", "mail": "unknown"}
