"""Mails that say only what is true (no moto: the mails are a function of the change and the
administrators read with it)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.factories import ELS, NOW, SOFIE, a_request
from zelfregistratie.domain.audit import AuditAction, AuditEntry
from zelfregistratie.domain.entities import AdminRole, EmailStatus, LocalAdmin, RequestStatus
from zelfregistratie.domain.periods import Periods
from zelfregistratie.domain.requests import RequestEvent
from zelfregistratie.mail.compose import MailKind, Site, mails_for, mails_for_audit
from zelfregistratie.mail.environment import quoted_sentence

BASE = Site("https://zelfregistratie.example", Periods())
TOM = LocalAdmin(
    organization="0428364866", person="tom", name="Tom Jacobs", role=AdminRole.LOCAL, email="tom@x.be"
)
BOUNCED = replace(TOM, email_status=EmailStatus.BOUNCED)


def only(mails: list, kind: MailKind):  # type: ignore[no-untyped-def, type-arg]
    [mail] = [m for m in mails if m.kind is kind]
    return mail


@pytest.mark.parametrize(("admins", "reminded"), [((TOM,), True), ((BOUNCED,), False), ((), False)])
def test_the_two_week_mail_says_the_administrators_were_reminded_only_when_one_was(
    admins: tuple[LocalAdmin, ...], reminded: bool
) -> None:
    request = replace(a_request(), reminders=2)
    waiting = only(mails_for(RequestEvent.REMINDED_AGAIN, request, admins, BASE), MailKind.WAITING_REQUESTER)
    for part in (waiting.text, waiting.html):
        assert ("opnieuw aan herinnerd" in part) is reminded
        assert ("kon niemand herinnerd worden" in part) is not reminded
        assert (f"{BASE.base_url}/hulp/lokale-beheerder" in part) is not reminded


@pytest.mark.parametrize(("admins", "can_refile"), [((TOM,), True), ((BOUNCED,), False)])
def test_the_expiry_mail_offers_filing_again_only_where_the_organisation_can_receive_it(
    admins: tuple[LocalAdmin, ...], can_refile: bool
) -> None:
    request = replace(a_request(), status=RequestStatus.EXPIRED, expired_at=NOW)
    expired = only(mails_for(RequestEvent.EXPIRED, request, admins, BASE), MailKind.EXPIRED_REQUESTER)
    for part in (expired.text, expired.html):
        assert ("U kunt dezelfde aanvraag opnieuw indienen" in part) is can_refile
        assert ("kan op dit moment geen aanvragen ontvangen" in part) is not can_refile


def entry(**fields: object) -> AuditEntry:
    base = AuditEntry(
        id="e1",
        organization="0418825808",
        organization_name="Duikschool Atlantis Demo",
        at=NOW,
        action=AuditAction.ADMIN_APPOINTED,
        actor="marc",
        actor_name="Marc Dubois",
        person="marc",
        person_name="Marc Dubois",
        role=AdminRole.HEAD,
        email="marc@duik.example",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_appointing_oneself_is_not_told_as_someone_elses_doing() -> None:
    [own] = mails_for_audit(entry(), BASE)
    assert "U heeft zich op" in own.text and "Marc Dubois heeft u" not in own.text
    [by_other] = mails_for_audit(entry(actor=ELS, actor_name="Els Wouters"), BASE)
    assert "Els Wouters heeft u op" in by_other.text


@pytest.mark.parametrize(
    ("reason", "written"),
    [("Weg.", '"Weg."'), ("Weg", '"Weg".'), ("Echt weg!", '"Echt weg!"'), ("Waarom?  ", '"Waarom?"')],
)
def test_a_quoted_reason_ends_its_sentence_once(reason: str, written: str) -> None:
    assert quoted_sentence(reason) == written
    revoked = entry(
        action=AuditAction.GRANT_REVOKED, actor=ELS, actor_name="Els Wouters", person=SOFIE, reason=reason
    )
    [mail] = mails_for_audit(revoked, BASE)
    assert f"De reden hiervoor is de volgende: {written}" in mail.text
    assert '."' + "." not in mail.text
