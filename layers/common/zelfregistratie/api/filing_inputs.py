"""The requester's input: the deep-link query of the form, and the filing body (the `Filing` that
registration takes), validated where they enter; a refusal names its reason (`api/problems` words it)."""

from __future__ import annotations

import hashlib
import json
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from zelfregistratie.api.fields import Body, EmailAddress, FreeText, Phone, SingleLine
from zelfregistratie.domain.entities import RequestType, TargetGroup
from zelfregistratie.domain.errors import InvalidValue
from zelfregistratie.domain.identifiers import MAX_APPLICATION_ID, parse_organization_code


class FormQuery(BaseModel):
    """The deep-link parameters `GET /api/registration-form` takes (documentation; `DeepLink` parses)."""

    model_config = ConfigDict(defer_build=True)

    type: RequestType = RequestType.USER_RIGHT
    dg: TargetGroup
    an: Annotated[int, Field(gt=0, le=MAX_APPLICATION_ID)] | None = None
    ec: str | None = None
    ctx: str | None = None
    oc: str | None = None


class FileRequestBody(Body):
    """`POST /api/requests`. References are codes; identity is not part of it (it comes from the token).
    It is the `Filing` that registration takes."""

    type: RequestType
    target_group: TargetGroup
    organization: Annotated[str, Field(min_length=1, max_length=32)]
    application: Annotated[int, Field(gt=0, le=MAX_APPLICATION_ID)] | None = None
    right: Annotated[str, Field(min_length=1, max_length=64)] | None = Field(
        default=None, validate_default=True
    )
    context: Annotated[SingleLine, Field(min_length=1, max_length=200)] | None = None
    phone: Phone
    email: Annotated[EmailAddress, Field(max_length=254)]
    reason: Annotated[FreeText, Field(max_length=1000)] | None = None

    @field_validator("organization")
    @classmethod
    def _organization_fits_target_group(cls, value: str, info: ValidationInfo) -> str:
        target_group = info.data.get("target_group")
        return parse_organization_code(value, target_group) if target_group else value

    @field_validator("right")
    @classmethod
    def _right_fits_type(cls, value: str | None, info: ValidationInfo) -> str | None:
        kind = info.data.get("type")
        if kind is RequestType.USER_RIGHT and value is None:
            raise InvalidValue("choose_right")
        if kind is RequestType.WORK_RELATION and value is not None:
            raise InvalidValue("work_relationship_names_no_right")
        return value

    @field_validator("context", "application")
    @classmethod
    def _only_for_rights(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("type") is RequestType.WORK_RELATION:
            raise InvalidValue("work_relationship_names_no_such")
        return value

    @field_validator("reason")
    @classmethod
    def _blank_reason_is_none(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None

    def fingerprint(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
