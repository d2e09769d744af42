"""The local stream does not grow without end: records the poller has read go, but for the newest
ten thousand (what a replay of recent failures needs); a read before the first kept record answers
TrimmedDataAccessException, as DynamoDB Streams does."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends

from devstack import moto_atomic
from tests.conftest import TEST_ENVIRONMENT, Table


def _write(table: Table, n: int) -> None:
    for i in range(n):
        table.client.put_item(
            TableName=table.name, Item={"PK": {"S": f"X#{i}"}, "SK": {"S": "#X"}, "kind": {"S": "x"}}
        )


def test_read_records_beyond_the_newest_are_trimmed_and_reads_before_them_refused(table: Table) -> None:
    shard = (
        dynamodb_backends[DEFAULT_ACCOUNT_ID][TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]]
        .get_table(table.name)
        .stream_shard
    )
    assert shard is not None
    _write(table, 30)
    first = shard.starting_sequence_number
    assert moto_atomic.trim_stream(shard, read_up_to=first + 5, keep=10) == 5  # read: 5 of the 20 older
    assert (
        moto_atomic.trim_stream(shard, read_up_to=first + 30, keep=10) == 15
    )  # all read: the newest 10 stay
    assert len(shard.items) == 10
    assert moto_atomic.trim_stream(shard, read_up_to=first + 30, keep=10) == 0
    table.client.put_item(
        TableName=table.name, Item={"PK": {"S": "Y#1"}, "SK": {"S": "#Y"}, "kind": {"S": "y"}}
    )
    streams = boto3.client("dynamodbstreams")
    shard_id = streams.describe_stream(StreamArn=table.stream_arn)["StreamDescription"]["Shards"][0][
        "ShardId"
    ]
    iterator = streams.get_shard_iterator(
        StreamArn=table.stream_arn,
        ShardId=shard_id,
        ShardIteratorType="AT_SEQUENCE_NUMBER",
        SequenceNumber=str(first),
    )["ShardIterator"]
    with pytest.raises(ClientError) as refused:
        streams.get_records(ShardIterator=iterator)
    assert refused.value.response["Error"]["Code"] == "TrimmedDataAccessException"
    iterator = streams.get_shard_iterator(
        StreamArn=table.stream_arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    records = streams.get_records(ShardIterator=iterator)["Records"]
    keys = [r["dynamodb"]["Keys"]["PK"]["S"] for r in records]
    assert keys == [f"X#{i}" for i in range(20, 30)] + ["Y#1"]  # sequence numbers carry on
