"""Pages of a list: the items, and an opaque cursor to the next page (base64url of compact JSON)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from zelfregistratie.domain.errors import InvalidCursor

T = TypeVar("T")
MAX_PAGE_SIZE = 100


class Page(NamedTuple, Generic[T]):
    items: list[T]
    next_cursor: str | None


def page_size(limit: int) -> int:
    return max(1, min(limit, MAX_PAGE_SIZE))


def encode_cursor(data: Mapping[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    """What `encode_cursor` wrote; `invalid_cursor` for anything else, however it was tampered with."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError) as exc:
        raise InvalidCursor() from exc
    if not isinstance(data, dict):
        raise InvalidCursor()
    return data
