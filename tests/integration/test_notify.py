"""notify, fed real stream records (moto's get_records, shaped as Lambda shapes them): who gets which
mail, what it says, and delivery that loses nothing and duplicates nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from devstack import template
from devstack.outbox import Mail, Outbox
from ops import streams
from ops.load_data import DataSet, Persona
from tests.conftest import TEST_ENVIRONMENT, Table, ses_as_deployed
from tests.events import LambdaContext
from tests.factories import a_request, cancelled_in, decided_in, hold
from zelfregistratie.domain.entities import Outcome
from zelfregistratie.domain.requests import AccessRequest, Decision
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.requests import Effects
from zelfregistratie.store.store import Store

ELS = "els.wouters@zonnebloem.example"
TOM = "tom.jacobs@zonnebloem.example"


@pytest.fixture
def notify(demo: DataSet) -> Any:
    ses_as_deployed()
    from functions.notify import app

    return app


@pytest.fixture
def outbox(notify: Any) -> Outbox:
    return Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"])


class Stream(streams.Follower):
    """The table's stream, each read from where the previous one stopped (the first from its start)."""

    def __init__(self, table: Table) -> None:
        super().__init__(boto3.client("dynamodbstreams"), table.stream_arn)

    def new_records(self) -> list[dict[str, Any]]:
        return self.read()


@pytest.fixture
def stream(table: Table, demo: DataSet) -> Stream:
    stream = Stream(table)
    stream.skip_existing()  # the demo data load is not news
    return stream


def deliver(notify: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """The records as the event source mapping hands them over: those its filter passes, in order."""
    patterns = streams.filter_patterns(template.resource("NotifyStreamMapping")["Properties"])
    passed = [r for r in records if streams.passes(r, patterns)]
    result: dict[str, Any] = notify.lambda_handler({"Records": passed}, LambdaContext())
    return result


def file(store: Store, requester: Persona, **overrides: Any) -> AccessRequest:
    request = a_request(requester=requester.sub, created_at=datetime.now(UTC), **overrides)
    request = replace(request, requester_name=f"{requester.given_name} {requester.family_name}")
    store.requests.create(request, request.created_at.date())
    return request


def by_recipient(mails: list[Mail]) -> dict[str, Mail]:
    return {mail.to[0]: mail for mail in mails}


def test_a_filed_request_mails_the_requester_and_every_reachable_administrator(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    request = file(store, personas["aanvrager"])
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}

    mails = by_recipient(outbox.mails())
    assert set(mails) == {"sofie@example.be", ELS, TOM}
    confirmation = mails["sofie@example.be"]
    assert confirmation.subject == "Uw aanvraag voor Bakkerij De Zonnebloem BV is ontvangen"
    assert "Dimona mandaatbeheerder" in confirmation.text and "lokale beheerders" in confirmation.text
    for admin in (ELS, TOM):
        mail = mails[admin]
        assert mail.subject == "Nieuwe aanvraag van Sofie Peeters voor Bakkerij De Zonnebloem BV"
        assert f"https://zelfregistratie.test/beheer/taken/{request.id}" in mail.text
        assert f'href="https://zelfregistratie.test/beheer/taken/{request.id}"' in mail.html
    for mail in mails.values():
        assert (
            "Dit bericht werd automatisch verstuurd" in mail.text
            and "Dit bericht werd automatisch verstuurd" in mail.html
        )
        assert "https://overheid.vlaanderen.be/gebruikersbeheer" in mail.text


def test_the_requester_who_administers_the_organisation_gets_no_admin_mail(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    file(store, personas["beheerder2"], right="DIMONA_MANDAAT_RAADPLEGER")
    deliver(notify, stream.new_records())
    assert set(by_recipient(outbox.mails())) == {"sofie@example.be", ELS}


def test_user_text_is_escaped_in_html_and_kept_in_text(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    request = a_request(requester=personas["aanvrager"].sub, created_at=datetime.now(UTC))
    request = replace(request, reason="<script>alert('x')</script> & meer")
    store.requests.create(request, request.created_at.date())
    deliver(notify, stream.new_records())
    admin_mail = by_recipient(outbox.mails())[ELS]
    assert "<script>" not in admin_mail.html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; meer" in admin_mail.html
    assert "<script>alert('x')</script> & meer" in admin_mail.text


def test_a_record_delivered_twice_sends_once(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    file(store, personas["aanvrager"])
    records = stream.new_records()
    deliver(notify, records)
    deliver(notify, records)
    assert len(outbox.mails()) == 3


def _decide(store: Store, request: AccessRequest, outcome: Outcome, reason: str) -> None:
    decision = Decision(
        outcome=outcome,
        by_person="5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a01",
        by_name="Els Wouters",
        at=datetime.now(UTC),
        reason=reason,
    )
    grant = None
    if outcome is Outcome.APPROVED:
        grant = Grant(
            person=request.requester,
            organization=request.organization,
            right=request.right or "",
            begin=date(2026, 11, 28),
            end=date(2028, 11, 28),
        )
    day = date(2026, 11, 28)
    effects = Effects(grant, WorkRelationship.for_request(request, day), ()) if grant else None
    decided_in(store, request, decision, day, effects)


def test_a_rejection_uses_the_seeds_wording_and_tells_the_other_administrators(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    request = file(store, personas["aanvrager"])
    _decide(
        store,
        request,
        Outcome.REJECTED,
        "Testen of de mailing correct werkt voor een afgekeurde aanvraag",
    )
    deliver(notify, stream.new_records())
    mails = by_recipient(
        [m for m in outbox.mails() if "ontvangen" not in m.subject and "Nieuwe" not in m.subject]
    )
    assert set(mails) == {"sofie@example.be", TOM}
    rejection = mails["sofie@example.be"].text
    for sentence in [
        "Beste Gebruiker,",
        "U heeft een aanvraag ingediend om gebruikersrechten te bekomen voor organisatie "
        '"Bakkerij De Zonnebloem BV" (0428364866).',
        'Gevraagd gebruikersrecht: "Dimona mandaatbeheerder"',
        "Uw aanvraag werd afgekeurd door een lokale beheerder van de organisatie waarvoor u het recht heeft "
        "aangevraagd.",
        '"Testen of de mailing correct werkt voor een afgekeurde aanvraag"',
        "Indien u vragen heeft over deze afkeuring raden wij u aan rechtstreeks contact te nemen met de "
        "lokale beheerder van de organisatie.",
    ]:
        assert sentence in rejection
    colleague = mails[TOM]
    assert "al behandeld door Els Wouters" in colleague.text and "afgekeurd" in colleague.text


def test_an_approval_tells_reason_right_organisation_and_end_date(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    request = file(store, personas["aanvrager"])
    stored = store.requests.get(request.id)
    assert stored is not None
    _decide(store, stored, Outcome.APPROVED, "Welkom bij het team")
    deliver(notify, stream.new_records())
    approval = next(m for m in outbox.mails() if m.subject.endswith("goedgekeurd"))
    assert approval.to == ["sofie@example.be"]
    assert "goedgekeurd" in approval.text and '"Welkom bij het team"' in approval.text
    assert "Dimona mandaatbeheerder" in approval.text and "28/11/2028" in approval.text
    assert "Bakkerij De Zonnebloem BV" in approval.text


def test_a_cancellation_tells_the_administrators(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    request = file(store, personas["aanvrager"])
    cancelled_in(store, request, datetime.now(UTC))
    deliver(notify, stream.new_records())
    cancelled = [m for m in outbox.mails() if "ingetrokken" in m.subject]
    assert sorted(m.to[0] for m in cancelled) == [ELS, TOM]


def test_irrelevant_records_send_nothing(notify: Any, store: Store, stream: Stream, outbox: Outbox) -> None:
    hold(
        store,
        Grant(person="p", organization="0428364866", right="X", begin=date(2026, 1, 1), end=date(2027, 1, 1)),
    )
    records = stream.new_records()
    assert records
    assert deliver(notify, records) == {"batchItemFailures": []}
    assert outbox.mails() == []


def test_throttling_fails_that_record_and_the_retry_sends_each_mail_once(
    notify: Any,
    store: Store,
    stream: Stream,
    outbox: Outbox,
    personas: dict[str, Persona],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for right in ["DIMONA_MANDAAT_BEHEERDER", "DIMONA_MANDAAT_RAADPLEGER", "R3", "R4", "R5"]:
        file(store, personas["aanvrager"], right=right)
    requests = [r for r in stream.new_records() if r["dynamodb"]["NewImage"]["kind"]["S"] == "request"]
    assert len(requests) == 5
    third = requests[2]
    third_id = third["dynamodb"]["NewImage"]["id"]["S"]
    real_send = notify.postman.client.send_email
    throttled: list[str] = []

    def send_email(**kwargs: Any) -> Any:
        """SES throttles the third request's mail to Tom, once."""
        to_tom = kwargs["Destination"]["ToAddresses"] == [TOM]
        if to_tom and third_id in kwargs["Content"]["Simple"]["Body"]["Text"]["Data"] and not throttled:
            throttled.append(TOM)
            raise ClientError({"Error": {"Code": "TooManyRequestsException", "Message": "slow"}}, "SendEmail")
        return real_send(**kwargs)

    monkeypatch.setattr(notify.postman.client, "send_email", send_email)
    first = deliver(notify, requests)
    # Lambda resumes a stream from the first failed record: it and every later one are reported (the
    # later ones' mails went out; their events wait for then, so none goes out twice)
    assert first == {
        "batchItemFailures": [{"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in requests[2:]]
    }
    assert len(outbox.mails()) == 5 * 3 - 1

    assert deliver(notify, requests[2:]) == {"batchItemFailures": []}
    mails = outbox.mails()
    assert len(mails) == 5 * 3
    assert len([m for m in mails if m.to == [TOM] and third_id in m.text]) == 1


def test_a_rejected_address_is_counted_and_does_not_block_the_shard(
    notify: Any,
    store: Store,
    stream: Stream,
    outbox: Outbox,
    personas: dict[str, Persona],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file(store, personas["aanvrager"])
    real_send = notify.postman.client.send_email

    def send_email(**kwargs: Any) -> Any:
        if kwargs["Destination"]["ToAddresses"] == [TOM]:
            raise ClientError({"Error": {"Code": "MessageRejected", "Message": "bad address"}}, "SendEmail")
        return real_send(**kwargs)

    monkeypatch.setattr(notify.postman.client, "send_email", send_email)
    records = stream.new_records()
    assert deliver(notify, records) == {"batchItemFailures": []}
    assert set(by_recipient(outbox.mails())) == {"sofie@example.be", ELS}


def test_administrator_changes_mail_the_person_concerned(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    from tests.api import claims_for
    from zelfregistratie.api.identity import caller_from_claims
    from zelfregistratie.logic import appointments

    marc = caller_from_claims(claims_for(personas["vertegenwoordiger"]))
    els = caller_from_claims(claims_for(personas["beheerder"]))
    now = datetime.now(UTC)
    for actor, org, email, phone in [
        (marc, "0418825808", "marc@duik.example", "+3216000000"),  # appoints himself
        (els, "0428364866", "els@nieuw.example", "+3216123401"),  # changes her e-mail
    ]:
        appointments.appoint_self(store, actor, org, email=email, phone=phone, now=now, today=now.date())
    appointments.remove(
        store,
        els,
        "0428364866",
        "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a02",
        confirm=False,
        now=now,
    )
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}

    mails = {(m.to[0], m.subject) for m in outbox.mails()}
    assert mails == {
        ("marc@duik.example", "U bent hoofd lokale beheerder van Duikschool Atlantis Demo"),
        # to the previous address only (docs/unreachable-administrators.md)
        (ELS, "Uw e-mailadres als hoofd lokale beheerder van Bakkerij De Zonnebloem BV is gewijzigd"),
        (TOM, "U bent niet langer lokale beheerder van Bakkerij De Zonnebloem BV"),
    }
    removed = next(m for m in outbox.mails() if m.to == [TOM])
    assert "Els Wouters heeft u op" in removed.text and "verwijderd" in removed.text


def test_mails_are_counted_per_kind(
    notify: Any,
    store: Store,
    stream: Stream,
    personas: dict[str, Persona],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    file(store, personas["aanvrager"])
    capsys.readouterr()
    deliver(notify, stream.new_records())
    sent = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"MailsSent"' in line]
    assert sorted(m["kind"] for m in sent) == ["filed_admin", "filed_admin", "filed_requester"]


@pytest.mark.parametrize("line_break", ["\u0085", "\u2028", "\r\n", "\x0b", "\x1e"])
def test_a_name_claim_with_a_line_break_still_mails_every_administrator(
    notify: Any, stream: Stream, outbox: Outbox, personas: dict[str, Persona], line_break: str
) -> None:
    """The name comes from the token; it is put on one line where it is read, so no mail header breaks."""
    from tests.api import Api
    from tests.events import claims_of
    from tests.factories import filing_body as body

    sofie = personas["aanvrager"]
    claims = claims_of(sofie.sub, f"So{line_break}fie", "Peeters")
    filed = Api("submit_request").call("POST", "/api/requests", caller=claims, body=body())
    assert filed.status == 201, filed.body
    assert deliver(notify, stream.new_records()) == {"batchItemFailures": []}
    mails = by_recipient(outbox.mails())
    assert set(mails) == {"sofie.peeters@example.be", ELS, TOM}
    assert mails[ELS].subject == "Nieuwe aanvraag van So fie Peeters voor Bakkerij De Zonnebloem BV"


def test_a_mail_that_cannot_be_built_is_retried_never_marked_sent(
    notify: Any,
    store: Store,
    stream: Stream,
    outbox: Outbox,
    personas: dict[str, Persona],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A failure that is neither SES's refusal nor throttling releases the claim: the record fails, the
    other administrator is still mailed, and the retry (or in the end the dead-letter queue) has it."""
    from zelfregistratie.mail import send

    file(store, personas["aanvrager"])
    records = stream.new_records()
    real_content = send.content

    def broken_for_tom(mail: Any) -> dict[str, Any]:
        if mail.to == TOM:
            raise ValueError("Header values may not contain linefeed or carriage return characters")
        return real_content(mail)

    monkeypatch.setattr(send, "content", broken_for_tom)
    failed = deliver(notify, records)
    assert len(failed["batchItemFailures"]) == 1
    assert set(by_recipient(outbox.mails())) == {"sofie@example.be", ELS}

    monkeypatch.setattr(send, "content", real_content)
    assert deliver(notify, records) == {"batchItemFailures": []}
    assert sorted(m.to[0] for m in outbox.mails()) == sorted(["sofie@example.be", ELS, TOM])


def test_the_requesters_mails_carry_the_request_number_and_name_the_administrators(
    notify: Any, store: Store, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    request = file(store, personas["aanvrager"])
    deliver(notify, stream.new_records())
    filed = by_recipient(outbox.mails())[request.email]
    assert f"Aanvraagnummer: {request.number}" in filed.text
    assert "(Els Wouters, Tom Jacobs)" in filed.text  # heads first, names only
    assert "zonnebloem.example" not in filed.text
    _decide(store, request, Outcome.REJECTED, "Niet bij ons.")
    deliver(notify, stream.new_records())
    [rejected] = [m for m in outbox.mails() if m.to == [request.email] and "afgekeurd" in m.text]
    assert "Neem contact op met uw lokale beheerder: Els Wouters, Tom Jacobs." in rejected.text
    assert f"Aanvraagnummer: {request.number}" in rejected.text


def _ses_backend() -> Any:
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return ses_backends[DEFAULT_ACCOUNT_ID][TEST_ENVIRONMENT["AWS_REGION"]]


def _sender_identity(status: str) -> None:
    _ses_backend().email_identities[TEST_ENVIRONMENT["SES_SENDER"]].verification_status = status


def _configuration_set(present: bool) -> None:
    from moto.core.models import DEFAULT_ACCOUNT_ID

    ses, name = boto3.client("sesv2"), TEST_ENVIRONMENT["SES_CONFIGURATION_SET"]
    if present:
        template.create_configuration_set(ses, name, TEST_ENVIRONMENT["AWS_REGION"], DEFAULT_ACCOUNT_ID)
    else:
        ses.delete_configuration_set(ConfigurationSetName=name)


def _account(**state: bool) -> None:
    from devstack import moto_ses

    moto_ses.account(_ses_backend()).update(state)


# What SES answers when the account or the setup is wrong (devstack/moto_ses.py answers as SES does), and
# what ops do about it (docs/deploy.md).
SETUP_ERRORS: dict[str, tuple[str, Callable[[], None], Callable[[], None]]] = {
    "sandbox": (
        "MessageRejected",
        lambda: _account(ProductionAccessEnabled=False),
        lambda: _account(ProductionAccessEnabled=True),
    ),
    "sender not verified": (
        "MessageRejected",
        lambda: _sender_identity("PENDING"),
        lambda: _sender_identity("SUCCESS"),
    ),
    "configuration set missing": (
        "NotFoundException",
        lambda: _configuration_set(False),
        lambda: _configuration_set(True),
    ),
    "sending paused": (
        "SendingPausedException",
        lambda: _account(SendingEnabled=False),
        lambda: _account(SendingEnabled=True),
    ),
}


@pytest.mark.parametrize("setup", list(SETUP_ERRORS))
def test_an_account_or_setup_error_holds_every_mail_until_fixed_then_each_goes_once(
    notify: Any,
    store: Store,
    table: Table,
    stream: Stream,
    outbox: Outbox,
    personas: dict[str, Persona],
    capsys: pytest.CaptureFixture[str],
    setup: str,
) -> None:
    """Never marked sent, never refused for good: the record fails (Lambda retries it, then it waits in
    the failure queue), no claim is kept, and the alarm's metric counts it; once fixed, the replay sends
    each mail once."""
    import json

    code, break_it, fix_it = SETUP_ERRORS[setup]
    file(store, personas["aanvrager"])
    records = stream.new_records()
    break_it()
    capsys.readouterr()

    failed = deliver(notify, records)
    again = deliver(notify, records)  # a retry before the fix fails alike

    assert failed == again != {"batchItemFailures": []}
    assert outbox.mails() == []
    assert not [item for item in table.items() if item["PK"]["S"].startswith("MAIL#")]
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    blocked = [m for m in metrics if "MailsBlocked" in m]
    assert {m["reason"] for m in blocked} == {code}
    assert len(blocked) == 2 * 3  # both rounds, each of the filing's three mails
    assert not [m for m in metrics if "MailsRejected" in m or "MailsSent" in m]

    fix_it()
    assert deliver(notify, records) == {"batchItemFailures": []}
    assert deliver(notify, records) == {"batchItemFailures": []}  # the queue replayed once more
    assert sorted(m.to[0] for m in outbox.mails()) == sorted([ELS, TOM, "sofie@example.be"])


class Killed(BaseException):
    """The invocation dies here (a crash, Lambda's timeout): no `except Exception` catches it, nothing
    after it runs."""


def test_a_notify_killed_between_claim_and_send_loses_no_mail(
    notify: Any,
    store: Store,
    stream: Stream,
    outbox: Outbox,
    personas: dict[str, Persona],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The claim outlives the crash as `sending`; the redelivery waits for its lease to run out, takes
    it over and sends the mail. Each mail arrives, once (it would twice only had SES taken it just
    before the crash)."""
    file(store, personas["aanvrager"])
    records = stream.new_records()
    real_send = notify.postman.send

    def dies_at_tom(mail: Any) -> str:
        if mail.to == TOM:
            raise Killed()
        result: str = real_send(mail)
        return result

    monkeypatch.setattr(notify.postman, "send", dies_at_tom)
    with pytest.raises(Killed):
        deliver(notify, records)
    assert TOM not in by_recipient(outbox.mails())

    monkeypatch.setattr(notify.postman, "send", real_send)
    now = [notify.epoch_seconds()]
    waited: list[float] = []

    def wait(seconds: float) -> None:
        waited.append(seconds)
        now[0] += int(seconds)

    monkeypatch.setattr(notify, "epoch_seconds", lambda: now[0])
    monkeypatch.setattr(notify, "_wait", wait)
    assert deliver(notify, records) == {"batchItemFailures": []}
    assert len(waited) == 1 and 0 < waited[0] <= 21  # the dead invocation's lease, no longer
    assert deliver(notify, records) == {"batchItemFailures": []}  # and again: settled, nothing twice
    assert sorted(m.to[0] for m in outbox.mails()) == sorted([ELS, TOM, "sofie@example.be"])


def test_a_claim_taken_over_belongs_to_the_one_who_took_it(table: Table) -> None:
    from zelfregistratie.mail.claims import LEASE_SECONDS, LeaseHeld, MailClaims

    claims = MailClaims(Store.connect(table.name, table.client).table)
    first = claims.claim("event-1", "filed_admin", TOM, 1_000, 9_999)
    assert first is not None
    with pytest.raises(LeaseHeld) as held:  # while its lease runs
        claims.claim("event-1", "filed_admin", TOM, 1_000 + LEASE_SECONDS - 1, 9_999)
    assert held.value.until == 1_000 + LEASE_SECONDS
    second = claims.claim("event-1", "filed_admin", TOM, 1_000 + LEASE_SECONDS + 1, 9_999)
    assert second is not None and second != first
    claims.release(first)  # the late first one's release and settling change nothing
    claims.settle(first, 9_999)
    with pytest.raises(LeaseHeld):
        claims.claim("event-1", "filed_admin", TOM, 1_000 + LEASE_SECONDS + 2, 9_999)
    claims.settle(second, 9_999)
    assert claims.claim("event-1", "filed_admin", TOM, 1_000_000, 9_999) is None  # sent, for good


def test_a_filing_at_an_organisation_of_150_administrators_reaches_every_one(
    notify: Any, store: Store, table: Table, stream: Stream, outbox: Outbox, personas: dict[str, Persona]
) -> None:
    """No write depends on the administrators fitting one transaction (100 items): the filing's own
    transaction gives the task to some, notify's reconciliation to the rest; each gets the mail."""
    from zelfregistratie.domain.entities import AdminRole, LocalAdmin
    from zelfregistratie.store.tasks import FAN_OUT_IN_TRANSACTION

    org = "0428364866"
    extra = [f"admin-{n:03d}" for n in range(148)]
    for sub in extra:
        store.admins.put(
            LocalAdmin(
                organization=org,
                organization_name="Bakkerij De Zonnebloem BV",
                person=sub,
                name=f"Beheerder {sub}",
                role=AdminRole.LOCAL,
                email=f"{sub}@zonnebloem.example",
            )
        )
    stream.new_records()
    request = file(store, personas["aanvrager"])
    rounds = 0
    while records := stream.new_records():  # notify's own writes come back through the stream
        assert deliver(notify, records) == {"batchItemFailures": []}
        rounds += 1
    assert rounds <= 3

    admins = {*extra, personas["beheerder"].sub, personas["beheerder2"].sub}
    assert len(admins) == 150 > FAN_OUT_IN_TRANSACTION
    inboxes = {
        item["PK"]["S"].split("#")[1]
        for item in table.items()
        if item["PK"]["S"].startswith("INBOX#") and item["SK"]["S"].endswith(request.id)
    }
    assert inboxes == admins
    mailed = [m.to[0] for m in outbox.mails() if m.subject.startswith("Nieuwe aanvraag")]
    assert sorted(mailed) == sorted([*(f"{s}@zonnebloem.example" for s in extra), ELS, TOM])
