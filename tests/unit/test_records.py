"""Domain dataclasses survive the trip to stored values and back, in the forms the table holds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from zelfregistratie.domain.entities import Outcome, RequestStatus, RequestType, Right, TargetGroup
from zelfregistratie.domain.requests import AccessRequest, Decision
from zelfregistratie.store.codec import deserialize, serialize
from zelfregistratie.store.records import from_record, to_record

AT = datetime(2026, 11, 28, 9, 30, 15, 123000, tzinfo=UTC)
DECIDED = AccessRequest(
    id="0193a1b2-0000-7000-8000-000000000001",
    type=RequestType.USER_RIGHT,
    status=RequestStatus.APPROVED,
    requester="sub-1",
    requester_name="Sofie Peeters",
    target_group=TargetGroup.EA,
    organization="0428364866",
    right="DIMONA",
    context="Gent",
    phone="+3212345678",
    email="s@x.be",
    created_at=AT,
    decision=Decision(outcome=Outcome.APPROVED, by_person="a", by_name="Els", at=AT, reason="In orde."),
    grant_begin=date(2026, 11, 28),
    grant_end=date(2028, 11, 28),
)


def test_an_entity_round_trips_through_dynamodb_values() -> None:
    stored = {name: serialize(value) for name, value in to_record(DECIDED).items()}
    assert from_record(AccessRequest, {name: deserialize(v) for name, v in stored.items()}) == DECIDED


def test_stored_forms_are_iso_dates_enum_values_and_no_nulls() -> None:
    record = to_record(DECIDED)
    assert record["created_at"] == "2026-11-28T09:30:15.123000Z"
    assert record["grant_end"] == "2028-11-28"
    assert record["type"] == "user_right"
    assert record["decision"]["outcome"] == "approved"
    assert "reason" not in record and "cancelled_at" not in record


def test_sets_are_stored_sorted_and_read_back_as_enums() -> None:
    right = Right(
        code="X",
        name="X",
        application_id=1,
        application_name="A",
        target_groups=frozenset({TargetGroup.OV, TargetGroup.EA}),
        contexts=("b", "a"),
    )
    record = to_record(right)
    assert (record["target_groups"], record["contexts"]) == (["EA", "OV"], ["b", "a"])
    assert from_record(Right, record) == right


def test_unknown_attributes_are_ignored_and_missing_ones_refused() -> None:
    record = to_record(DECIDED)
    assert from_record(AccessRequest, {**record, "addedLater": 1}) == DECIDED
    with pytest.raises(TypeError):
        from_record(AccessRequest, {k: v for k, v in record.items() if k != "email"})


def test_the_domain_still_refuses_a_right_on_a_work_relation_request() -> None:
    record = to_record(DECIDED) | {"type": "work_relation"}
    with pytest.raises(ValueError, match="work_relation"):
        from_record(AccessRequest, record)
