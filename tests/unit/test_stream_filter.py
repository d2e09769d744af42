"""The local stack's reading of Lambda event filtering: the rules template.yaml uses, and no others."""

from __future__ import annotations

import pytest

from ops.streams import passes

REQUEST = {"dynamodb": {"NewImage": {"kind": {"S": ["request"]}}}}
NEW_AUDIT = {"eventName": ["INSERT"], "dynamodb": {"NewImage": {"kind": {"S": ["audit"]}}}}


def _record(event: str, kind: str | None) -> dict[str, object]:
    image = {"NewImage": {"kind": {"S": kind}}} if kind else {"OldImage": {"kind": {"S": "mail"}}}
    return {"eventName": event, "dynamodb": image}


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (_record("INSERT", "request"), True),
        (_record("MODIFY", "request"), True),
        (_record("INSERT", "audit"), True),
        (_record("MODIFY", "audit"), False),
        (_record("INSERT", "mail"), False),
        (_record("INSERT", "pending_guard"), False),
        (_record("REMOVE", None), False),  # a TTL deletion has no new image
    ],
)
def test_a_record_passes_when_any_pattern_matches(record: dict[str, object], expected: bool) -> None:
    assert passes(record, [REQUEST, NEW_AUDIT]) is expected


def test_without_patterns_every_record_passes() -> None:
    assert passes(_record("REMOVE", None), [])


def test_a_rule_the_local_stack_does_not_know_is_refused() -> None:
    with pytest.raises(ValueError, match="not supported"):
        passes(
            _record("INSERT", "request"), [{"dynamodb": {"NewImage": {"kind": {"S": [{"prefix": "req"}]}}}}]
        )
