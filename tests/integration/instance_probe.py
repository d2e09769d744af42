"""A function for the local gateway's execution-environment tests: module state of its own."""

from __future__ import annotations

from typing import Any

STATE: dict[str, int] = {"invocations": 0}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    STATE["invocations"] += 1
    event["together"].wait()  # a threading.Barrier: passes only if the invocations overlap
    return {"module": __name__, "invocations": STATE["invocations"]}
