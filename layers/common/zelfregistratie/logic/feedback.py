"""What SES tells about mails that did not arrive (docs/unreachable-administrators.md): a permanent bounce or
a complaint for a local administrator's address marks it unreachable, in every organisation that uses it.

The events are SES's event publishing records as EventBridge delivers them (`detail` is the record:
`eventType` `Bounce` or `Complaint`). A transient bounce changes nothing; an address no current
administrator has (a requester's, an unknown one) is ignored. A filing's administrator mail (its SES
tags say so) that failed is noted beside the request: when all of them failed, the requester is told.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from zelfregistratie.domain.actors import Actor
from zelfregistratie.domain.audit import AuditAction, new_entry
from zelfregistratie.domain.entities import EmailStatus
from zelfregistratie.domain.errors import ConcurrentChange
from zelfregistratie.mail import tags as mail_tags
from zelfregistratie.store import undelivered as undelivered_mails
from zelfregistratie.store.store import Store
from zelfregistratie.store.undelivered import UndeliveredMail

SES = Actor(sub="ses", name="Zelfregistratie")


@dataclass(frozen=True)
class Feedback:
    """One SES event, read once, at the edge: what kind (`BouncePermanent`, `BounceTransient`,
    `Complaint`, or SES's own word for anything else), for which addresses, about which of our mails
    (its `mail` tag), and the filing it was an administrator's mail of, if any."""

    kind: str
    addresses: tuple[str, ...] = ()
    mail: str = "unknown"
    filing: tuple[str, int] | None = None

    @property
    def status(self) -> EmailStatus | None:
        """What it makes of an administrator's address: only a permanent bounce and a complaint count."""
        return {"BouncePermanent": EmailStatus.BOUNCED, "Complaint": EmailStatus.COMPLAINED}.get(self.kind)


def read(event: Mapping[str, Any]) -> Feedback:
    detail = event.get("detail") if isinstance(event.get("detail"), dict) else event
    if not isinstance(detail, Mapping):
        return Feedback("unknown")
    kind = str(detail.get("eventType") or detail.get("notificationType") or "unknown")
    sent = detail.get("mail")
    mail: Mapping[str, Any] = sent if isinstance(sent, Mapping) else {}
    which, filing = mail_tags.tag(mail, mail_tags.KIND) or "unknown", mail_tags.filing_of(mail)
    addresses: tuple[str, ...] = ()
    if kind == "Bounce":
        bounce = detail.get("bounce") or {}
        addresses = tuple(r.get("emailAddress", "") for r in bounce.get("bouncedRecipients", []))
        kind = f"Bounce{bounce.get('bounceType', '')}"
    elif kind == "Complaint":
        complaint = detail.get("complaint") or {}
        addresses = tuple(r.get("emailAddress", "") for r in complaint.get("complainedRecipients", []))
    return Feedback(kind, addresses, which, filing)


def handle(store: Store, feedback: Feedback, now: datetime) -> Counter[str]:
    """Per recipient: `marked` (administrators it made unreachable), `transient`, `not_an_admin`, and
    `undelivered` (a filing's administrator mail noted beside its request)."""
    status = feedback.status
    if feedback.kind == "BounceTransient":
        return Counter(transient=len(feedback.addresses))
    if status is None:
        return Counter(ignored=1)
    done: Counter[str] = Counter()
    for address in filter(None, feedback.addresses):
        undelivered = None
        if feedback.filing is not None:
            request_id, sent = feedback.filing
            keep_until = int((now + store.periods.request_expiry).timestamp())
            undelivered = (UndeliveredMail(request_id, sent, address), keep_until)
        done.update(_mark(store, address, status, now, undelivered))
    return done


def _mark(
    store: Store,
    address: str,
    status: EmailStatus,
    now: datetime,
    undelivered: tuple[UndeliveredMail, int] | None = None,
    attempts: int = 3,
) -> Counter[str]:
    """One Query for the administrators with this address, one transaction that marks them and notes
    the filing's mail that did not arrive (read and tried again should one of them change meanwhile)."""
    admins = [
        a
        for a in store.admins.with_address(address)
        if a.email and a.email.lower() == address.strip().lower() and a.email_status is EmailStatus.OK
    ]
    if not admins:  # marked already (an earlier mail bounced), or no administrator's address now
        if undelivered is not None:
            undelivered_mails.record(store.table, *undelivered)
            return Counter(not_an_admin=1, undelivered=1)
        return Counter(not_an_admin=1)
    marked = [
        (
            replace(admin, email_status=status),
            new_entry(
                AuditAction.ADMIN_UNREACHABLE,
                organization=admin.organization,
                organization_name=admin.organization_name,
                actor=SES,
                person=admin.person,
                person_name=admin.name,
                at=now,
                role=admin.role,
                reason=status.value,
            ),
        )
        for admin in admins
    ]
    try:
        store.admins.mark_unreachable(marked, undelivered)
    except ConcurrentChange:  # one changed meanwhile (a new address, marked already): read again
        if attempts <= 1:
            return Counter(changed_meanwhile=1)
        return _mark(store, address, status, now, undelivered, attempts - 1)
    done = Counter(marked=len(marked))
    if undelivered is not None:
        done["undelivered"] += 1
    return done
