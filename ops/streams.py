"""DynamoDB Streams records, shaped as Lambda's event source mapping hands them to a function."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A `get_records` record (as boto3 returns it) → the record Lambda passes in `event["Records"]`.

    boto3 parses `ApproximateCreationDateTime` into a datetime; Lambda sends epoch seconds.
    """
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = int(created.timestamp())
    return {
        "eventID": record["eventID"],
        "eventName": record["eventName"],
        "eventVersion": record.get("eventVersion", "1.1"),
        "eventSource": "aws:dynamodb",
        "awsRegion": record.get("awsRegion", stream_arn.split(":")[3]),
        "dynamodb": change,
        "eventSourceARN": stream_arn,
    }


def read_all(streams_client: Any, stream_arn: str) -> list[dict[str, Any]]:
    """Every record currently in the stream, from the start of each shard, in Lambda's shape."""
    return Follower(streams_client, stream_arn).read()


class Follower:
    """A reader that keeps its place in each shard, as the event source mapping does: each read
    returns the records written since the last one (from the start of a shard it has not seen)."""

    def __init__(self, streams_client: Any, stream_arn: str, shard_refresh: float = 1.0) -> None:
        self.client = streams_client
        self.stream_arn = stream_arn
        self._iterators: dict[str, str | None] = {}
        # The mapping looks for new shards now and then, not before every read: `DescribeStream` at most
        # once a `shard_refresh` (seconds), and whenever a shard it reads closes.
        self._shard_refresh = shard_refresh
        self._known: tuple[float, list[str]] | None = None

    def skip_existing(self) -> Follower:
        """Start at the stream's end, as `StartingPosition: LATEST` does."""
        for shard in self._shards():
            self._iterators[shard] = self._iterator(shard, "LATEST")
        return self

    def read_once(self) -> list[tuple[str, dict[str, Any]]]:
        """One `GetRecords` per shard: the records it returned, each with its shard."""
        found: list[tuple[str, dict[str, Any]]] = []
        for shard in self._shards():
            if shard not in self._iterators:
                self._iterators[shard] = self._iterator(shard, "TRIM_HORIZON")
            iterator = self._iterators[shard]
            if iterator is None:  # a closed shard, read to its end
                continue
            response = self.client.get_records(ShardIterator=iterator)
            found += [(shard, lambda_record(r, self.stream_arn)) for r in response["Records"]]
            self._iterators[shard] = response.get("NextShardIterator")
            if self._iterators[shard] is None:
                self._known = None  # a shard closed: its successors are to be found
        return found

    def read(self) -> list[dict[str, Any]]:
        """Every record written since the last read."""
        records: list[dict[str, Any]] = []
        while batch := self.read_once():
            records += [record for _, record in batch]
        return records

    def _shards(self) -> list[str]:
        now = time.monotonic()
        if self._known is None or now - self._known[0] >= self._shard_refresh:
            description = self.client.describe_stream(StreamArn=self.stream_arn)["StreamDescription"]
            self._known = (now, [shard["ShardId"] for shard in description["Shards"]])
        return self._known[1]

    def _iterator(self, shard: str, kind: str) -> str:
        return str(
            self.client.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard, ShardIteratorType=kind)[
                "ShardIterator"
            ]
        )


def filter_patterns(mapping: dict[str, Any]) -> list[dict[str, Any]]:
    """The event source mapping's `FilterCriteria` patterns, parsed; none means every record passes."""
    return [json.loads(f["Pattern"]) for f in mapping.get("FilterCriteria", {}).get("Filters", [])]


def passes(record: dict[str, Any], patterns: list[dict[str, Any]]) -> bool:
    """Lambda's event filtering: a record passes when any pattern matches it (or there is none)."""
    return not patterns or any(_matches(record, pattern) for pattern in patterns)


def _matches(value: Any, pattern: Any) -> bool:
    """The subset of the filter rule syntax the template uses: nested keys, and a list of exact
    values; any other rule is refused, so a template that needs more fails here, not silently."""
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(
            key in value and _matches(value[key], rule) for key, rule in pattern.items()
        )
    if isinstance(pattern, list) and all(isinstance(v, str | int | float | bool) for v in pattern):
        return value in pattern
    raise ValueError(f"filter rule not supported locally: {pattern!r}")


def failure_pointer(
    shard_id: str,
    batch: list[dict[str, Any]],
    *,
    function_arn: str,
    condition: str,
    attempts: int,
    at: datetime,
) -> dict[str, Any]:
    """What the event source mapping sends its on-failure destination for a batch it gives up on: where
    the records are in the stream, not the records themselves (they stay there for 24 hours)."""
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in batch]
    arrivals = [int(r["dynamodb"].get("ApproximateCreationDateTime", at.timestamp())) for r in batch]
    return {
        "requestContext": {
            "requestId": str(uuid.uuid4()),
            "functionArn": function_arn,
            "condition": condition,  # RetryAttemptsExhausted or RecordAgeExceeded
            "approximateInvokeCount": attempts,
        },
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0",
        "timestamp": _instant(at),
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": str(min(sequence)),
            "endSequenceNumber": str(max(sequence)),
            "approximateArrivalOfFirstRecord": _instant(datetime.fromtimestamp(min(arrivals), UTC)),
            "approximateArrivalOfLastRecord": _instant(datetime.fromtimestamp(max(arrivals), UTC)),
            "batchSize": len(batch),
            "streamArn": batch[0]["eventSourceARN"],
        },
    }


def _instant(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
