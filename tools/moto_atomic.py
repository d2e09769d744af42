"""Make each call into moto atomic, as each DynamoDB API call is in AWS.

moto's in-memory backends have no locks; two threads inside one `TransactWriteItems` could both
pass its conditions. Serialising calls (not whole invocations) keeps the races that matter — those
between calls, such as read-then-write — while ruling out ones AWS itself never shows.
"""

from __future__ import annotations

import threading
from typing import Any

from moto.core.botocore_stubber import BotocoreStubber

_lock = threading.RLock()


def serialize_moto_calls() -> None:
    original = BotocoreStubber.__call__
    if getattr(original, "serialized", False):
        return

    def locked(self: BotocoreStubber, *args: Any, **kwargs: Any) -> Any:
        with _lock:
            return original(self, *args, **kwargs)

    locked.serialized = True  # type: ignore[attr-defined]
    BotocoreStubber.__call__ = locked  # type: ignore[method-assign]
