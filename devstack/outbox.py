"""The local outbox: every mail notify sent through SES (moto), readable as a page and as JSON."""

from __future__ import annotations

import email
import email.policy
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.ses.models import RawMessage, ses_backends


@dataclass(frozen=True)
class Mail:
    id: str
    to: list[str]
    subject: str
    text: str
    html: str
    sent_at: datetime
    tags: dict[str, list[str]] = field(default_factory=dict)  # SES's shape: {name: [value]}

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "to": self.to,
            "subject": self.subject,
            "text": self.text,
            "html": self.html,
            "sentAt": self.sent_at.isoformat().replace("+00:00", "Z"),
        }


NEWEST = 1_000  # what the outbox lists: a long demo sends tens of thousands, nobody reads them all


@dataclass(frozen=True)
class Sent:
    """A sent mail as SES's events name it (its id, recipients, tags): what the mailbox simulator
    needs, known without parsing the message."""

    id: str
    to: list[str]
    tags: dict[str, list[str]]


class Outbox:
    """Reads moto's sent messages; the time a mail was sent is when the outbox first saw it, which
    the stack makes the moment notify returns. A message is parsed when the outbox is read, not when
    it is seen: a long demo sends thousands that nobody opens."""

    def __init__(self, region: str, account_id: str = DEFAULT_ACCOUNT_ID) -> None:
        self._region = region
        self._account_id = account_id
        self._seen: list[tuple[Any, datetime]] = []
        self._parsed: dict[int, Mail] = {}
        self._lock = threading.Lock()

    def refresh(self) -> list[Sent]:
        """Note what was sent since; returns those mails' ids, recipients and tags."""
        sent = ses_backends[self._account_id][self._region].sent_messages
        with self._lock:
            fresh = [(message, datetime.now(UTC)) for message in sent[len(self._seen) :]]
            self._seen += fresh
        return [_sent(message) for message, _ in fresh]

    def mails(self, limit: int = NEWEST) -> list[Mail]:
        """The newest `limit` mails, newest first, each parsed once, when first asked for."""
        self.refresh()
        with self._lock:
            newest = range(len(self._seen) - 1, max(len(self._seen) - limit, 0) - 1, -1)
            for index in newest:
                if index not in self._parsed:
                    self._parsed[index] = _mail(*self._seen[index])
            return [self._parsed[index] for index in newest]


def _sent(message: Any) -> Sent:
    destinations = message.destinations
    if isinstance(destinations, dict):
        recipients = list(destinations.get("ToAddresses", []))
    else:  # a raw message: moto lists the Destination addresses and the To header's, each once
        recipients = list(dict.fromkeys(str(a) for a in destinations))
    return Sent(id=message.id, to=recipients, tags=dict(getattr(message, "tags", {})))


def _mail(message: Any, sent_at: datetime) -> Mail:
    if isinstance(message, RawMessage):
        parsed = email.message_from_string(message.raw_data, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        text = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        # moto lists the Destination addresses and the To header's: each recipient once.
        recipients = list(dict.fromkeys(str(a) for a in message.destinations)) or [str(parsed["To"] or "")]
        return Mail(
            id=message.id,
            to=recipients,
            subject=str(parsed["Subject"] or ""),
            text=text.get_content() if text is not None else "",
            html=html.get_content() if html is not None else "",
            sent_at=sent_at,
            tags=dict(getattr(message, "tags", {})),
        )
    destinations = message.destinations
    recipients = destinations.get("ToAddresses", []) if isinstance(destinations, dict) else list(destinations)
    body = str(message.body)
    is_html = body.lstrip().startswith("<")
    text, html = getattr(message, "text", None), getattr(message, "html", None)  # as the adapter keeps them
    return Mail(
        id=message.id,
        to=list(recipients),
        subject=str(message.subject),
        text=text if text is not None else ("" if is_html else body),
        html=html if html is not None else (body if is_html else ""),
        sent_at=sent_at,
        tags=dict(getattr(message, "tags", {})),
    )
