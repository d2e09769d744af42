"""The Dutch of every problem: per code (or wording) its title and default detail; per reason the
detail or field message, with the facts it names in braces (`str.format`; dates as dd/mm/jjjj)."""

from __future__ import annotations

TITLES: dict[str, tuple[str, str]] = {
    "internal_error": ("Er ging iets mis.", "Probeer het later opnieuw."),
    "unauthenticated": (
        "U bent niet aangemeld.",
        "Meld u aan om verder te gaan.",
    ),
    "forbidden": (
        "U heeft hier geen toegang toe.",
        "Deze actie is voorbehouden aan de lokale beheerders van de organisatie.",
    ),
    "own_request": (
        "U kunt uw eigen aanvraag niet behandelen.",
        "Een andere lokale beheerder van de organisatie moet deze aanvraag behandelen.",
    ),
    "not_found": (
        "Niet gevonden.",
        "Wat u zoekt, bestaat niet of u heeft er geen toegang toe.",
    ),
    "no_rights_found": (
        "Geen gebruikersrechten gevonden voor de gegeven criteria!",
        "Controleer de link die u kreeg, of vraag de toepassing om een juiste link.",
    ),
    "method_not_allowed": (
        "Deze methode is hier niet toegestaan.",
        "Deze bewerking wordt op dit adres niet ondersteund.",
    ),
    "invalid_link": (
        "Deze link is onvolledig of ongeldig.",
        "Vraag de toepassing die u doorverwees om een juiste link.",
    ),
    "invalid_cursor": (
        "Deze pagina bestaat niet.",
        "Begin opnieuw bij de eerste pagina.",
    ),
    "invalid_input": (
        "Niet alle gegevens zijn juist ingevuld.",
        "Verbeter de aangeduide velden en probeer opnieuw.",
    ),
    "no_local_admin": (
        "Deze organisatie kan nog geen aanvragen ontvangen.",
        "Er is voor deze organisatie geen lokale beheerder met een e-mailadres gekend. "
        "De organisatie moet eerst een lokale beheerder aanstellen.",
    ),
    "duplicate_pending": (
        "U heeft deze aanvraag al ingediend.",
        "Uw eerdere aanvraag wacht nog op een beslissing van de lokale beheerder.",
    ),
    "already_granted": (
        "U heeft dit al.",
        "U heeft dit gebruikersrecht of deze werkrelatie al voor deze organisatie.",
    ),
    "already_held": (
        "Deze persoon heeft dit al.",
        "Deze persoon heeft dit gebruikersrecht al voor deze organisatie.",
    ),
    "already_decided": (
        "Deze aanvraag werd al behandeld.",
        "De aanvraag is niet meer in behandeling.",
    ),
    "idempotency_key_reused": (
        "Deze Idempotency-Key werd al gebruikt voor een andere aanvraag.",
        "Gebruik een nieuwe sleutel voor een nieuwe aanvraag.",
    ),
    "concurrent_change": (
        "Iemand wijzigde dit tegelijk met u.",
        "Er werd niets gewijzigd. Probeer het opnieuw.",
    ),
    "last_reachable_admin": (
        "Dit is de laatste lokale beheerder met een e-mailadres.",
        "Zonder deze beheerder kan de organisatie geen zelfregistratie-aanvragen meer ontvangen. "
        "Bevestig de verwijdering uitdrukkelijk als dat de bedoeling is.",
    ),
    "no_work_relationship": (
        "Deze persoon heeft geen werkrelatie met de organisatie.",
        "Een gebruikersrecht kan enkel worden toegekend aan iemand die voor de organisatie werkt.",
    ),
    "already_ended": (
        "Dit is al beëindigd.",
        "Het gebruikersrecht of de werkrelatie is niet meer actief.",
    ),
    "is_local_admin": (
        "Deze persoon is lokale beheerder van de organisatie.",
        "Verwijder eerst de rol van lokale beheerder; daarna kan de werkrelatie worden beëindigd.",
    ),
    "payload_too_large": (
        "De aanvraag is te groot.",
        "Een aanvraag mag hoogstens 6 MB groot zijn.",
    ),
}


# Why, in detail: a refusal's detail (`DomainError(reason)`) or a field's message (`FieldError`,
# `InvalidValue`). Facts fill the braces; a list reads as "a, b" ("geen" when empty).
REASONS: dict[str, str] = {
    # duplicate_pending, already_granted
    "filed_before": "U heeft deze aanvraag al ingediend op {filed:%d/%m/%Y}. Ze wacht op een beslissing.",
    "works_there": "U heeft al een werkrelatie met {organization}, sinds {since:%d/%m/%Y}.",
    "holds_right": "U heeft dit gebruikersrecht al voor {organization}, geldig tot en met {end:%d/%m/%Y}.",
    "person_holds_right": "{person} heeft het gebruikersrecht {right} al voor {organization}.",
    # forbidden
    "representative_or_admin_only": (
        "Alleen de wettelijk vertegenwoordiger of een lokale beheerder van de organisatie kan dit."
    ),
    "head_only": (
        "Alleen een hoofd lokale beheerder van de organisatie kan beheerders aanstellen of verwijderen."
    ),
    "client_not_registered": "Deze client mag de rechten van deze toepassing niet lezen.",
    "persons_only": (
        "Deze route is voor personen; een toepassing leest rechten via /api/applications/{{id}}/grants."
    ),
    "machines_only": (
        "Deze route is voor toepassingen met een client-credentials-token met scope grants.read."
    ),
    # invalid_link
    "repeated_parameter": "Een parameter staat meermaals in de link, met verschillende waarden.",
    "unknown_type": "Het type aanvraag is 'user_right' of 'work_relation'.",
    "no_target_group": "De link vermeldt geen doelgroep (dg).",
    "unknown_target_group": "Onbekende doelgroep '{target_group}'; gebruik een van {known}.",
    "application_not_a_number": "De toepassing (an) is een getal.",
    "no_application_or_right": (
        "De link vermeldt geen toepassing (an) of gebruikersrecht (ec); één van beide is verplicht."
    ),
    "work_relationship_link_names_a_right": (
        "Een link voor een werkrelatie vermeldt geen toepassing, gebruikersrecht of context."
    ),
    "parameter_too_long": "Een parameter in de link is te lang.",
    "unknown_path": "Het pad moet {paths} zijn, niet '{path}'.",
    "repeated_named_parameter": (
        "De parameter '{name}' staat meermaals in de link, met verschillende waarden."
    ),
    # unauthenticated, forbidden: what the gateway's authorizer refuses
    "invalid_token": "Uw aanmelding is ongeldig of verlopen. Meld u opnieuw aan.",
    "missing_scope": "Het token heeft niet de scope die deze route vraagt.",
    "organization_not_of_target_group": (
        "De organisatie (oc) past niet bij doelgroep {target_group}: {because}"
    ),
    # fields
    "unknown_right": "Dit gebruikersrecht bestaat niet.",
    "right_not_for_target_group": "Dit gebruikersrecht is niet beschikbaar voor deze doelgroep.",
    "right_not_of_application": "Dit gebruikersrecht hoort niet bij deze toepassing.",
    "choose_context": "Kies een context: {contexts}.",
    "context_not_of_right": "Deze context hoort niet bij dit gebruikersrecht (mogelijk: {contexts}).",
    "choose_context_of_right": "Kies een van de contexten van dit recht.",
    "right_without_context": "Dit recht kent geen context.",
    "end_date_window": "Kies een einddatum tussen {earliest:%d/%m/%Y} en {latest:%d/%m/%Y}.",
    "revocation_reason": "Geef een reden voor de herroeping.",
    "ending_reason": "Geef een reden om de werkrelatie te beëindigen.",
    "decision_reason": "Geef een reden voor uw beslissing.",
    "no_work_relationship": "Deze persoon heeft geen werkrelatie met de organisatie.",
    "choose_right": "Kies het gebruikersrecht dat u wilt aanvragen.",
    "work_relationship_names_no_right": "Een aanvraag voor een werkrelatie vermeldt geen gebruikersrecht.",
    "work_relationship_names_no_such": "Een aanvraag voor een werkrelatie vermeldt dit niet.",
    "json_invalid": "De inhoud is geen geldige JSON.",
    "header_length": "Tussen 1 en {max_length} tekens.",
    "not_text": "Deze waarde bevat een ongeldig teken.",
    "kbo_digits": "Een ondernemingsnummer (KBO) bestaat uit 10 cijfers.",
    "kbo_first_digit": "Een ondernemingsnummer (KBO) begint met 0 of 1.",
    "kbo_check_digits": "Dit ondernemingsnummer (KBO) bestaat niet: de controlecijfers kloppen niet.",
    "ovo_code": "Een OVO-code bestaat uit 'OVO' gevolgd door 6 cijfers, bv. OVO000123.",
    "institution_number": "Een instellingsnummer bestaat uit 6 cijfers.",
    "phone": "Geef een geldig telefoonnummer, bv. 0470 12 34 56 of +3212345678.",
    "email_control_characters": "Een e-mailadres mag geen regeleinden of stuurtekens bevatten.",
    "email": "Geef een geldig e-mailadres, bv. naam@voorbeeld.be.",
    "control_characters": "De tekst bevat ongeldige stuurtekens.",
    "single_line": "Deze waarde mag geen regeleinden of stuurtekens bevatten.",
    "instant": "Geef een tijdstip tussen het jaar 2000 en 9999, bv. 2026-01-31T12:00:00Z.",
    "lookup_right_or_application": "Kies een gebruikersrecht of een toepassing.",
    "compare_how_many": "Kies {least} tot {most} verschillende personen om te vergelijken.",
    "compare_not_here": "Een van de gekozen personen werkt niet voor deze organisatie.",
    # invalid_input of a download
    "lookup_too_wide": (
        "Meer dan {max_rows} toekenningen: kies een organisatie of een context om de lijst te verkleinen."
    ),
}

# A fact that is not known reads as this.
UNKNOWN_FACTS: dict[str, str] = {"person": "Deze persoon"}

# pydantic error types → Dutch, for the failures our own validators do not word themselves.
PYDANTIC: dict[str, str] = {
    "missing": "Dit veld is verplicht.",
    "json_invalid": "De inhoud is geen geldige JSON.",
    "model_attributes_type": "Verwacht een JSON-object.",
    "dict_type": "Verwacht een JSON-object.",
    "model_type": "Verwacht een JSON-object.",
    "string_type": "Verwacht tekst.",
    "int_type": "Verwacht een geheel getal.",
    "int_parsing": "Verwacht een geheel getal.",
    "bool_type": "Verwacht true of false.",
    "bool_parsing": "Verwacht true of false.",
    "date_type": "Verwacht een datum (JJJJ-MM-DD).",
    "date_parsing": "Verwacht een datum (JJJJ-MM-DD).",
    "date_from_datetime_parsing": "Verwacht een datum (JJJJ-MM-DD).",
    "extra_forbidden": "Dit veld is onbekend.",
    "string_too_short": "Dit veld mag niet leeg zijn.",
    "too_short": "Dit veld mag niet leeg zijn.",
    "string_pattern_mismatch": "Deze waarde heeft niet de juiste vorm.",
    "greater_than": "Deze waarde is te klein.",
    "less_than_equal": "Deze waarde is te groot.",
    "unsupported_content_type": "Stuur de gegevens als application/json.",
}

INVALID_VALUE = "Deze waarde is ongeldig."
TOO_LONG = "Hoogstens {max_length} tekens."
CHOOSE_ONE_OF = "Kies een van: {expected}."
