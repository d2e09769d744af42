"""The one error hierarchy. Each error carries its stable `code`, HTTP status and Dutch wording;
`zelfregistratie.problems` turns any of them into problem+json (RFC 9457)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class DomainError(Exception):
    code: ClassVar[str] = "internal_error"
    status: ClassVar[int] = 500
    title: ClassVar[str] = "Er ging iets mis."
    default_detail: ClassVar[str] = "Probeer het later opnieuw."

    def __init__(
        self,
        detail: str | None = None,
        errors: Sequence[FieldError] = (),
        extensions: Mapping[str, object] | None = None,
    ) -> None:
        self.detail = detail or self.default_detail
        self.errors = tuple(errors)
        # More members of the problem (RFC 9457 §3.2), e.g. the request a refusal is about.
        self.extensions = dict(extensions or {})
        super().__init__(f"{self.code}: {self.detail}")


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401
    title = "U bent niet aangemeld."
    default_detail = "Meld u aan om verder te gaan."


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    title = "U heeft hier geen toegang toe."
    default_detail = "Deze actie is voorbehouden aan de lokale beheerders van de organisatie."


class OwnRequest(DomainError):
    code = "own_request"
    status = 403
    title = "U kunt uw eigen aanvraag niet behandelen."
    default_detail = "Een andere lokale beheerder van de organisatie moet deze aanvraag behandelen."


class NotFound(DomainError):
    code = "not_found"
    status = 404
    title = "Niet gevonden."
    default_detail = "Wat u zoekt, bestaat niet of u heeft er geen toegang toe."


class NoRightsFound(DomainError):
    code = "no_rights_found"
    status = 404
    title = "Geen gebruikersrechten gevonden voor de gegeven criteria!"
    default_detail = "Controleer de link die u kreeg, of vraag de toepassing om een juiste link."


class MethodNotAllowed(DomainError):
    code = "method_not_allowed"
    status = 405
    title = "Deze methode is hier niet toegestaan."
    default_detail = "Deze bewerking wordt op dit adres niet ondersteund."


class InvalidLink(DomainError):
    code = "invalid_link"
    status = 400
    title = "Deze link is onvolledig of ongeldig."
    default_detail = "Vraag de toepassing die u doorverwees om een juiste link."


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    status = 400
    title = "Deze pagina bestaat niet."
    default_detail = "Begin opnieuw bij de eerste pagina."


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422
    title = "Niet alle gegevens zijn juist ingevuld."
    default_detail = "Verbeter de aangeduide velden en probeer opnieuw."


class NoLocalAdmin(DomainError):
    code = "no_local_admin"
    status = 422
    title = "Deze organisatie kan nog geen aanvragen ontvangen."
    default_detail = (
        "Er is voor deze organisatie geen lokale beheerder met een e-mailadres gekend. "
        "De organisatie moet eerst een lokale beheerder aanstellen."
    )


class DuplicatePending(DomainError):
    code = "duplicate_pending"
    status = 409
    title = "U heeft deze aanvraag al ingediend."
    default_detail = "Uw eerdere aanvraag wacht nog op een beslissing van de lokale beheerder."


class AlreadyGranted(DomainError):
    code = "already_granted"
    status = 409
    title = "U heeft dit al."
    default_detail = "U heeft dit gebruikersrecht of deze werkrelatie al voor deze organisatie."


class AlreadyHeld(AlreadyGranted):
    """`already_granted` as an administrator hears it: about the person, not about themselves."""

    title = "Deze persoon heeft dit al."
    default_detail = "Deze persoon heeft dit gebruikersrecht al voor deze organisatie."


class AlreadyDecided(DomainError):
    code = "already_decided"
    status = 409
    title = "Deze aanvraag werd al behandeld."
    default_detail = "De aanvraag is niet meer in behandeling."


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 409
    title = "Deze Idempotency-Key werd al gebruikt voor een andere aanvraag."
    default_detail = "Gebruik een nieuwe sleutel voor een nieuwe aanvraag."


class ConcurrentChange(DomainError):
    """Transactions on the same items kept conflicting, also after retries; nothing was changed."""

    code = "concurrent_change"
    status = 409
    title = "Iemand wijzigde dit tegelijk met u."
    default_detail = "Er werd niets gewijzigd. Probeer het opnieuw."


class LastReachableAdmin(DomainError):
    code = "last_reachable_admin"
    status = 409
    title = "Dit is de laatste lokale beheerder met een e-mailadres."
    default_detail = (
        "Zonder deze beheerder kan de organisatie geen zelfregistratie-aanvragen meer ontvangen. "
        "Bevestig de verwijdering uitdrukkelijk als dat de bedoeling is."
    )


class NoWorkRelationship(DomainError):
    code = "no_work_relationship"
    status = 422
    title = "Deze persoon heeft geen werkrelatie met de organisatie."
    default_detail = (
        "Een gebruikersrecht kan enkel worden toegekend aan iemand die voor de organisatie werkt."
    )


class AlreadyEnded(DomainError):
    code = "already_ended"
    status = 409
    title = "Dit is al beëindigd."
    default_detail = "Het gebruikersrecht of de werkrelatie is niet meer actief."


class IsLocalAdmin(DomainError):
    code = "is_local_admin"
    status = 409
    title = "Deze persoon is lokale beheerder van de organisatie."
    default_detail = (
        "Verwijder eerst de rol van lokale beheerder; daarna kan de werkrelatie worden beëindigd."
    )


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413
    title = "De aanvraag is te groot."
    default_detail = "Een aanvraag mag hoogstens 6 MB groot zijn."
