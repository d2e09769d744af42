"""The administrator's home through the API (docs/administrators-home.md), on the demo data: people
found over all one's organisations; what someone who administers nothing gets; each refusal."""

from __future__ import annotations

import pytest

from ops.load_data import Persona
from tests.api import Answer, Api

ZONNEBLOEM, DIGITAAL = "0428364866", "OVO000123"


@pytest.fixture
def els(personas: dict[str, Persona]) -> Persona:
    """Head local administrator of the bakery, local administrator of the agency; works at both."""
    return personas["beheerder"]


def found(api: Api, caller: Persona, **query: str) -> Answer:
    return api.call("GET", "/api/people", caller=caller, query=query)


def test_people_of_all_my_organisations_each_once_with_where_i_see_them(api: Api, els: Persona) -> None:
    answer = found(api, els, q="e")
    assert answer.status == 200 and answer.body["nextCursor"] is None
    assert [(p["name"], [o["code"] for o in p["organizations"]]) for p in answer.body["items"]] == [
        ("Élodie Vermeulen", [ZONNEBLOEM]),
        ("Els Wouters", [ZONNEBLOEM, DIGITAAL]),
        ("Erwin Hermans", [ZONNEBLOEM]),
    ]
    els_found = answer.body["items"][1]
    assert els_found["sub"] == els.sub
    assert els_found["organizations"][1] == {"code": DIGITAAL, "name": "Agentschap Digitaal Demo"}


def test_a_search_finds_the_start_of_any_word_not_its_inside(api: Api, els: Persona) -> None:
    assert [p["name"] for p in found(api, els, q="HERM").body["items"]] == ["Erwin Hermans"]
    assert found(api, els, q="rmans").body["items"] == []


def test_pages_follow_each_other(api: Api, els: Persona) -> None:
    first = found(api, els, q="e", limit="2")
    rest = found(api, els, q="e", limit="2", cursor=first.body["nextCursor"])
    names = [p["name"] for p in first.body["items"] + rest.body["items"]]
    assert names == ["Élodie Vermeulen", "Els Wouters", "Erwin Hermans"] and rest.body["nextCursor"] is None


def test_people_of_organisations_i_do_not_administer_are_not_found(
    api: Api, personas: dict[str, Persona]
) -> None:
    lotte = personas["beheerder-andere"]  # the association's: none of the bakery's people
    assert [p["name"] for p in found(api, lotte, q="e").body["items"]] == []
    assert [p["name"] for p in found(api, lotte, q="lot").body["items"]] == ["Lotte Claes"]


def test_someone_who_administers_nothing_finds_no_one(api: Api, personas: dict[str, Persona]) -> None:
    answer = found(api, personas["medewerker"], q="e")
    assert (answer.status, answer.body) == (200, {"items": [], "nextCursor": None})


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "   "}, {"q": "x" * 101}, {"q": "e", "limit": "0"}])
def test_a_search_without_a_word_is_refused(api: Api, els: Persona, query: dict[str, str]) -> None:
    answer = found(api, els, **query)
    assert (answer.status, answer.code) == (422, "invalid_input")


def test_a_tampered_cursor_is_refused(api: Api, els: Persona) -> None:
    answer = found(api, els, q="e", cursor="bm90LWEtY3Vyc29y")
    assert (answer.status, answer.code) == (400, "invalid_cursor")
