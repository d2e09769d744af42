"""moto's repeated work done once (devstack/moto_speed.py): the same answers as moto's own, for less."""

from __future__ import annotations

import inspect
import string
from typing import Any

import moto.core.responses
import pytest
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.responses import DynamoHandler
from moto.moto_api._internal.moto_random import MotoRandom

from devstack import moto_atomic
from devstack.moto_speed import ITEM_SIZE_LIMIT, MOTO_ITEM_INIT, MOTO_RANDOM_STRING

moto_atomic.faithful_moto()


def _attributes(count: int, size: int = 10) -> dict[str, Any]:
    return {f"a{n}": {"S": "x" * size} for n in range(count)}


def test_a_response_class_is_listed_once_with_the_methods_moto_finds() -> None:
    names = moto.core.responses.method_names_from_class  # type: ignore[attr-defined]
    expected = [name for name, _ in inspect.getmembers(DynamoHandler, predicate=inspect.isfunction)]
    assert names(DynamoHandler) == expected
    before = names.cache_info().hits  # type: ignore[attr-defined]
    names(DynamoHandler)
    assert names.cache_info().hits == before + 1  # type: ignore[attr-defined]


def test_an_item_is_sized_once_not_once_per_attribute(monkeypatch: pytest.MonkeyPatch) -> None:
    sized = 0
    size = DynamoType.size

    def counted(self: DynamoType) -> int:
        nonlocal sized
        sized += 1
        return size(self)

    monkeypatch.setattr(DynamoType, "size", counted)
    Item(DynamoType({"S": "pk"}), DynamoType({"S": "sk"}), _attributes(40))
    assert sized == 40  # moto's own: 40 × 41 / 2


def test_an_item_holds_what_moto_s_own_holds() -> None:
    attributes = _attributes(12) | {
        "n": {"N": "12.50"},
        "m": {"M": {"k": {"L": [{"S": "v"}, {"BOOL": True}]}}},
    }
    ours = Item(DynamoType({"S": "pk"}), DynamoType({"S": "sk"}), attributes)
    theirs: Item = object.__new__(Item)
    MOTO_ITEM_INIT(theirs, DynamoType({"S": "pk"}), DynamoType({"S": "sk"}), attributes)
    assert ours == theirs and ours.to_json() == theirs.to_json()
    assert type(ours.attrs) is type(theirs.attrs)


@pytest.mark.parametrize("over", [False, True])
def test_an_item_past_moto_s_bound_is_refused_as_moto_refuses_it(over: bool) -> None:
    # One attribute of the bound's size less its name, and one byte more when over.
    attributes = {"big": {"S": "x" * (ITEM_SIZE_LIMIT - len("big") + over)}}
    for init in (Item.__init__, MOTO_ITEM_INIT):
        item: Item = object.__new__(Item)
        if over:
            with pytest.raises(ItemSizeTooLarge):
                init(item, DynamoType({"S": "pk"}), None, attributes)
        else:
            init(item, DynamoType({"S": "pk"}), None, attributes)


def test_random_strings_keep_moto_s_length_and_alphabet() -> None:
    drawn = MotoRandom()
    assert MotoRandom.get_random_string is not MOTO_RANDOM_STRING
    for length, digits, lower in [(52, True, False), (8, False, False), (20, True, True)]:
        value = drawn.get_random_string(length=length, include_digits=digits, lower_case=lower)
        alphabet = (string.ascii_lowercase if lower else string.ascii_letters) + (
            string.digits if digits else ""
        )
        assert len(value) == length and set(value) <= set(alphabet)
    seeded = [MotoRandom(7).get_random_string() for _ in range(2)]
    assert seeded[0] == seeded[1]  # still moto's seedable random
    assert len({drawn.get_random_string() for _ in range(100)}) == 100
