"""Sending: MIME with both parts, the configuration set when one is set, errors sorted for retries."""

from __future__ import annotations

from email import message_from_bytes, policy
from typing import Any

import pytest
from botocore.exceptions import ClientError

from zelfregistratie.mail.compose import Mail, MailKind
from zelfregistratie.mail.send import PermanentMailError, Postman, TransientMailError

MAIL = Mail(MailKind.FILED_REQUESTER, "sofie@example.be", "Onderwerp", "tekst", "<p>html</p>")


class FakeSes:
    def __init__(self, error: str | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.error = error

    def send_email(self, **kwargs: Any) -> dict[str, str]:
        if self.error:
            raise ClientError({"Error": {"Code": self.error, "Message": "x"}}, "SendEmail")
        self.sent.append(kwargs)
        return {"MessageId": "m-1"}


def test_a_configuration_set_goes_with_every_mail_when_set() -> None:
    with_set, without = FakeSes(), FakeSes()
    Postman(with_set, "no-reply@x.be", "bounces").send(MAIL)
    Postman(without, "no-reply@x.be").send(MAIL)
    assert with_set.sent[0]["ConfigurationSetName"] == "bounces"
    assert "ConfigurationSetName" not in without.sent[0]


def test_the_mail_carries_a_text_and_an_html_part() -> None:
    ses = FakeSes()
    Postman(ses, "no-reply@x.be").send(MAIL)
    message = message_from_bytes(ses.sent[0]["Content"]["Raw"]["Data"], policy=policy.default)
    assert message.get_body(("plain",)).get_content().strip() == "tekst"  # type: ignore[union-attr]
    assert message.get_body(("html",)).get_content().strip() == "<p>html</p>"  # type: ignore[union-attr]
    assert message["To"] == "sofie@example.be"


@pytest.mark.parametrize(
    ("code", "error"),
    [("TooManyRequestsException", TransientMailError), ("MessageRejected", PermanentMailError)],
)
def test_errors_are_sorted_into_transient_and_permanent(code: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        Postman(FakeSes(code), "no-reply@x.be").send(MAIL)
