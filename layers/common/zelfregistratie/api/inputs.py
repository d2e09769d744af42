"""The API's input models: query parameters and request bodies, validated where they enter, with Dutch
messages. Every model is built on first use (`defer_build`), not at a cold start. Logic receives them
as the values it names (`Filing`, `Verdict`, `Nominee`), never as models."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic.alias_generators import to_camel

from zelfregistratie.api.fields import EmailAddress, FreeText, Phone, SingleLine
from zelfregistratie.domain.entities import AdminRole, Outcome, RequestType, TargetGroup
from zelfregistratie.domain.identifiers import MAX_APPLICATION_ID, parse_organization_code
from zelfregistratie.logic.appointments import Nominee
from zelfregistratie.logic.tasks import Verdict
from zelfregistratie.store.paging import MAX_PAGE_SIZE

MAX_CURSOR_LENGTH = 4096


class PageQuery(BaseModel):
    """`limit` and `cursor` of every list."""

    model_config = ConfigDict(defer_build=True)

    limit: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 25
    cursor: Annotated[str, Field(max_length=MAX_CURSOR_LENGTH)] | None = None


class TaskQuery(PageQuery):
    status: Literal["open", "closed"] = "open"


class FormQuery(BaseModel):
    """The deep-link parameters `GET /api/registration-form` takes (documentation; `DeepLink` parses)."""

    model_config = ConfigDict(defer_build=True)

    type: RequestType = RequestType.USER_RIGHT
    dg: TargetGroup
    an: Annotated[int, Field(gt=0, le=MAX_APPLICATION_ID)] | None = None
    ec: str | None = None
    ctx: str | None = None
    oc: str | None = None


class _Body(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True, defer_build=True
    )


class FileRequestBody(_Body):
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
            raise ValueError("Kies het gebruikersrecht dat u wilt aanvragen.")
        if kind is RequestType.WORK_RELATION and value is not None:
            raise ValueError("Een aanvraag voor een werkrelatie vermeldt geen gebruikersrecht.")
        return value

    @field_validator("context", "application")
    @classmethod
    def _only_for_rights(cls, value: object, info: ValidationInfo) -> object:
        if value is not None and info.data.get("type") is RequestType.WORK_RELATION:
            raise ValueError("Een aanvraag voor een werkrelatie vermeldt dit niet.")
        return value

    @field_validator("reason")
    @classmethod
    def _blank_reason_is_none(cls, value: str | None) -> str | None:
        return value if value and value.strip() else None

    def fingerprint(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


class DecisionBody(_Body):
    """`POST /api/tasks/{id}/decision`."""

    decision: Literal["approve", "reject"]
    reason: Annotated[FreeText, Field(min_length=1, max_length=1000)]
    end_date: date | None = None

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Geef een reden voor uw beslissing.")
        return value.strip()

    def verdict(self) -> Verdict:
        outcome = Outcome.APPROVED if self.decision == "approve" else Outcome.REJECTED
        return Verdict(outcome, self.reason, self.end_date)


class SelfAppointment(_Body):
    """`POST /api/organizations/{code}/admins/self`."""

    email: Annotated[EmailAddress, Field(max_length=254)]
    phone: Phone


class Appointment(_Body):
    """`POST /api/organizations/{code}/admins`."""

    person: Annotated[str, Field(min_length=1, max_length=255)]
    role: AdminRole = AdminRole.LOCAL
    email: Annotated[EmailAddress, Field(max_length=254)] | None = None
    phone: Phone | None = None

    def nominee(self) -> Nominee:
        return Nominee(self.person, self.role, self.email, self.phone)
