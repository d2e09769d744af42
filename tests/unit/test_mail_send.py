"""Sending: MIME with both parts, the configuration set when one is set, errors sorted for retries."""

from __future__ import annotations

from email import message_from_bytes, policy
from typing import Any

import pytest
from botocore.exceptions import ClientError

from zelfregistratie.mail import tags
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


def test_the_mail_tags_go_with_it_and_come_back_from_ses_as_what_they_say() -> None:
    ses = FakeSes()
    request_id = "0193a2b4-5c6d-7e8f-9a0b-1c2d3e4f5a6b"
    Postman(ses, "no-reply@x.be").send(MAIL._replace(tags=tags.tags("filed_admin", request_id, 2)))
    assert ses.sent[0]["EmailTags"] == [
        {"Name": "mail", "Value": "filed_admin"},
        {"Name": "request", "Value": request_id},
        {"Name": "admin-mails", "Value": "2"},
    ]
    # SES's event (`mail.tags`) says which filing it was, and how many administrator mails it sent
    back = {
        "tags": {
            "ses:from-domain": ["x.be"],
            "mail": ["filed_admin"],
            "request": [request_id],
            "admin-mails": ["2"],
        }
    }
    assert tags.filing_of(back) == (request_id, 2)
    assert MailKind.FILED_ADMIN.value == tags.FILED_ADMIN
    wrongs: list[dict[str, list[str]]] = [
        {"admin-mails": ["twee"]},
        {"request": ["REQUEST#x"]},
        {"mail": ["approved"]},
        {"request": []},
    ]
    for wrong in wrongs:
        assert tags.filing_of({"tags": back["tags"] | wrong}) is None
    assert tags.filing_of({}) is None and tags.filing_of({"tags": "x"}) is None


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
