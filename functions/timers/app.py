"""The lifecycle's timers (docs/lifecycle.md), run by an EventBridge Scheduler schedule every hour: the
reminders and expiry of pending requests, the expiring warning and expiry of grants. What they tell
people goes out from the stream (notify), as for every other change. Each run also counts the
organisations without a reachable administrator (docs/unreachable-administrators.md), a metric for ops.

The event may name `days` to look further back than the usual two days (after an outage).
"""

from __future__ import annotations

import gc

# What a cold start imports and builds is not garbage: collecting meanwhile only costs time (with
# gc.freeze at the end of this module, about 5 % of it). Collection resumes there.
gc.disable()

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.aws import client
from zelfregistratie.config import Settings, lifecycle_days
from zelfregistratie.domain import clock
from zelfregistratie.domain.periods import Periods
from zelfregistratie.logic import lifecycle
from zelfregistratie.store import reachability
from zelfregistratie.store.store import Store

settings = Settings.from_environment()
PERIODS = Periods.of_days(**lifecycle_days())  # the template's lifecycle periods, handed to what needs them
logger = Logger(environment=settings.environment)  # a key of every log line
metrics = Metrics()
store = Store.connect(settings.table_name, client("dynamodb"), PERIODS)
MAX_DAYS_BACK = 1000  # a catch-up run after a long outage (or the development clock)


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, int]:
    days = event.get("days") if isinstance(event, dict) else None
    days_back = min(int(days), MAX_DAYS_BACK) if isinstance(days, int) and days >= 0 else lifecycle.DAYS_BACK
    done = lifecycle.run(store, clock.now(), days_back)
    for step, count in done.items():
        metrics.add_metric(name=f"Timers_{step}", unit=MetricUnit.Count, value=count)
    # every hour, for ops (docs/unreachable-administrators.md): organisations that can no longer receive
    # requests
    unreachable = reachability.count(store.table)
    metrics.add_metric(name="OrganizationsWithoutReachableAdmin", unit=MetricUnit.Count, value=unreachable)
    logger.info("timers ran", extra={"done": dict(done), "organizationsWithoutReachableAdmin": unreachable})
    return dict(done)


# The cold start is over. What it made lives as long as this environment: moved out of the collector's
# sight (a first collection would otherwise scan all of it), then collection resumes.
gc.freeze()
gc.enable()
