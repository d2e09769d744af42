"""The DynamoDB attribute-value codec round-trips everything the store stores."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zelfregistratie.store.codec import deserialize, serialize

values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(), children, max_size=4),
    max_leaves=20,
)


@given(values)
def test_values_round_trip(value: Any) -> None:
    assert deserialize(serialize(value)) == value


def test_the_wire_format_is_dynamodbs() -> None:
    assert serialize({"a": [1, "x", True, None]}) == {
        "M": {"a": {"L": [{"N": "1"}, {"S": "x"}, {"BOOL": True}, {"NULL": True}]}}
    }


def test_unsupported_values_are_refused() -> None:
    with pytest.raises(TypeError):
        serialize(1.5)
