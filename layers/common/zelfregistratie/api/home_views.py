"""The administrator's home as the API answers it (shapes: api/home_shapes.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from zelfregistratie.domain.entities import LocalAdmin
from zelfregistratie.store.names import NameMatch

if TYPE_CHECKING:  # shapes are for type checkers and the OpenAPI generator, not the cold start
    from zelfregistratie.api.home_shapes import FoundPersonView


def found_person_view(match: NameMatch, administered: Mapping[str, LocalAdmin]) -> FoundPersonView:
    return {
        "sub": match.person,
        "name": match.name,
        "organizations": [
            {"code": code, "name": administered[code].organization_name if code in administered else None}
            for code in match.organizations
        ],
    }
