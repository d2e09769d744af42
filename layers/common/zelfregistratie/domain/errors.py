"""The one error hierarchy. Each error carries its stable `code`, its HTTP status and the facts it is
about; `api/problems` words it in Dutch and turns it into problem+json (RFC 9457).

An error names *why* with a `reason` (a key of `api/problems/texts.py`) and *what* with facts (a
request id, a date, a list of contexts): no wording lives here or in the layers that raise.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FieldError:
    """One field's failure: the field, why (a key of `api/problems/texts.py`) and what it names."""

    field: str
    reason: str
    facts: Mapping[str, object] = dataclasses.field(default_factory=dict)


class InvalidValue(ValueError):
    """A value that does not parse, raised in validators (pydantic keeps it): why, and what it names."""

    def __init__(self, reason: str, **facts: object) -> None:
        self.reason = reason
        self.facts = facts
        super().__init__(reason)


class DomainError(Exception):
    code: ClassVar[str] = "internal_error"
    status: ClassVar[int] = 500
    wording: ClassVar[str | None] = None  # the title and default detail to use, if not the code's

    def __init__(
        self,
        reason: str | None = None,
        errors: Sequence[FieldError] = (),
        extensions: Mapping[str, object] | None = None,
        **facts: object,
    ) -> None:
        self.reason = reason  # None: the code's own detail
        self.facts = facts
        self.errors = tuple(errors)
        # More members of the problem (RFC 9457 §3.2), e.g. the request a refusal is about.
        self.extensions = dict(extensions or {})
        super().__init__(f"{self.code}: {reason or ''} {facts or ''}".strip())


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class OwnRequest(DomainError):
    code = "own_request"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class NoRightsFound(DomainError):
    code = "no_rights_found"
    status = 404


class MethodNotAllowed(DomainError):
    code = "method_not_allowed"
    status = 405


class InvalidLink(DomainError):
    code = "invalid_link"
    status = 400


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    status = 400


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422


class NoLocalAdmin(DomainError):
    code = "no_local_admin"
    status = 422


class DuplicatePending(DomainError):
    code = "duplicate_pending"
    status = 409


class AlreadyGranted(DomainError):
    code = "already_granted"
    status = 409


class AlreadyHeld(AlreadyGranted):
    """`already_granted` as an administrator hears it: about the person, not about themselves."""

    wording = "already_held"


class AlreadyDecided(DomainError):
    code = "already_decided"
    status = 409


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 409


class ConcurrentChange(DomainError):
    """Transactions on the same items kept conflicting, also after retries; nothing was changed."""

    code = "concurrent_change"
    status = 409


class LastReachableAdmin(DomainError):
    code = "last_reachable_admin"
    status = 409


class NoWorkRelationship(DomainError):
    code = "no_work_relationship"
    status = 422


class AlreadyEnded(DomainError):
    code = "already_ended"
    status = 409


class IsLocalAdmin(DomainError):
    code = "is_local_admin"
    status = 409


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413
