"""The input model every list shares: `limit` and `cursor`. Every input model is built on first use
(`defer_build`), not at a cold start; each API function imports only the input models of its own
routes (`filing_inputs.py`, `decision_inputs.py`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from zelfregistratie.store.paging import MAX_PAGE_SIZE

MAX_CURSOR_LENGTH = 4096


class PageQuery(BaseModel):
    """`limit` and `cursor` of every list."""

    model_config = ConfigDict(defer_build=True)

    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 25
    cursor: Annotated[str, Field(max_length=MAX_CURSOR_LENGTH)] | None = None
