"""The API's input models shared by every list: `limit` and `cursor`, and the task list's status.
Every model is built on first use (`defer_build`), not at a cold start; each API function imports only
the input models of its own routes (`filing_inputs.py`, `decision_inputs.py`)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from zelfregistratie.store.paging import MAX_PAGE_SIZE

MAX_CURSOR_LENGTH = 4096


class Body(BaseModel):
    """A JSON body: camelCase names, nothing unknown, immutable."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )


class PageQuery(BaseModel):
    """`limit` and `cursor` of every list."""

    model_config = ConfigDict(defer_build=True)

    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 25
    cursor: Annotated[str, Field(max_length=MAX_CURSOR_LENGTH)] | None = None


class TaskQuery(PageQuery):
    status: Literal["open", "closed"] = "open"
