"""Domain dataclasses ↔ the plain values stored in DynamoDB (str, int, bool, lists, maps).

Why not pydantic here: the domain is validated where data enters (request bodies), and the stream's
`notify` function reads our own records only. Keeping pydantic out of the domain keeps its import
(about 60 ms, a fifth of a cold start) out of `notify` altogether. The conversion is driven by each
dataclass's type hints and worked out once per class.

Stored forms: dates and datetimes as ISO 8601 (UTC as `Z`), enums by value, sets as sorted lists,
tuples as lists, nested dataclasses as maps; `None` is left out. Attributes a class does not know are
ignored when reading, so a newer writer does not break an older reader during a deployment.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

from zelfregistratie.domain.clock import isoformat

T = TypeVar("T")
Convert = Callable[[Any], Any]


def to_record(value: Any) -> dict[str, Any]:
    """A dataclass as a map of stored values, without the fields that are `None`."""
    return {
        field.name: _stored(item)
        for field in dataclasses.fields(value)
        if (item := getattr(value, field.name)) is not None
    }


def from_record(cls: type[T], data: Mapping[str, Any]) -> T:
    """The dataclass `cls` from stored values; a missing required field raises `TypeError`."""
    readers = _readers(cls)
    return cls(**{name: readers[name](value) for name, value in data.items() if name in readers})


def _stored(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):  # datetime too
        return isoformat(value)
    if isinstance(value, frozenset | set):
        return sorted(_stored(v) for v in value)
    if isinstance(value, tuple | list):
        return [_stored(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_record(value)
    return value


_READERS: dict[type[Any], dict[str, Convert]] = {}


def _readers(cls: type[Any]) -> dict[str, Convert]:
    """Per field, how to read its stored value; worked out on a class's first read."""
    readers = _READERS.get(cls)
    if readers is None:
        hints = typing.get_type_hints(cls)
        readers = _READERS[cls] = {
            field.name: _reader(hints[field.name]) for field in dataclasses.fields(cls)
        }
    return readers


def _reader(hint: Any) -> Convert:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (types.UnionType, typing.Union):
        [inner] = [a for a in args if a is not type(None)]
        read = _reader(inner)
        return lambda v: None if v is None else read(v)
    if origin is tuple:
        item = _reader(args[0])
        return lambda v: tuple(item(x) for x in v)
    if origin is frozenset:
        member = _reader(args[0])
        return lambda v: frozenset(member(x) for x in v)
    if isinstance(hint, type):
        if issubclass(hint, Enum):
            return hint
        if issubclass(hint, datetime):
            return datetime.fromisoformat
        if issubclass(hint, date):
            return date.fromisoformat
        if dataclasses.is_dataclass(hint):
            return lambda v: from_record(hint, v)
        if hint in (str, int, bool):
            return hint
    raise TypeError(f"no stored form for {hint!r}")
