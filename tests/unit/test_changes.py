"""Which table changes are request events, from the stream's typed images."""

from __future__ import annotations

from typing import Any

import pytest

from zelfregistratie.store.changes import RequestEvent, request_event


def image(kind: str, status: str | None = None) -> dict[str, dict[str, str]]:
    return {"kind": {"S": kind}, **({"status": {"S": status}} if status else {})}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (None, image("request", "pending"), RequestEvent.FILED),
        (image("request", "pending"), image("request", "approved"), RequestEvent.DECIDED),
        (image("request", "pending"), image("request", "rejected"), RequestEvent.DECIDED),
        (image("request", "pending"), image("request", "cancelled"), RequestEvent.CANCELLED),
        (image("request", "pending"), image("request", "pending"), None),
        (image("request", "approved"), None, None),
        (None, image("grant"), None),
        (None, image("pending_guard"), None),
        (None, {"PK": {"S": "IDEMPOTENCY#x"}}, None),
    ],
)
def test_request_events(
    old: dict[str, Any] | None, new: dict[str, Any] | None, expected: RequestEvent | None
) -> None:
    assert request_event(old, new) is expected
