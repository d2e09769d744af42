"""Make moto's SES v2 answer as SES does where notify, the local stack or `make preflight` can tell.

`faithful_ses()` applies the fixes (devstack/moto_atomic.py's `faithful_moto()` calls it):

- **A sent mail keeps its tags**, as SES hands them back in every bounce or complaint (`mail.tags`),
  with the configuration set SES adds (`ses:configuration-set`). moto drops them. It keeps both parts
  of a simple message too, its text and its HTML: moto keeps one.
- **Sending is refused as SES refuses it**, with SES's own error codes and messages: a configuration
  set that does not exist (`NotFoundException`), a sender whose identity is not verified, and, while
  the account is in the sandbox, a recipient that is not a verified identity (`MessageRejected`),
  sending paused (`SendingPausedException`). moto ignores the configuration set and the sandbox, and
  words the sender's refusal its own way.
- **The account** (`GetAccount`): moto has none. Here it starts out of the sandbox with sending
  enabled (moto sends to anyone); a new AWS account starts in the sandbox. `account()` sets it.
- **An identity's verification**: moto creates identities verified (`VerificationStatus: SUCCESS`)
  but says `VerifiedForSendingStatus: false`; here the two agree. A test makes one pending as a new
  AWS identity is until its link is followed or its DNS records are found.
- **Event destinations of a configuration set** (create, get; gone with their set): moto has none.
- **A configuration set sends unless told not to** (`SendingOptions.SendingEnabled`, true by default);
  moto reports `false` for one created without options, and nests the flag in itself for one with.
"""

from __future__ import annotations

import json
import re
from email.utils import parseaddr
from typing import Any
from urllib.parse import unquote

import devstack.moto_version  # noqa: F401  (first: stops on a moto it was not written for)

# isort: split
from moto.core.exceptions import JsonRESTError
from moto.ses.models import ConfigurationSet, EmailIdentity, SESBackend, ses_backends
from moto.sesv2 import urls
from moto.sesv2.responses import SESV2Response

TAG_TEXT = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what SES accepts in a message tag's name and value
_ACCOUNT = {"ProductionAccessEnabled": True, "SendingEnabled": True, "EnforcementStatus": "HEALTHY"}


def faithful_ses() -> None:
    if getattr(SESV2Response.send_email, "faithful", False):
        return
    _sending_as_ses_does()
    _verification_as_ses_reports_it()
    SESV2Response.get_account = _get_account  # type: ignore[attr-defined]
    SESV2Response.create_configuration_set_event_destination = _create_destination  # type: ignore[attr-defined]
    SESV2Response.get_configuration_set_event_destinations = _get_destinations  # type: ignore[attr-defined]
    _deleting_a_configuration_set_deletes_its_destinations()
    _configuration_sets_send_unless_told_not_to()
    # moto's own server routes only the paths it lists (in-process, `/v2/.*` catches these too)
    urls.url_paths.update(
        {
            "{0}/v2/email/account$": SESV2Response.dispatch,
            "{0}/v2/email/configuration-sets/(?P<ConfigurationSetName>[^/]+)/event-destinations$": (
                SESV2Response.dispatch
            ),
        }
    )


def account(backend: SESBackend) -> dict[str, Any]:
    """The account's sending state (`GetAccount`), kept on moto's backend: reset with it."""
    state: dict[str, Any] | None = getattr(backend, "_account_state", None)
    if state is None:
        state = dict(_ACCOUNT)
        backend._account_state = state  # type: ignore[attr-defined]
    return state


def destinations(backend: SESBackend) -> dict[str, list[dict[str, Any]]]:
    """Each configuration set's event destinations, kept on moto's backend."""
    found: dict[str, list[dict[str, Any]]] | None = getattr(backend, "_event_destinations", None)
    if found is None:
        found = {}
        backend._event_destinations = found  # type: ignore[attr-defined]
    return found


def verified(backend: SESBackend, address: str) -> bool:
    """Whether SES would send from (or, in the sandbox, to) this address: it, or its domain, is a
    verified identity."""
    for name in (address, address.rpartition("@")[2]):
        identity = backend.email_identities.get(name)
        if identity is not None:
            return bool(getattr(identity, "verification_status", "SUCCESS") == "SUCCESS")
    return False


def _backend(response: SESV2Response) -> SESBackend:
    backend: SESBackend = ses_backends[response.current_account][response.region]
    return backend


def _not_verified(addresses: list[str], region: str) -> JsonRESTError:
    return JsonRESTError(
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region "
        f"{region.upper()}: {', '.join(addresses)}",
    )


def _no_configuration_set(name: str) -> JsonRESTError:
    error = JsonRESTError("NotFoundException", f"Configuration set <{name}> does not exist.")
    error.code = 404  # SES v2 answers NotFoundException with 404
    return error


def _sending_as_ses_does() -> None:
    original = SESV2Response.send_email

    def send_email(self: SESV2Response) -> str:
        body = json.loads(self.body)
        backend = _backend(self)
        tags = body.get("EmailTags") or []
        for tag in tags:
            if not all(TAG_TEXT.fullmatch(str(tag.get(part, ""))) for part in ("Name", "Value")):
                raise JsonRESTError("BadRequestException", f"Invalid message tag: {tag}")
        configuration_set = body.get("ConfigurationSetName")
        if configuration_set and configuration_set not in backend.config_sets:
            raise _no_configuration_set(configuration_set)
        state = account(backend)
        if not state["SendingEnabled"]:
            raise JsonRESTError(
                "SendingPausedException",
                "The message can't be sent because the account's ability to send email is currently paused.",
            )
        sender = parseaddr(str(body.get("FromEmailAddress", "")))[1]  # a display name may come first
        if not verified(backend, sender):
            raise _not_verified([sender], self.region)
        if not state["ProductionAccessEnabled"]:
            recipients = [a for field in body.get("Destination", {}).values() for a in field]
            if unverified := [a for a in recipients if not verified(backend, a)]:
                raise _not_verified(unverified, self.region)
        answer: str = original(self)
        message_id = json.loads(answer)["MessageId"]
        seen = {tag["Name"]: [tag["Value"]] for tag in tags}
        if configuration_set:
            seen["ses:configuration-set"] = [configuration_set]
        simple = (body.get("Content") or {}).get("Simple", {}).get("Body", {})
        for message in reversed(backend.sent_messages):
            if message.id == message_id:
                message.tags = seen
                # moto keeps one part of a simple message; SES sends both
                message.text = simple.get("Text", {}).get("Data")
                message.html = simple.get("Html", {}).get("Data")
                break
        return answer

    send_email.faithful = True  # type: ignore[attr-defined]
    SESV2Response.send_email = send_email  # type: ignore[method-assign]


def _verification_as_ses_reports_it() -> None:
    original = EmailIdentity.get_response_object

    def get_response_object(self: EmailIdentity) -> dict[str, Any]:
        answer: dict[str, Any] = original.fget(self)  # type: ignore[attr-defined]
        answer["VerifiedForSendingStatus"] = self.verification_status == "SUCCESS"
        return answer

    EmailIdentity.get_response_object = property(get_response_object)  # type: ignore[assignment,method-assign]


def _get_account(self: SESV2Response) -> str:
    backend = _backend(self)
    sent = len(backend.sent_messages)
    return json.dumps(
        account(backend)
        | {
            "DedicatedIpAutoWarmupEnabled": False,
            "SendQuota": {"Max24HourSend": 50000.0, "MaxSendRate": 14.0, "SentLast24Hours": float(sent)},
            "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
        }
    )


def _configuration_set_of(response: SESV2Response) -> str:
    name = unquote(response.path.split("/configuration-sets/", 1)[1].split("/", 1)[0])
    if name not in _backend(response).config_sets:
        raise _no_configuration_set(name)
    return name


def _create_destination(self: SESV2Response) -> str:
    name = _configuration_set_of(self)
    body = json.loads(self.body)
    kept = destinations(_backend(self)).setdefault(name, [])
    if any(d["Name"] == body["EventDestinationName"] for d in kept):
        raise JsonRESTError(
            "AlreadyExistsException", f"Event destination {body['EventDestinationName']} already exists."
        )
    kept.append({"Name": body["EventDestinationName"], **body["EventDestination"]})
    return "{}"


def _get_destinations(self: SESV2Response) -> str:
    name = _configuration_set_of(self)
    return json.dumps({"EventDestinations": destinations(_backend(self)).get(name, [])})


def _deleting_a_configuration_set_deletes_its_destinations() -> None:
    original = SESV2Response.delete_configuration_set

    def delete_configuration_set(self: SESV2Response) -> str:
        name = unquote(self.path.rstrip("/").rsplit("/", 1)[1])
        answer: str = original(self)
        destinations(_backend(self)).pop(name, None)
        return answer

    SESV2Response.delete_configuration_set = delete_configuration_set  # type: ignore[method-assign]


def _configuration_sets_send_unless_told_not_to() -> None:
    original = ConfigurationSet.to_dict_v2

    def to_dict_v2(self: ConfigurationSet) -> dict[str, Any]:
        answer: dict[str, Any] = original(self)
        options = self.enabled if isinstance(self.enabled, dict) else {"SendingEnabled": bool(self.enabled)}
        answer["SendingOptions"] = {"SendingEnabled": bool(options.get("SendingEnabled", True))}
        return answer

    ConfigurationSet.to_dict_v2 = to_dict_v2  # type: ignore[method-assign]
