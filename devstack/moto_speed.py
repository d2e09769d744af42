"""Work moto repeats on every call, done once: the local stack's and the tests' time goes to the
product, not to moto's bookkeeping. Each patch leaves moto's answers as they were (the same items,
the same errors); `tests/integration/test_moto_atomic.py` holds them to moto's own."""

from __future__ import annotations

import functools
import string
from typing import Any

import devstack.moto_version  # noqa: F401  (first: stops on a moto it was not written for)

# isort: split
import moto.core.responses
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.utilities import bytesize
from moto.moto_api._internal.moto_random import MotoRandom

MOTO_ITEM_INIT = Item.__init__  # as moto ships it, for a test
MOTO_RANDOM_STRING = MotoRandom.get_random_string  # as moto ships it, for a test
ITEM_SIZE_LIMIT = 405_000  # moto's own bound (between DynamoDB's documented 400 KB and its measured 409)


def quicker_moto() -> None:
    action_names_listed_once()
    items_sized_once()
    random_strings_drawn_at_once()


def action_names_listed_once() -> None:
    """moto lists a response class's methods (`inspect.getmembers`) on every call to find the
    action's; a class's methods are fixed once the adapter is applied, so each class is listed once."""
    names = moto.core.responses.method_names_from_class  # type: ignore[attr-defined]
    if getattr(names, "cache_info", None) is not None:
        return
    moto.core.responses.method_names_from_class = functools.cache(names)  # type: ignore[attr-defined]


def items_sized_once() -> None:
    """moto's item sums the size of every attribute it already holds each time it takes one more: a
    square of the attribute count for every item written or read from a request. Summed once, with
    the same bound and the same error."""
    if getattr(Item.__init__, "sized_once", False):
        return

    def init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
        self.hash_key = hash_key
        self.range_key = range_key
        values = {name: DynamoType(value) for name, value in attrs.items()}
        if sum(bytesize(name) + value.size() for name, value in values.items()) > ITEM_SIZE_LIMIT:
            raise ItemSizeTooLarge
        self.attrs = LimitedSizeDict(values)

    init.sized_once = True  # type: ignore[attr-defined]
    Item.__init__ = init  # type: ignore[method-assign]


def random_strings_drawn_at_once() -> None:
    """moto draws each character of a random id (a request id of 52 on every answer) with a call of
    its own; the same alphabet, drawn in one `choices` from moto's own (seedable) random."""
    if getattr(MotoRandom.get_random_string, "at_once", False):
        return

    def random_string(
        self: MotoRandom, length: int = 20, include_digits: bool = True, lower_case: bool = False
    ) -> str:
        pool = string.ascii_letters + (string.digits if include_digits else "")
        drawn = "".join(self.choices(pool, k=length))
        return drawn.lower() if lower_case else drawn

    random_string.at_once = True  # type: ignore[attr-defined]
    MotoRandom.get_random_string = random_string  # type: ignore[method-assign]
