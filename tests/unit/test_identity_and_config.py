"""Identity comes from verified claims only; configuration fails loudly when incomplete."""

from __future__ import annotations

import pytest

from zelfregistratie.api.identity import caller_from_claims
from zelfregistratie.config import ConfigurationError, NotifySettings, Settings
from zelfregistratie.domain.errors import Unauthenticated

ENV = {"TABLE_NAME": "t-1", "ENVIRONMENT": "ti", "PUBLIC_BASE_URL": "https://zelfregistratie-ti.example/"}


def test_the_caller_is_read_from_the_claims() -> None:
    caller = caller_from_claims({"sub": "abc", "given_name": "Sofie", "family_name": "Peeters"})
    assert (caller.sub, caller.name, caller.legal_representative_of) == ("abc", "Sofie Peeters", frozenset())


@pytest.mark.parametrize("claims", [{}, {"sub": ""}, {"sub": "  "}, {"sub": 12}])
def test_without_a_subject_there_is_no_caller(claims: dict[str, object]) -> None:
    with pytest.raises(Unauthenticated):
        caller_from_claims(claims)


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        ("0418825808", {"0418825808"}),
        ("[0418825808 0428364866]", {"0418825808", "0428364866"}),
        (["0418825808"], {"0418825808"}),
    ],
)
def test_legal_representation_comes_from_wv_orgcode(claim: object, expected: set[str]) -> None:
    caller = caller_from_claims({"sub": "abc", "wv_orgcode": claim})
    assert caller.legal_representative_of == expected


def test_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_environment(ENV)
    assert (settings.table_name, settings.environment, settings.base_url) == (
        "t-1",
        "ti",
        "https://zelfregistratie-ti.example",
    )


@pytest.mark.parametrize("missing", sorted(ENV))
def test_a_missing_variable_fails_at_start(missing: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{missing} is not set"):
        Settings.from_environment({k: v for k, v in ENV.items() if k != missing})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TABLE_NAME", "t"),
        ("ENVIRONMENT", "dev"),
        ("PUBLIC_BASE_URL", "ftp://x"),
        ("PUBLIC_BASE_URL", "https://"),
    ],
)
def test_a_malformed_variable_fails_at_start(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} must be"):
        Settings.from_environment({**ENV, name: value})


def test_notify_needs_a_sender() -> None:
    with pytest.raises(ConfigurationError, match="SES_SENDER is not set"):
        NotifySettings.from_environment(ENV)
    assert NotifySettings.from_environment({**ENV, "SES_SENDER": "no-reply@x.be"}).sender == "no-reply@x.be"
