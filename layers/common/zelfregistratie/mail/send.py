"""Sending through SES v2 as MIME (plain text + HTML alternative), with errors sorted into those a
retry may cure and those it cannot."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from zelfregistratie.domain.identifiers import one_line
from zelfregistratie.mail.compose import Mail

SENDER_NAME = "Gebruikersbeheer Vlaamse overheid"
# SES v2 error codes that say "not now": throttling, quotas, a passing fault.
TRANSIENT = frozenset(
    {
        "TooManyRequestsException",
        "LimitExceededException",
        "ThrottlingException",
        "Throttling",
        "ServiceUnavailable",
        "InternalFailure",
        "InternalServiceError",
        "SendingPausedException",
    }
)


class TransientMailError(Exception):
    """Sending failed for now; the stream record is retried."""


class PermanentMailError(Exception):
    """SES refused this mail (e.g. a rejected address); retrying will not help."""


def mime(mail: Mail, sender: str) -> bytes:
    message = EmailMessage()
    message["From"] = formataddr((SENDER_NAME, sender))
    message["To"] = mail.to
    message["Subject"] = one_line(mail.subject)
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message.as_bytes(policy=SMTP)


class Postman:
    def __init__(self, ses: Any, sender: str, configuration_set: str | None = None) -> None:
        self._ses = ses
        self._sender = sender
        self._configuration_set = configuration_set

    @property
    def client(self) -> Any:
        return self._ses

    def send(self, mail: Mail) -> str:
        extra: dict[str, Any] = (
            {"ConfigurationSetName": self._configuration_set} if self._configuration_set else {}
        )
        if mail.tags:
            extra["EmailTags"] = [{"Name": name, "Value": value} for name, value in mail.tags]
        try:
            response = self._ses.send_email(
                FromEmailAddress=self._sender,
                Destination={"ToAddresses": [mail.to]},
                Content={"Raw": {"Data": mime(mail, self._sender)}},
                **extra,
            )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in TRANSIENT:
                raise TransientMailError(code) from exc
            raise PermanentMailError(code) from exc
        except BotoCoreError as exc:  # no answer at all: a network fault is worth a retry
            raise TransientMailError(type(exc).__name__) from exc
        return str(response.get("MessageId", ""))
