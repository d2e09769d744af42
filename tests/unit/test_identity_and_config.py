"""Identity comes from verified claims only; configuration fails loudly when incomplete."""

from __future__ import annotations

import pytest

from zelfregistratie.api.identity import caller_from_claims
from zelfregistratie.config import ConfigurationError, NotifySettings, Settings
from zelfregistratie.domain.errors import Forbidden, Unauthenticated

ENV = {"TABLE_NAME": "t-1", "ENVIRONMENT": "ti"}
NOTIFY_ENV = {
    **ENV,
    "PUBLIC_BASE_URL": "https://zelfregistratie-ti.example/",
    "SES_SENDER": "no-reply@x.be",
    "EVENT_BUS_NAME": "zelfregistratie-ti",
}


def test_the_caller_is_read_from_the_claims() -> None:
    caller = caller_from_claims({"sub": "abc", "given_name": "Sofie", "family_name": "Peeters"})
    assert (caller.sub, caller.name, caller.legal_representative_of) == ("abc", "Sofie Peeters", frozenset())


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "dimona", "client_id": "dimona", "scope": "grants.read"},
        {"sub": "dimona", "azp": "dimona", "scope": "openid grants.read"},
        {
            "sub": "dimona",
            "client_id": "dimona",
            "scope": "[grants.read other]",
        },  # as API Gateway passes a list
    ],
)
def test_a_machine_token_is_an_applications_client_on_its_route_only(claims: dict[str, object]) -> None:
    caller = caller_from_claims(claims, machine_route=True)
    assert (caller.sub, caller.is_machine, "grants.read" in caller.scopes) == ("dimona", True, True)
    with pytest.raises(Forbidden):
        caller_from_claims(claims)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "dimona", "client_id": "dimona"},  # no scope
        {"sub": "dimona", "client_id": "dimona", "scope": "grants.write"},
        {"sub": "person-1", "client_id": "zelfregistratie", "scope": "grants.read"},  # a person's token
        {"sub": "person-1", "given_name": "Sofie"},
    ],
)
def test_the_machine_route_refuses_every_other_token(claims: dict[str, object]) -> None:
    with pytest.raises(Forbidden):
        caller_from_claims(claims, machine_route=True)


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
    assert (settings.table_name, settings.environment) == ("t-1", "ti")


def test_notify_settings_add_where_mail_links_point_and_the_sender() -> None:
    settings = NotifySettings.from_environment(NOTIFY_ENV)
    assert (settings.base_url, settings.sender, settings.configuration_set) == (
        "https://zelfregistratie-ti.example",
        "no-reply@x.be",
        "",
    )
    assert (
        NotifySettings.from_environment({**NOTIFY_ENV, "SES_CONFIGURATION_SET": "cs"}).configuration_set
        == "cs"
    )


@pytest.mark.parametrize("missing", sorted(NOTIFY_ENV))
def test_a_missing_variable_fails_at_start(missing: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{missing} is not set"):
        NotifySettings.from_environment({k: v for k, v in NOTIFY_ENV.items() if k != missing})


def test_every_variable_at_fault_is_named() -> None:
    with pytest.raises(ConfigurationError, match="TABLE_NAME is not set; ENVIRONMENT must be"):
        Settings.from_environment({"ENVIRONMENT": "dev"})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TABLE_NAME", "t"),
        ("ENVIRONMENT", "dev"),
        ("PUBLIC_BASE_URL", "ftp://x"),
        ("PUBLIC_BASE_URL", "https://"),
        ("SES_SENDER", "x"),
        ("EVENT_BUS_NAME", "a bus"),
    ],
)
def test_a_malformed_variable_fails_at_start(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=f"{name} must be"):
        NotifySettings.from_environment({**NOTIFY_ENV, name: value})


def test_the_api_functions_need_no_public_base_url() -> None:
    assert Settings.from_environment({"TABLE_NAME": "t-1", "ENVIRONMENT": "prd"}).environment == "prd"
