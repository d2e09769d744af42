"""Mails driven by the table's stream (PRODUCT.md §4 rule 7).

Each record is handled on its own: a failure reports only that record, so Lambda retries it
without resending the rest of the batch.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from zelfregistratie.changes import request_event
from zelfregistratie.config import NotifySettings

settings = NotifySettings.from_environment()
logger = Logger()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def handle_record(record: DynamoDBRecord) -> None:
    change = record.dynamodb
    if change is None:
        return
    raw = record.raw_event["dynamodb"]
    event = request_event(raw.get("OldImage"), raw.get("NewImage"))
    if event is None:
        return
    logger.info("request event", extra={"event": event.value, "eventId": record.event_id})


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=handle_record, processor=processor, context=context
    )
