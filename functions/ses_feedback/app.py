"""What SES reports of mails that did not arrive (docs/unreachable-administrators.md), as its configuration
set's event destination publishes them to EventBridge: a permanent bounce or a complaint for a local
administrator's address marks it unreachable. The local stack's SES mailbox simulator calls this same handler
with events in AWS's shape."""

from __future__ import annotations

import gc

# What a cold start imports and builds is not garbage: collecting meanwhile only costs time (with
# gc.freeze at the end of this module, about 5 % of it). Collection resumes there.
gc.disable()

from typing import Any

from aws_lambda_powertools import Logger, Metrics, single_metric
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.aws import client
from zelfregistratie.config import Settings, lifecycle_days
from zelfregistratie.domain import clock
from zelfregistratie.domain.periods import Periods
from zelfregistratie.logic import feedback
from zelfregistratie.store.store import Store

settings = Settings.from_environment()
PERIODS = Periods.of_days(**lifecycle_days())  # the template's lifecycle periods, handed to what needs them
logger = Logger(environment=settings.environment)  # a key of every log line
metrics = Metrics()
store = Store.connect(settings.table_name, client("dynamodb"), PERIODS)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    found = feedback.read(event)  # read once, here
    # which mail it was (its `mail` tag: filed_admin, approved, …): a requester's bounce is counted here,
    # and that is all it causes (docs/unreachable-administrators.md)
    with single_metric(
        name="MailFeedback", unit=MetricUnit.Count, value=1, namespace=metrics.namespace
    ) as metric:
        metric.add_dimension(name="kind", value=found.kind)  # BouncePermanent, BounceTransient, Complaint
        metric.add_dimension(name="mail", value=found.mail)
    done = feedback.handle(store, found, clock.now())
    logger.info("mail feedback", extra={"kind": found.kind, "mail": found.mail, "done": dict(done)})
    return dict(done)


# The cold start is over. What it made lives as long as this environment: moved out of the collector's
# sight (a first collection would otherwise scan all of it), then collection resumes.
gc.freeze()
gc.enable()
