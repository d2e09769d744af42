"""Mails and events driven by the table's stream (docs/rules.md rule 7, docs/applications.md), and the steps
that keep the table in step (`events/notifications.py` decides them from each record's typed change).

This handler is the loop: records are handled in order, each on its own (a partial batch response).
Lambda resumes a shard from the first failed record, so every record after it comes again: those are
reported too.

- Mails go out for every record, each claimed before it is sent (key: the record's event id, the mail
  kind and the recipient), so a record that comes again never sends the same mail twice.
- Each record's change to its organisation's counts is added once every record's mails went out,
  for the records before the first that failed (docs/administrators-home.md § Counts).
- The events of the batch's records go out together once every record's mails did (ten entries a
  `PutEvents`, in the records' order), only for the records before the first that failed: a record
  that will come again publishes then, so no event is sent twice (but after a timeout, or a later
  entry that went out beside a failed one: the stable `eventId` covers those).

The loop is ours, not powertools' batch utility: that one imports asyncio and its event data classes,
a seventh of this function's cold start.
"""

from __future__ import annotations

import gc

# What a cold start imports and builds is not garbage: collecting meanwhile only costs time (with
# gc.freeze at the end of this module, about 5 % of it). Collection resumes there.
gc.disable()

import time
from typing import Any

from aws_lambda_powertools import Logger, Metrics, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.aws import client
from zelfregistratie.config import NotifySettings, lifecycle_days
from zelfregistratie.domain import clock
from zelfregistratie.domain.periods import Periods
from zelfregistratie.events.changes import Event
from zelfregistratie.events.notifications import Notifier
from zelfregistratie.events.publish import Publisher
from zelfregistratie.mail.claims import LEASE_SECONDS, Claim, LeaseHeld, MailClaims
from zelfregistratie.mail.compose import Mail, Site
from zelfregistratie.mail.send import MailSetupError, Postman, RecipientRefused, TransientMailError
from zelfregistratie.store import changes
from zelfregistratie.store.counts import Counted, Counts, NotCounted, counted
from zelfregistratie.store.table import Table

MAIL_CLAIM_SECONDS = 7 * 24 * 3600  # longer than a record can stay in the stream (24 h)

settings = NotifySettings.from_environment()
PERIODS = Periods.of_days(**lifecycle_days())  # the template's lifecycle periods, handed to what needs them
logger = Logger(environment=settings.environment)  # a key of every log line
metrics = Metrics()
table = Table(settings.table_name, client("dynamodb"), PERIODS)
claims = MailClaims(table)
counts = Counts(table)
notifier = Notifier(table, Site(settings.base_url, PERIODS))
# A send ends well within a mail claim's lease, so no other invocation takes a claim over while its
# owner is still sending.
postman = Postman(
    client("sesv2", timeout_seconds=LEASE_SECONDS // 2), settings.sender, settings.configuration_set or None
)
publisher = Publisher(client("events"), settings.event_bus)


def handle_record(record: dict[str, Any]) -> tuple[list[Event], Counted | None]:
    """One record: read once into its change, its steps taken and its mails delivered; its events, to
    publish with the batch's, and what it changes in its organisation's counts."""
    change = changes.read(record)
    outcome = notifier.outcome(change, clock.now())
    deliver_all(change.event_id, outcome.mails)
    return outcome.events, counted(change)


def add_counts(tallied: list[tuple[int, Counted]]) -> int | None:
    """The records' changes to their organisations' counts, each once; the index of the first record
    whose change could not be added (it and every later one come again), else None."""
    if not tallied:
        return None
    try:
        counts.add([tally for _, tally in tallied], int(clock.real_now().timestamp()) + MAIL_CLAIM_SECONDS)
    except NotCounted as exc:
        logger.exception("counts not added", extra={"reason": str(exc.__cause__)})
        return tallied[exc.first][0]
    return None


def deliver_all(event_id: str, mails: list[Mail]) -> None:
    """Every mail is tried, whatever happened to the one before; the record fails if one did."""
    failures = []
    for mail in mails:
        try:
            deliver(event_id, mail)
        except Exception as exc:
            failures.append(exc)
    if failures:
        raise failures[0]


def deliver(event_id: str, mail: Mail) -> None:
    expires = int(clock.now().timestamp()) + MAIL_CLAIM_SECONDS
    claim = _claim(event_id, mail, expires)
    if claim is None:
        logger.info("mail already sent", extra={"kind": mail.kind.value, "eventId": event_id})
        return
    try:
        postman.send(mail)
    except RecipientRefused as exc:
        # SES refused it for its recipient (e.g. a rejected address): retrying cannot help; the claim
        # is settled so the shard moves on.
        claims.settle(claim, expires)
        logger.warning("mail refused by SES", extra={"kind": mail.kind.value, "reason": str(exc)})
        _count("MailsRejected", mail, reason=str(exc))
        return
    except MailSetupError as exc:
        # The account or the setup is wrong: nothing goes out until ops fix it. The claim goes and the
        # record fails, so it is retried, then waits in the failure queue for a replay after the fix.
        claims.release(claim)
        logger.error(
            "SES refused to send: the account or the setup",
            extra={"kind": mail.kind.value, "reason": str(exc)},
        )
        _count("MailsBlocked", mail, reason=str(exc))
        raise
    except Exception as exc:
        # Not sent: for now (throttling) or for good (a mail that cannot be built). Either way the
        # claim goes, so the retry sends it or, when retries run out, the record becomes a dead letter.
        claims.release(claim)
        reason = str(exc) if isinstance(exc, TransientMailError) else type(exc).__name__
        _count("MailsFailed", mail, reason=reason)
        raise
    claims.settle(claim, expires)
    _count("MailsSent", mail)


def _claim(event_id: str, mail: Mail, expires: int) -> Claim | None:
    """The mail's claim; a claim whose lease another invocation still holds is waited for once (that
    one died between claiming and settling, or is about to settle), then taken over or found sent."""
    try:
        return claims.claim(event_id, mail.kind, mail.to, epoch_seconds(), expires)
    except LeaseHeld as held:
        _wait(max(0, held.until - epoch_seconds()) + 1)
        return claims.claim(event_id, mail.kind, mail.to, epoch_seconds(), expires)


def epoch_seconds() -> int:
    """Real time, for leases (the development clock moves business time only)."""
    return int(clock.real_now().timestamp())


def _wait(seconds: float) -> None:
    time.sleep(min(seconds, LEASE_SECONDS + 1))


def _count(name: str, mail: Mail, reason: str | None = None) -> None:
    with single_metric(name=name, unit=MetricUnit.Count, value=1, namespace=metrics.namespace) as metric:
        metric.add_dimension(name="kind", value=mail.kind.value)
        if reason:
            metric.add_dimension(name="reason", value=reason)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, list[dict[str, str]]]:
    """Every record's mails; then, in one go, the events of the records before the first failure; the
    first record that failed (its mails or its events) and every later one reported."""
    notifier.batch()
    records = event["Records"]
    first_failed: int | None = None
    published: list[tuple[int, list[Event]]] = []
    tallied: list[tuple[int, Counted]] = []
    for index, record in enumerate(records):
        try:
            found, tally = handle_record(record)
        except Exception:
            logger.exception("record failed", extra={"eventId": record.get("eventID")})
            first_failed = index if first_failed is None else first_failed
        else:
            if first_failed is None:  # one that comes again publishes then: no event goes out twice
                published.append((index, found))
                tallied += [(index, tally)] if tally is not None else []
    if (uncounted := add_counts(tallied)) is not None:
        first_failed = uncounted if first_failed is None else min(first_failed, uncounted)
        published = [(index, found) for index, found in published if index < uncounted]
    if (unpublished := publisher.publish_in_order(published)) is not None:
        index, reason = unpublished
        logger.error(
            "events not published", extra={"eventId": records[index].get("eventID"), "reason": reason}
        )
        first_failed = index if first_failed is None else min(first_failed, index)
    failed = records[first_failed:] if first_failed is not None else []
    return {"batchItemFailures": [{"itemIdentifier": r["dynamodb"]["SequenceNumber"]} for r in failed]}


# The cold start is over. What it made lives as long as this environment: moved out of the collector's
# sight (a first collection would otherwise scan all of it), then collection resumes.
gc.freeze()
gc.enable()
