"""The reference `make bench` measures next to our functions: a plain powertools API handler with
validation, as issue #4 describes it ("about 1.5" times the baseline). Measured in the same run, it
shows where our functions stand whatever state the machine is in. Never deployed."""

from typing import Any

import boto3
from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from pydantic import BaseModel

logger = Logger()
metrics = Metrics()
app = APIGatewayHttpResolver(enable_validation=True)
dynamodb = boto3.client("dynamodb")


class Item(BaseModel):
    name: str
    count: int


@app.post("/items")
def create(item: Item) -> dict[str, str]:
    dynamodb.put_item(TableName="items", Item={"PK": {"S": item.name}})
    return {"name": item.name}


@logger.inject_lambda_context
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
