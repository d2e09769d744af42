"""Attributes of a stream record's image (DynamoDB types, `{"S": …}`), read without deserialising the
whole item: what tells a record's kind and transition before anything is parsed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def image_string(image: Mapping[str, Any], name: str) -> str | None:
    value = image.get(name)
    return value.get("S") if isinstance(value, dict) else None


def image_number(image: Mapping[str, Any], name: str) -> int:
    value = image.get(name)
    return int(value.get("N", 0)) if isinstance(value, dict) else 0
