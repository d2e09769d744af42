"""Sending: MIME with both parts, the configuration set when one is set, SES's errors sorted by what
they mean."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from zelfregistratie.mail import tags
from zelfregistratie.mail.compose import Mail, MailKind
from zelfregistratie.mail.send import MailSetupError, Postman, RecipientRefused, TransientMailError

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


def test_the_mail_carries_a_text_and_an_html_part_from_the_service_s_name() -> None:
    ses = FakeSes()
    Postman(ses, "no-reply@x.be").send(MAIL)
    [sent] = ses.sent
    assert sent["FromEmailAddress"] == "Gebruikersbeheer Vlaamse overheid <no-reply@x.be>"
    assert sent["Destination"] == {"ToAddresses": ["sofie@example.be"]}
    body = sent["Content"]["Simple"]["Body"]
    assert (body["Text"]["Data"].strip(), body["Html"]["Data"].strip()) == ("tekst", "<p>html</p>")
    assert {part["Charset"] for part in body.values()} == {"UTF-8"}


SENDER = "no-reply@zelfregistratie.vlaanderen.be"
ROLE = "arn:aws:sts::123456789012:assumed-role/zelfregistratie-ti-NotifyFunctionRole-1B2C3D4E5F6G/notify"


@pytest.mark.parametrize(
    ("code", "status", "message", "meaning"),
    [
        # not now: a retry cures it
        ("TooManyRequestsException", 429, "Maximum sending rate exceeded.", TransientMailError),
        ("LimitExceededException", 400, "Daily message quota exceeded.", TransientMailError),
        # the account or the setup: every mail waits until ops fix it
        (
            "MessageRejected",
            400,
            "Email address is not verified. The following identities failed the check in region "
            f"EU-WEST-1: {SENDER}",
            MailSetupError,
        ),
        (  # the sandbox: the recipient is not a verified identity
            "MessageRejected",
            400,
            "Email address is not verified. The following identities failed the check in region "
            "EU-WEST-1: sofie@example.be",
            MailSetupError,
        ),
        (
            "AccessDeniedException",
            403,
            f"User: {ROLE} is not authorized to perform: ses:SendEmail on resource: "
            "arn:aws:ses:eu-west-1:123456789012:identity/zelfregistratie.vlaanderen.be",
            MailSetupError,
        ),
        (
            "NotFoundException",
            404,
            "Configuration set <zelfregistratie-ti-MailConfigurationSet-4X8Q2M> does not exist.",
            MailSetupError,
        ),
        (
            "SendingPausedException",
            400,
            "The message can't be sent because the account's ability to send email is currently paused.",
            MailSetupError,
        ),
        ("AccountSuspendedException", 400, "The account has been suspended.", MailSetupError),
        (
            "MailFromDomainNotVerifiedException",
            400,
            "The MAIL FROM domain is not verified.",
            MailSetupError,
        ),
        ("SomeNewException", 400, "A code this version does not know.", MailSetupError),
        # this one recipient: final
        ("MessageRejected", 400, "Address blacklisted.", RecipientRefused),
    ],
)
def test_ses_errors_are_sorted_by_what_they_mean(
    code: str, status: int, message: str, meaning: type[Exception]
) -> None:
    ses = boto3.client("sesv2", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(ses) as stub:  # SES's answer as botocore parses it off the wire
        stub.add_client_error("send_email", code, message, status)
        with pytest.raises(meaning) as raised:
            Postman(ses, SENDER).send(MAIL)
    assert str(raised.value) == code
