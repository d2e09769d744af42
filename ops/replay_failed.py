"""Hand the stream records notify gave up on to notify again (docs/deploy.md § Runbook).

    python -m ops.replay_failed --stack zelfregistratie-ti [--region eu-west-1] [--drop-expired]
    python -m ops.replay_failed --local http://127.0.0.1:8000

The failure queue holds pointers, not records: for each batch the stream mapping gave up on, the shard
and the range of sequence numbers. The records themselves stay in the table's stream for 24 hours
only. For each pointer this reads the records back from the stream, keeps those the mapping's filter
passes, and invokes notify (its alias `live`) with them in the shape the mapping uses; a pointer whose
records were all handled is deleted from the queue. Mail claims make a replay safe: a mail already
sent is not sent again.

A pointer older than the stream's 24 hours finds nothing: it is reported, with the time of its first
record, and left in the queue (or deleted with --drop-expired, once ops have dealt with it by hand).

Against the local stack (`make run`) the same replay runs inside the stack, on its failure queue,
stream and notify (`POST /dev/replay`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ops import streams

# The stream no longer has the records: trimmed after 24 hours, or its shard is gone.
GONE = {"TrimmedDataAccessException", "ResourceNotFoundException", "ExpiredIteratorException"}
Invoke = Callable[[dict[str, Any]], Any]


@dataclass
class Report:
    replayed: list[str] = field(default_factory=list)  # message ids
    records: int = 0
    failed: list[str] = field(default_factory=list)
    expired: list[dict[str, Any]] = field(default_factory=list)  # the pointers, for ops to see

    def as_json(self) -> dict[str, Any]:
        return {
            "replayed": len(self.replayed),
            "records": self.records,
            "failed": len(self.failed),
            "expired": self.expired,
        }


def records_of(streams_client: Any, batch: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The records a pointer's `DDBStreamBatchInfo` names, in Lambda's shape; None when the stream no
    longer has them all."""
    first, last = int(batch["startSequenceNumber"]), int(batch["endSequenceNumber"])
    try:
        iterator = streams_client.get_shard_iterator(
            StreamArn=batch["streamArn"],
            ShardId=batch["shardId"],
            ShardIteratorType="AT_SEQUENCE_NUMBER",
            SequenceNumber=batch["startSequenceNumber"],
        )["ShardIterator"]
        found: list[dict[str, Any]] = []
        while iterator:
            response = streams_client.get_records(ShardIterator=iterator)
            page = [r for r in response["Records"] if first <= int(r["dynamodb"]["SequenceNumber"]) <= last]
            found += [streams.lambda_record(r, batch["streamArn"]) for r in page]
            beyond = any(int(r["dynamodb"]["SequenceNumber"]) >= last for r in response["Records"])
            if beyond or not response["Records"]:
                break
            iterator = response.get("NextShardIterator")
    except ClientError as error:
        if error.response["Error"]["Code"] in GONE:
            return None
        raise
    if not found or int(found[0]["dynamodb"]["SequenceNumber"]) != first:
        return None  # the start was trimmed away
    return found


def replay(
    sqs: Any,
    queue_url: str,
    streams_client: Any,
    invoke: Invoke,
    patterns: list[dict[str, Any]],
    *,
    drop_expired: bool = False,
) -> Report:
    """Every pointer in the queue, replayed once; the queue keeps what did not go through."""
    report = Report()
    kept: list[str] = []  # receipt handles, made visible again at the end
    while True:
        # Each message stays out of sight while this run lasts, so every one is received once.
        messages = sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=900, WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            break
        for message in messages:
            pointer = json.loads(message["Body"])
            outcome = _replay_one(pointer, streams_client, invoke, patterns, report)
            if outcome == "replayed" or (outcome == "expired" and drop_expired):
                sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
            else:
                kept.append(message["ReceiptHandle"])
            if outcome == "expired":
                report.expired.append(pointer)
            else:
                getattr(report, outcome).append(message["MessageId"])
    for handle in kept:  # back in the queue at once: for the alarm, the next run, ops' eyes
        sqs.change_message_visibility(QueueUrl=queue_url, ReceiptHandle=handle, VisibilityTimeout=0)
    return report


def _replay_one(
    pointer: dict[str, Any],
    streams_client: Any,
    invoke: Invoke,
    patterns: list[dict[str, Any]],
    report: Report,
) -> str:
    """replayed, failed (notify failed again: the pointer stays for the next try) or expired."""
    records = records_of(streams_client, pointer["DDBStreamBatchInfo"])
    if records is None:
        return "expired"
    passing = [r for r in records if streams.passes(r, patterns)]
    if passing:
        try:
            result = invoke({"Records": passing})
        except Exception as error:  # a function error fails the whole batch
            print(f"notify failed: {error!r}", file=sys.stderr)
            return "failed"
        if (result or {}).get("batchItemFailures"):
            return "failed"
    report.records += len(passing)
    return "replayed"


# ---- against AWS ----------------------------------------------------------------------------------


def _aws(stack: str, region: str | None, drop_expired: bool) -> Report:
    import boto3

    session = boto3.session.Session(region_name=region)
    cloudformation = session.client("cloudformation")

    def physical(logical_id: str) -> str:
        found = cloudformation.describe_stack_resource(StackName=stack, LogicalResourceId=logical_id)
        return str(found["StackResourceDetail"]["PhysicalResourceId"])

    lambda_client = session.client("lambda")
    notify = physical("NotifyFunction")

    def invoke(event: dict[str, Any]) -> Any:
        response = lambda_client.invoke(
            FunctionName=notify, Qualifier="live", InvocationType="RequestResponse", Payload=json.dumps(event)
        )
        payload = json.loads(response["Payload"].read() or b"null")
        if response.get("FunctionError"):
            raise RuntimeError(f"{response['FunctionError']}: {payload}")
        return payload

    return replay(
        session.client("sqs"),
        physical("NotifyFailureQueue"),
        session.client("dynamodbstreams"),
        invoke,
        deployed_filter(lambda_client, physical("NotifyStreamMapping")),
        drop_expired=drop_expired,
    )


def deployed_filter(lambda_client: Any, mapping_id: str) -> list[dict[str, Any]]:
    """The stream mapping's filter as deployed (not as this checkout's template has it): a replay
    hands notify only what the mapping would have."""
    mapping = lambda_client.get_event_source_mapping(UUID=mapping_id)
    return streams.filter_patterns(mapping)


def _local(base_url: str, drop_expired: bool) -> dict[str, Any]:
    import httpx

    response = httpx.post(
        f"{base_url.rstrip('/')}/dev/replay",
        params={"drop_expired": str(drop_expired).lower()},
        json={},  # the stack's POSTs take JSON only
        timeout=60,
    )
    response.raise_for_status()
    answer: dict[str, Any] = response.json()
    return answer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--stack", help="the deployed stack's name, e.g. zelfregistratie-ti")
    where.add_argument("--local", metavar="URL", help="the local stack, e.g. http://127.0.0.1:8000")
    parser.add_argument("--region")
    parser.add_argument("--drop-expired", action="store_true", help="delete pointers whose records are gone")
    args = parser.parse_args(argv)
    result = (
        _local(args.local, args.drop_expired)
        if args.local
        else _aws(args.stack, args.region, args.drop_expired).as_json()
    )
    print(json.dumps(result, indent=2))
    if result["expired"]:
        print(
            f"{len(result['expired'])} pointer(s) older than the stream's 24 hours: their records are gone.",
            file=sys.stderr,
        )
    return 1 if result["failed"] or result["expired"] else 0


if __name__ == "__main__":
    sys.exit(main())
