"""DynamoDB Streams records, shaped as Lambda's event source mapping hands them to a function."""

from __future__ import annotations

from datetime import datetime
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
    records: list[dict[str, Any]] = []
    shards = streams_client.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]
    for shard in shards:
        iterator = streams_client.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            response = streams_client.get_records(ShardIterator=iterator)
            records += [lambda_record(r, stream_arn) for r in response["Records"]]
            if not response["Records"]:
                break
            iterator = response.get("NextShardIterator")
    return records
