"""DynamoDB attribute values ↔ the JSON-like values this project stores (str, bool, int, None, lists,
maps); anything else is refused loudly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def serialize(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | Decimal):
        return {"N": str(value)}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, list | tuple):
        return {"L": [serialize(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {str(k): serialize(v) for k, v in value.items()}}
    raise TypeError(f"cannot store {type(value).__name__} in DynamoDB")


def deserialize(value: dict[str, Any]) -> Any:
    [(kind, data)] = value.items()
    if kind == "S":
        return data
    if kind == "N":
        number = Decimal(data)
        return int(number) if number == number.to_integral_value() else number
    if kind == "BOOL":
        return data
    if kind == "NULL":
        return None
    if kind == "L":
        return [deserialize(v) for v in data]
    if kind == "M":
        return {k: deserialize(v) for k, v in data.items()}
    if kind == "SS":  # the sets `ADD` and `DELETE` keep (store.table.string_set)
        return sorted(data)
    raise TypeError(f"unexpected DynamoDB type {kind}")
