"""The administrators' input: a decision on a task, and appointing administrators, validated where
they enter; each gives the value its use case takes (`Verdict`, `Nominee`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, field_validator

from zelfregistratie.api.fields import Body, EmailAddress, FreeText, Phone, SingleLine
from zelfregistratie.domain.entities import AdminRole, Outcome
from zelfregistratie.domain.errors import InvalidValue
from zelfregistratie.domain.identifiers import has_visible_character
from zelfregistratie.logic.appointments import Nominee
from zelfregistratie.logic.rights import Grantee
from zelfregistratie.logic.tasks import Verdict


class DecisionBody(Body):
    """`POST /api/tasks/{id}/decision`."""

    decision: Literal["approve", "reject"]
    reason: Annotated[FreeText, Field(min_length=1, max_length=1000)]
    end_date: date | None = None

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not has_visible_character(value):
            raise InvalidValue("decision_reason")
        return value.strip()

    def verdict(self) -> Verdict:
        outcome = Outcome.APPROVED if self.decision == "approve" else Outcome.REJECTED
        return Verdict(outcome, self.reason, self.end_date)


class SelfAppointment(Body):
    """`POST /api/organizations/{code}/admins/self`."""

    email: Annotated[EmailAddress, Field(max_length=254)]
    phone: Phone


class Appointment(Body):
    """`POST /api/organizations/{code}/admins`."""

    person: Annotated[str, Field(min_length=1, max_length=255)]
    role: AdminRole = AdminRole.LOCAL
    email: Annotated[EmailAddress, Field(max_length=254)] | None = None
    phone: Phone | None = None

    def nominee(self) -> Nominee:
        return Nominee(self.person, self.role, self.email, self.phone)


class GrantBody(Body):
    """`POST /api/organizations/{code}/grants`: a direct grant ("Snel recht toekennen")."""

    person: Annotated[str, Field(min_length=1, max_length=255)]
    right: Annotated[str, Field(min_length=1, max_length=64)]
    context: Annotated[SingleLine, Field(min_length=1, max_length=200)] | None = None
    end_date: date | None = None

    def grantee(self) -> Grantee:
        return Grantee(self.person, self.right, self.context, self.end_date)


class ReasonBody(Body):
    """`POST /api/grants/{id}/revoke` and `POST /api/work-relationships/{id}/end`: why (required of an
    administrator, optional for the person themselves)."""

    reason: Annotated[FreeText, Field(max_length=1000)] | None = None

    @field_validator("reason")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value.strip() if value and has_visible_character(value) else None
