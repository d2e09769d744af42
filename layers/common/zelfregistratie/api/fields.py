"""pydantic field types for request bodies, from the rules in `zelfregistratie.identifiers`."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from zelfregistratie.domain.identifiers import (
    parse_email,
    parse_phone,
    reject_control_characters,
    single_line,
)

Phone = Annotated[str, AfterValidator(parse_phone)]
EmailAddress = Annotated[str, AfterValidator(parse_email)]
FreeText = Annotated[str, AfterValidator(reject_control_characters)]
SingleLine = Annotated[str, AfterValidator(single_line)]
