"""The SES mailbox simulator, locally (docs/local-stack.md, docs/unreachable-administrators.md): a mail sent
to one of its addresses produces the event SES would publish for it, in the shape EventBridge delivers from a
configuration set's event destination (AWS's documented sample records; `tests/events/`), handed to the same
handler.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

BOUNCE = "bounce@simulator.amazonses.com"
COMPLAINT = "complaint@simulator.amazonses.com"


def feedback_for(
    recipient: str,
    message_id: str,
    sender: str,
    at: datetime | None = None,
    tags: dict[str, list[str]] | None = None,
) -> dict[str, Any] | None:
    """The EventBridge event SES publishes for a mail to a simulator address, with the mail's tags and
    those SES adds; None for any other address."""
    address = recipient.strip().lower()
    if address not in (BOUNCE, COMPLAINT):
        return None
    moment = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    mail = {
        "timestamp": moment,
        "source": sender,
        "sendingAccountId": "123456789012",
        "messageId": message_id,
        "destination": [recipient],
        "headersTruncated": False,
        "tags": {"ses:from-domain": [sender.rpartition("@")[2]], **(tags or {})},
    }
    if address == BOUNCE:
        detail_type = "Email Bounced"
        detail: dict[str, Any] = {
            "eventType": "Bounce",
            "bounce": {
                "bounceType": "Permanent",
                "bounceSubType": "General",
                "bouncedRecipients": [
                    {
                        "emailAddress": recipient,
                        "action": "failed",
                        "status": "5.1.1",
                        "diagnosticCode": "smtp; 550 5.1.1 user unknown",
                    }
                ],
                "timestamp": moment,
                "feedbackId": str(uuid.uuid4()),
                "reportingMTA": "dsn; simulator.amazonses.com",
            },
            "mail": mail,
        }
    else:
        detail_type = "Email Complaint Received"
        detail = {
            "eventType": "Complaint",
            "complaint": {
                "complainedRecipients": [{"emailAddress": recipient}],
                "timestamp": moment,
                "feedbackId": str(uuid.uuid4()),
                "complaintFeedbackType": "abuse",
                "arrivalDate": moment,
            },
            "mail": mail,
        }
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": detail_type,
        "source": "aws.ses",
        "account": "123456789012",
        "time": moment[:19] + "Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": detail,
    }
