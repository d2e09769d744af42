"""pydantic field types for request bodies, from the rules in `domain/identifiers.py`, and the base of
every body model."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from zelfregistratie.domain.identifiers import (
    bounded_instant,
    parse_email,
    parse_phone,
    reject_control_characters,
    single_line,
)

Phone = Annotated[str, AfterValidator(parse_phone)]
EmailAddress = Annotated[str, AfterValidator(parse_email)]
FreeText = Annotated[str, AfterValidator(reject_control_characters)]
SingleLine = Annotated[str, AfterValidator(single_line)]
Instant = Annotated[AwareDatetime, AfterValidator(bounded_instant)]


class Body(BaseModel):
    """A JSON body: camelCase names, nothing unknown, immutable, built on first use (`defer_build`)."""

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )
