"""Recovery: the records notify gave up on come back from the stream and reach notify again
(ops/replay_failed.py), against the local stack by the command ops run, and only once."""

from __future__ import annotations

import json
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from botocore.exceptions import ClientError
from moto.core.exceptions import JsonRESTError
from moto.sesv2.models import SESV2Backend
from werkzeug.serving import make_server

from ops import replay_failed, streams
from tests.factories import a_request
from zelfregistratie.store.store import Store

if TYPE_CHECKING:
    from devstack.stack import LocalStack


@pytest.fixture
def stack(tmp_path: Any) -> Iterator[tuple[LocalStack, str]]:
    """The local stack in this process (its poller driven by the test), served on a free port. It
    imports the functions with its own environment and clients: the test's own imports of them, and
    the process environment, are put aside meanwhile and restored after."""
    environment, ours = dict(os.environ), {k: m for k, m in sys.modules.items() if k.startswith("functions.")}
    for name in ours:
        del sys.modules[name]
    from devstack.stack import LocalStack, parse

    local = LocalStack(parse(["--port", "0", "--idp-key", str(tmp_path / "key.json")]))
    server = make_server("127.0.0.1", 0, local, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield local, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        local.close()
        local._mock.stop()
        for name in [k for k in sys.modules if k.startswith("functions.")]:
            del sys.modules[name]
        sys.modules.update(ours)
        os.environ.clear()
        os.environ.update(environment)


@contextmanager
def ses_outage(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Meanwhile SES has paused sending (a transient error, and one botocore does not retry itself):
    notify keeps failing, then the mapping gives up."""

    def paused(*_: Any, **__: Any) -> Any:
        raise JsonRESTError("SendingPausedException", "Sending is paused for this account.")

    with monkeypatch.context() as patch:
        patch.setattr(SESV2Backend, "send_email", paused)
        yield


def _file_and_give_up(local: LocalStack, monkeypatch: pytest.MonkeyPatch) -> None:
    now = datetime.now(UTC)
    Store.connect(
        local.functions["NotifyFunction"].environment["TABLE_NAME"], local.dynamodb
    ).requests.create(a_request(created_at=now), now.date())
    with ses_outage(monkeypatch):
        local.poller.poll_once()  # every retry fails: the mapping gives up and sends the pointer


def _dead_letters(base: str) -> list[dict[str, Any]]:
    answer: list[dict[str, Any]] = httpx.get(f"{base}/dev/dead-letters.json").json()
    return answer


def test_given_up_records_are_replayed_from_the_stream_by_the_command_and_mailed_once(
    stack: tuple[LocalStack, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    local, base = stack
    _file_and_give_up(local, monkeypatch)
    local.outbox.refresh()
    assert local.outbox.mails() == []

    # The failure queue holds a pointer in Lambda's shape, not the record.
    [pointer] = _dead_letters(base)
    batch = pointer["DDBStreamBatchInfo"]
    assert pointer["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert pointer["requestContext"]["approximateInvokeCount"] == local.poller.maximum_retry_attempts + 1
    assert batch["batchSize"] == 1 and batch["startSequenceNumber"] == batch["endSequenceNumber"]
    assert batch["streamArn"] == local.poller.stream_arn
    assert "dynamodb" not in json.dumps(pointer).replace(batch["streamArn"], "")
    assert httpx.get(f"{base}/dev/dead-letters").status_code == 200

    # SES is back: the command replays it; requester and administrator are mailed, the queue empties.
    assert replay_failed.main(["--local", base]) == 0
    assert _reports(capsys) == [{"replayed": 1, "records": 1, "failed": 0, "expired": []}]
    mailed = sorted(mail.to for mail in local.outbox.mails())
    assert len(mailed) == 3 and _dead_letters(base) == []

    # Running it again finds nothing; the same pointer sent again replays, but mails nobody twice.
    assert replay_failed.main(["--local", base]) == 0
    local.sqs.send_message(QueueUrl=local.failure_queue, MessageBody=json.dumps(pointer))
    assert replay_failed.main(["--local", base]) == 0
    assert _reports(capsys) == [
        {"replayed": 0, "records": 0, "failed": 0, "expired": []},
        {"replayed": 1, "records": 1, "failed": 0, "expired": []},
    ]
    assert sorted(mail.to for mail in local.outbox.mails()) == mailed and _dead_letters(base) == []


def test_a_replay_that_fails_again_keeps_the_pointer(
    stack: tuple[LocalStack, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    local, base = stack
    _file_and_give_up(local, monkeypatch)
    with ses_outage(monkeypatch):
        report = local.replay(drop_expired=False)
    assert (len(report.replayed), len(report.failed)) == (0, 1)
    assert len(_dead_letters(base)) == 1
    local.outbox.refresh()
    assert local.outbox.mails() == []


class _TrimmedStream:
    """A stream past its 24 hours: the records a pointer names are gone."""

    def get_shard_iterator(self, **_: Any) -> Any:
        raise ClientError(
            {"Error": {"Code": "TrimmedDataAccessException", "Message": "trimmed"}}, "GetShardIterator"
        )


def test_pointers_older_than_the_stream_are_reported_and_kept_unless_dropped(
    stack: tuple[LocalStack, str],
) -> None:
    local, base = stack
    record = {
        "eventSourceARN": local.poller.stream_arn,
        "dynamodb": {"SequenceNumber": "100", "ApproximateCreationDateTime": 1_700_000_000},
    }
    pointer = streams.failure_pointer(
        "shardId-1",
        [record],
        function_arn="arn",
        condition="RecordAgeExceeded",
        attempts=1,
        at=datetime.now(UTC),
    )
    local.sqs.send_message(QueueUrl=local.failure_queue, MessageBody=json.dumps(pointer))
    patterns = streams.filter_patterns(local.mapping)

    def never(event: dict[str, Any]) -> Any:
        raise AssertionError("nothing to hand to notify")

    kept = replay_failed.replay(local.sqs, local.failure_queue, _TrimmedStream(), never, patterns)
    assert kept.expired == [pointer] and kept.replayed == [] and _dead_letters(base) == [pointer]
    assert (
        kept.expired[0]["DDBStreamBatchInfo"]["approximateArrivalOfFirstRecord"] == "2023-11-14T22:13:20.000Z"
    )
    dropped = replay_failed.replay(
        local.sqs, local.failure_queue, _TrimmedStream(), never, patterns, drop_expired=True
    )
    assert dropped.expired == [pointer] and _dead_letters(base) == []


def _reports(capsys: pytest.CaptureFixture[str]) -> list[Any]:
    """The command's reports printed since the last look (notify, in this process, logs there too)."""
    decoder, text, found, at = json.JSONDecoder(), capsys.readouterr().out, [], 0
    while (at := text.find("{\n", at)) >= 0:
        report, at = decoder.raw_decode(text, at)
        found.append(report)
    return found


def test_against_aws_the_filter_is_the_deployed_mappings(table: Any) -> None:
    """In AWS the replay reads the stream mapping's filter from Lambda, as deployed: the template in
    the checkout may already differ from what runs."""
    import boto3
    from botocore.stub import Stubber

    from devstack import template

    lambda_client = boto3.client("lambda")
    deployed = {
        "FilterCriteria": {"Filters": [{"Pattern": '{"dynamodb": {"NewImage": {"kind": {"S": ["x"]}}}}'}]}
    }
    mapping = "6d9f2c1e-3b7a-4c55-9e21-0f8a7b6c5d4e"  # CloudFormation's physical id of the mapping
    with Stubber(lambda_client) as stub:
        stub.add_response("get_event_source_mapping", deployed, {"UUID": mapping})
        patterns = replay_failed.deployed_filter(lambda_client, mapping)
    assert patterns == [{"dynamodb": {"NewImage": {"kind": {"S": ["x"]}}}}]
    ours = streams.filter_patterns(template.resource("NotifyStreamMapping")["Properties"])
    assert patterns != ours
