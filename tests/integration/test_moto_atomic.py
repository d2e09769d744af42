"""The local stack's moto adapter: transactions as DynamoDB runs them, seen through the stream; mails
that keep their SES tags."""

from __future__ import annotations

import copy
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
from moto.dynamodb.models.table import Table as MotoTable

from devstack import moto_atomic
from devstack.moto_atomic import MOTO_SERIALIZE_STRUCTURE
from devstack.outbox import Outbox
from ops import streams
from tests.conftest import TEST_ENVIRONMENT, Table


def _item(pk: str, sk: str = "META", **attributes: str) -> dict[str, Any]:
    return {"PK": {"S": pk}, "SK": {"S": sk}, **{k: {"S": v} for k, v in attributes.items()}}


def _put(table: Table, item: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    put: dict[str, Any] = {"TableName": table.name, "Item": item}
    if condition:
        put["ConditionExpression"] = condition
    return {"Put": put}


def _cancel_reasons(table: Table, items: list[dict[str, Any]]) -> list[str]:
    with pytest.raises(ClientError) as raised:
        table.client.transact_write_items(TransactItems=items)
    assert raised.value.response["Error"]["Code"] == "TransactionCanceledException"
    return [r["Code"] for r in raised.value.response["CancellationReasons"]]


def _backend_table(table: Table) -> MotoTable:
    return dynamodb_backends["123456789012"]["eu-west-1"].tables[table.name]


class Reader:
    """A stream reader that keeps its iterator, as the poller and Lambda's event source mapping do."""

    def __init__(self, table: Table) -> None:
        self.client = boto3.client("dynamodbstreams")
        self.arn = table.stream_arn
        shard = self.client.describe_stream(StreamArn=self.arn)["StreamDescription"]["Shards"][0]
        self.iterator = self.client.get_shard_iterator(
            StreamArn=self.arn, ShardId=shard["ShardId"], ShardIteratorType="LATEST"
        )["ShardIterator"]

    def new_records(self) -> list[tuple[str, str]]:
        response = self.client.get_records(ShardIterator=self.iterator)
        self.iterator = response["NextShardIterator"]
        return [(r["eventName"], r["dynamodb"]["Keys"]["PK"]["S"]) for r in response["Records"]]


def test_a_cancelled_transaction_writes_no_item_and_no_stream_record(table: Table) -> None:
    table.client.put_item(TableName=table.name, Item=_item("TAKEN"))
    reader = Reader(table)
    reasons = _cancel_reasons(
        table,
        [
            _put(table, _item("NEW")),
            _put(table, _item("TAKEN"), condition="attribute_not_exists(PK)"),
        ],
    )
    assert reasons == ["None", "ConditionalCheckFailed"]
    assert [i["PK"]["S"] for i in table.items()] == ["TAKEN"]
    assert reader.new_records() == []
    assert streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn)[-1]["eventName"] == "INSERT"
    assert len(streams.read_all(boto3.client("dynamodbstreams"), table.stream_arn)) == 1


def test_a_reader_sees_what_commits_after_a_cancelled_transaction(table: Table) -> None:
    table.client.put_item(TableName=table.name, Item=_item("TAKEN"))
    live_table = _backend_table(table)
    live_shard = live_table.stream_shard
    reader = Reader(table)
    _cancel_reasons(table, [_put(table, _item("TAKEN"), condition="attribute_not_exists(PK)")])
    table.client.transact_write_items(TransactItems=[_put(table, _item("LATER"))])
    assert reader.new_records() == [("INSERT", "LATER")]
    assert _backend_table(table) is live_table
    assert live_table.stream_shard is live_shard


def test_conditions_are_judged_on_the_state_before_the_transaction(table: Table) -> None:
    """Every failing condition is reported, each at its position, whatever comes before it."""
    table.client.put_item(TableName=table.name, Item=_item("A"))
    table.client.put_item(TableName=table.name, Item=_item("B", status="closed"))
    reasons = _cancel_reasons(
        table,
        [
            _put(table, _item("C")),
            {
                "ConditionCheck": {
                    "TableName": table.name,
                    "Key": {"PK": {"S": "A"}, "SK": {"S": "META"}},
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            },
            {
                "Update": {
                    "TableName": table.name,
                    "Key": {"PK": {"S": "B"}, "SK": {"S": "META"}},
                    "UpdateExpression": "SET #s = :new",
                    "ConditionExpression": "#s = :pending",
                    "ExpressionAttributeNames": {"#s": "status"},
                    "ExpressionAttributeValues": {":new": {"S": "x"}, ":pending": {"S": "pending"}},
                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                }
            },
        ],
    )
    assert reasons == ["None", "ConditionalCheckFailed", "ConditionalCheckFailed"]
    assert sorted(i["PK"]["S"] for i in table.items()) == ["A", "B"]


def test_a_committed_transaction_leaves_one_record_per_changed_item(table: Table) -> None:
    table.client.put_item(TableName=table.name, Item=_item("SAME", v="1"))
    table.client.put_item(TableName=table.name, Item=_item("GONE"))
    reader = Reader(table)
    table.client.transact_write_items(
        TransactItems=[
            _put(table, _item("NEW")),
            _put(table, _item("SAME", v="1")),  # unchanged: DynamoDB writes no stream record
            {"Delete": {"TableName": table.name, "Key": {"PK": {"S": "GONE"}, "SK": {"S": "META"}}}},
            {
                "Update": {  # an update that creates its item: one INSERT, not two records
                    "TableName": table.name,
                    "Key": {"PK": {"S": "COUNT"}, "SK": {"S": "META"}},
                    "UpdateExpression": "ADD n :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
        ]
    )
    assert reader.new_records() == [("INSERT", "NEW"), ("REMOVE", "GONE"), ("INSERT", "COUNT")]


def test_a_write_that_fails_midway_is_undone_without_a_trace(table: Table) -> None:
    table.client.put_item(TableName=table.name, Item=_item("WORD", n="text"))
    reader = Reader(table)
    with pytest.raises(ClientError):
        table.client.transact_write_items(
            TransactItems=[
                _put(table, _item("FIRST")),
                {
                    "Update": {  # ADD a number to a string: refused when applied
                        "TableName": table.name,
                        "Key": {"PK": {"S": "WORD"}, "SK": {"S": "META"}},
                        "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                },
            ]
        )
    assert [(i["PK"]["S"], i["n"]["S"]) for i in table.items()] == [("WORD", "text")]
    assert reader.new_records() == []


def test_a_transaction_copies_no_table(table: Table, monkeypatch: pytest.MonkeyPatch) -> None:
    """moto's own transaction deep-copied every table it touched: a cost that grew with the table."""

    def refuse(self: MotoTable, memo: dict[int, Any]) -> MotoTable:
        raise AssertionError("a transaction copied the whole table")

    monkeypatch.setattr(MotoTable, "__deepcopy__", refuse, raising=False)
    table.client.put_item(TableName=table.name, Item=_item("TAKEN"))
    _cancel_reasons(table, [_put(table, _item("TAKEN"), condition="attribute_not_exists(PK)")])
    table.client.transact_write_items(TransactItems=[_put(table, _item("NEW"))])
    with pytest.raises(AssertionError):
        copy.deepcopy(_backend_table(table))  # the guard itself works


def test_a_query_reads_its_partition_not_the_whole_table(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto sorted every item of the table for each query (docs/local-stack.md)."""
    from moto.dynamodb.models.dynamo_type import DynamoType

    client = table.client
    for start in range(0, 3_000, 25):
        client.batch_write_item(
            RequestItems={
                table.name: [
                    {"PutRequest": {"Item": {"PK": {"S": f"FILLER#{n}"}, "SK": {"S": "#"}}}}
                    for n in range(start, start + 25)
                ]
            }
        )
    for sk in ("b", "c", "a"):
        client.put_item(
            TableName=table.name,
            Item={"PK": {"S": "WANTED"}, "SK": {"S": sk}, "GSI1PK": {"S": "G"}, "GSI1SK": {"S": sk}},
        )
    comparisons = 0
    original = DynamoType.__lt__

    def counted(self: DynamoType, other: DynamoType) -> bool:
        nonlocal comparisons
        comparisons += 1
        return original(self, other)

    monkeypatch.setattr(DynamoType, "__lt__", counted)
    found = client.query(
        TableName=table.name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "WANTED"}},
        ScanIndexForward=False,
    )
    assert [i["SK"]["S"] for i in found["Items"]] == ["c", "b", "a"]
    assert comparisons < 20  # three items sorted, not 3,003
    by_index = client.query(
        TableName=table.name,
        IndexName="GSI1",
        KeyConditionExpression="GSI1PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "G"}},
    )
    assert [i["SK"]["S"] for i in by_index["Items"]] == ["a", "b", "c"]
    assert comparisons < 40
    scanned = client.scan(TableName=table.name, Limit=10)
    assert len(scanned["Items"]) == 10 and "LastEvaluatedKey" in scanned  # a scan still pages in order


EVERY_TYPE = {
    "PK": {"S": "TYPES"},
    "SK": {"S": "#"},
    "text": {"S": "Zoë <b>&</b>"},
    "empty": {"S": ""},
    "number": {"N": "-12.50"},
    "yes": {"BOOL": True},
    "no": {"BOOL": False},
    "nothing": {"NULL": True},
    "texts": {"SS": ["a", "b"]},
    "numbers": {"NS": ["1", "2.5"]},
    "blob": {"B": b"\x00\xffdata"},
    "blobs": {"BS": [b"\x01", b"\x02"]},
    "list": {"L": [{"S": "x"}, {"N": "1"}, {"L": []}, {"M": {}}, {"B": b"\x03"}]},
    "map": {"M": {"a": {"M": {"b": {"SS": ["c"]}}}, "n": {"NULL": True}, "t": {"BOOL": True}}},
}


def test_items_are_answered_as_moto_itself_answers_them_without_walking_each_value(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    """moto's serializer took about a millisecond per item (docs/local-stack.md);
    values already in their wire form now go out as they are, and every answer stays the same."""
    from moto.core.serialize import BaseJSONSerializer, ResponseSerializer

    client = table.client
    reader = Reader(table)
    client.put_item(TableName=table.name, Item=EVERY_TYPE)
    for n in range(25):
        client.put_item(
            TableName=table.name,
            Item={"PK": {"S": "PAGE"}, "SK": {"S": f"{n:02}"}} | {f"a{k}": {"S": "v"} for k in range(20)},
        )

    def answers() -> list[Any]:
        got = client.get_item(TableName=table.name, Key={"PK": {"S": "TYPES"}, "SK": {"S": "#"}})
        queried = client.query(
            TableName=table.name,
            KeyConditionExpression="PK = :pk",
            ExpressionAttributeValues={":pk": {"S": "TYPES"}},
        )
        records = boto3.client("dynamodbstreams").get_records(ShardIterator=reader.iterator)["Records"]
        return [got["Item"], queried["Items"], [r["dynamodb"]["NewImage"] for r in records]]

    ours = answers()
    assert ours[0] == EVERY_TYPE and ours[1] == [EVERY_TYPE] and ours[2][0] == EVERY_TYPE
    picked = 0
    original_pick = ResponseSerializer.get_value

    def counted(self: Any, *args: Any) -> Any:
        nonlocal picked
        picked += 1
        return original_pick(self, *args)

    monkeypatch.setattr(ResponseSerializer, "get_value", counted)
    page = client.query(
        TableName=table.name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": "PAGE"}},
    )
    assert len(page["Items"]) == 25 and picked < 50  # moto's own way: ten members × 22 values × 25
    monkeypatch.setattr(BaseJSONSerializer, "_serialize_type_structure", MOTO_SERIALIZE_STRUCTURE)
    assert answers() == ours


def test_a_sent_mail_keeps_its_tags_and_a_tag_ses_would_refuse_is_refused(table: Table) -> None:
    """SES hands a mail's tags back with its bounce; moto as shipped drops them."""
    ses = boto3.client("sesv2")
    ses.create_email_identity(EmailIdentity="no-reply@example.be")
    mail: dict[str, Any] = {
        "FromEmailAddress": "no-reply@example.be",
        "Destination": {"ToAddresses": ["els@example.be"]},
        "Content": {"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}},
    }
    sent = ses.send_email(**mail, EmailTags=[{"Name": "mail", "Value": "filed_admin"}])
    [message] = [
        m for m in Outbox(TEST_ENVIRONMENT["AWS_DEFAULT_REGION"]).mails() if m.id == sent["MessageId"]
    ]
    assert message.tags == {"mail": ["filed_admin"]}
    with pytest.raises(ClientError) as refused:
        ses.send_email(**mail, EmailTags=[{"Name": "request", "Value": "REQUEST#1"}])
    assert refused.value.response["Error"]["Code"] == "BadRequestException"


def test_ses_refuses_sending_as_ses_does_with_its_own_error_shapes(table: Table) -> None:
    """moto as shipped sends through a configuration set that does not exist, to anyone from a sandboxed
    account, and words an unverified sender its own way."""
    from moto.core.models import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from devstack import moto_ses

    ses = boto3.client("sesv2")
    ses.create_email_identity(EmailIdentity="example.be")
    mail: dict[str, Any] = {
        "FromEmailAddress": "no-reply@example.be",
        "Destination": {"ToAddresses": ["els@zonnebloem.example"]},
        "Content": {"Simple": {"Subject": {"Data": "x"}, "Body": {"Text": {"Data": "x"}}}},
    }

    def refusal(**extra: Any) -> tuple[str, str, int]:
        with pytest.raises(ClientError) as refused:
            ses.send_email(**(mail | extra))
        error = refused.value.response
        return error["Error"]["Code"], error["Error"]["Message"], error["ResponseMetadata"]["HTTPStatusCode"]

    assert refusal(ConfigurationSetName="gone") == (
        "NotFoundException",
        "Configuration set <gone> does not exist.",
        404,
    )
    assert refusal(FromEmailAddress="no-reply@elders.example") == (
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region EU-WEST-1: "
        "no-reply@elders.example",
        400,
    )
    state = moto_ses.account(ses_backends[DEFAULT_ACCOUNT_ID]["eu-west-1"])
    state["ProductionAccessEnabled"] = False  # SES's sandbox: verified recipients only
    assert refusal()[0:2] == (
        "MessageRejected",
        "Email address is not verified. The following identities failed the check in region EU-WEST-1: "
        "els@zonnebloem.example",
    )
    assert ses.get_account()["ProductionAccessEnabled"] is False
    ses.create_email_identity(EmailIdentity="els@zonnebloem.example")
    assert ses.send_email(**mail)["MessageId"]
    state["SendingEnabled"] = False
    assert refusal()[0] == "SendingPausedException"


def _between(client: Any, low: str, high: str) -> list[Any]:
    items: list[Any] = client.query(
        TableName=TEST_ENVIRONMENT["TABLE_NAME"],
        KeyConditionExpression="PK = :pk AND SK BETWEEN :low AND :high",
        ExpressionAttributeValues={":pk": {"S": "P"}, ":low": {"S": low}, ":high": {"S": high}},
    )["Items"]
    return items


def test_a_between_with_its_bounds_reversed_is_refused_as_dynamodb_refuses_it(
    table: Table, monkeypatch: pytest.MonkeyPatch
) -> None:
    table.client.put_item(TableName=table.name, Item={"PK": {"S": "P"}, "SK": {"S": "m"}})
    assert len(_between(table.client, "a", "z")) == 1
    assert len(_between(table.client, "m", "m")) == 1  # equal bounds are fine
    with pytest.raises(ClientError) as refused:
        _between(table.client, "z", "a")
    assert refused.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater "
        "than or equal to lower bound; lower bound operand: AttributeValue: {S:z}, upper bound operand: "
        "AttributeValue: {S:a}",
    }
    # moto as shipped answers an empty page
    monkeypatch.setattr(DynamoDBBackend, "query", moto_atomic.MOTO_QUERY)
    assert _between(table.client, "z", "a") == []


def test_a_transaction_over_100_items_is_refused_as_dynamodb_refuses_it(table: Table) -> None:
    """The adapter's own transactions keep DynamoDB's limit (moto 5.2.6's keep it too)."""

    def puts(count: int) -> list[dict[str, Any]]:
        return [
            {"Put": {"TableName": table.name, "Item": {"PK": {"S": f"P{n}"}, "SK": {"S": "#"}}}}
            for n in range(count)
        ]

    table.client.transact_write_items(TransactItems=puts(100))
    with pytest.raises(ClientError) as refused:
        table.client.transact_write_items(TransactItems=puts(101))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert refused.value.response["Error"]["Message"] == (
        "1 validation error detected at 'transactItems' failed to satisfy constraint: "
        "Member must have length less than or equal to 100."
    )
    assert len(table.items()) == 100  # nothing of the refused one
