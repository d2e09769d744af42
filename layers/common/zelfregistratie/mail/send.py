"""Sending through SES v2 (a subject, a plain text and an HTML part, in UTF-8: SES builds the MIME
message), with SES's errors sorted by what they mean: not now (a retry cures it), the account or the
setup (held until ops fix it), or this one recipient (final)."""

from __future__ import annotations

import re
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
    }
)
# SES's words when it refuses for a reason of the account or the setup rather than of the recipient:
# the sender (or, in the sandbox, a recipient) is not a verified identity, the role may not send.
_SETUP_WORDING = re.compile(r"not verified|not authori[sz]ed|sandbox", re.IGNORECASE)


class TransientMailError(Exception):
    """Sending failed for now; the stream record is retried."""


class MailSetupError(Exception):
    """SES refused for a reason of the account or the setup (the sender identity not verified, the
    sandbox, access denied, a missing configuration set, sending paused): no mail goes out until ops
    fix it, and every one of them must go out then."""


class RecipientRefused(Exception):
    """SES refused this mail for its recipient (e.g. a rejected address); retrying will not help."""


def refusal(code: str, message: str) -> Exception:
    """What an SES error means for the mail. Only a refusal of the one message is final; an unknown
    code is taken for a setup error, since dropping a mail for good is worse than holding it."""
    if code in TRANSIENT:
        return TransientMailError(code)
    if code == "MessageRejected" and not _SETUP_WORDING.search(message):
        return RecipientRefused(code)
    return MailSetupError(code)


def content(mail: Mail) -> dict[str, Any]:
    """SES's `Simple` content: the subject on one line, the text and the HTML alternative."""
    return {
        "Simple": {
            "Subject": {"Data": one_line(mail.subject), "Charset": "UTF-8"},
            "Body": {
                "Text": {"Data": mail.text, "Charset": "UTF-8"},
                "Html": {"Data": mail.html, "Charset": "UTF-8"},
            },
        }
    }


class Postman:
    def __init__(self, ses: Any, sender: str, configuration_set: str | None = None) -> None:
        self._ses = ses
        self._sender = formataddr((SENDER_NAME, sender))  # "Gebruikersbeheer Vlaamse overheid <…>"
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
                Content=content(mail),
                **extra,
            )
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise refusal(str(error.get("Code", "")), str(error.get("Message", ""))) from exc
        except BotoCoreError as exc:  # no answer at all: a network fault is worth a retry
            raise TransientMailError(type(exc).__name__) from exc
        return str(response.get("MessageId", ""))
