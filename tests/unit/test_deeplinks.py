"""Deep links: the integration contract of docs/using.md § Deep links, and the integrator's command."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from ops import deeplink
from zelfregistratie.api import problems
from zelfregistratie.domain.deeplinks import DeepLink
from zelfregistratie.domain.entities import RequestType, TargetGroup
from zelfregistratie.domain.errors import InvalidLink

SEED_EXAMPLE = (
    "https://zelfregistratie-gebruikersbeheer-ti.vlaanderen.be/user/aanvraag?&an=45&dg=EA&oc=0428364866"
)


def test_the_seed_example_parses_with_its_leading_ampersand() -> None:
    link = deeplink.from_url(SEED_EXAMPLE)
    assert link == DeepLink(RequestType.USER_RIGHT, TargetGroup.EA, application=45, organization="0428364866")


def test_parameters_may_come_in_any_order() -> None:
    one = DeepLink.parse(dict(parse_qsl("oc=0428364866&dg=EA&an=45")))
    other = DeepLink.parse(dict(parse_qsl("&an=45&dg=EA&oc=0428.364.866")))
    assert one == other


def test_a_link_round_trips_through_its_url() -> None:
    link = DeepLink(
        RequestType.USER_RIGHT, TargetGroup.LB, right="DWSE_ORG_MEDEWERKER", context="Lokale diensteneconomie"
    )
    url = link.url("https://zelfregistratie.example")
    assert url.startswith("https://zelfregistratie.example/user/aanvraag?")
    assert deeplink.from_url(url) == link


def test_a_work_relationship_link_uses_its_own_path() -> None:
    link = DeepLink(RequestType.WORK_RELATION, TargetGroup.GID, organization="OVO000123")
    assert link.url("https://x.example/") == "https://x.example/user/aanvraag_werkrelatie?dg=GID&oc=OVO000123"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("an=45", "doelgroep"),
        ("dg=EA", "toepassing (an) of gebruikersrecht (ec)"),
        ("dg=XX&an=45", "Onbekende doelgroep"),
        ("dg=EA&an=4x5", "getal"),
        ("dg=EA&an=45&oc=0428364867", "controlecijfers"),
        ("dg=GID&an=45&oc=0428364866", "OVO"),
    ],
)
def test_an_invalid_link_says_why(query: str, reason: str) -> None:
    with pytest.raises(InvalidLink) as refused:
        DeepLink.parse(dict(parse_qsl(query)))
    assert reason in problems.detail(refused.value)


def test_the_command_builds_the_seed_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert deeplink.main(["--env", "ti", "--dg", "EA", "--an", "45", "--oc", "0428364866"]) == 0
    assert capsys.readouterr().out.strip() == (
        "https://zelfregistratie-gebruikersbeheer-ti.vlaanderen.be/user/aanvraag?dg=EA&an=45&oc=0428364866"
    )


def test_the_command_checks_a_link_and_explains_a_refusal(capsys: pytest.CaptureFixture[str]) -> None:
    assert deeplink.main(["--check", SEED_EXAMPLE]) == 0
    assert deeplink.main(["--check", SEED_EXAMPLE.replace("&dg=EA", "")]) == 1
    assert "doelgroep (dg)" in capsys.readouterr().err
    assert deeplink.main(["--check", "https://x.example/user/aanvragen?dg=EA&an=45"]) == 1


def test_the_command_refuses_a_repeated_parameter_with_two_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert deeplink.main(["--check", "https://x.example/user/aanvraag?dg=EA&an=45&dg=LB"]) == 1
    assert "meermaals" in capsys.readouterr().err
