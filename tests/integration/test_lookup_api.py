"""Toekenning opzoeken through the API (docs/administrators-home.md § Look-up), on the demo data: who
holds a right at my organisations, by context and name, ended ones on request; the CSV as Excel set
to Dutch (Belgium) opens it; each refusal."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from ops.load_data import Persona
from tests.api import Answer, Api

ZONNEBLOEM, DIGITAAL = "0428364866", "OVO000123"
ERWIN = "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31"


@pytest.fixture
def els(personas: dict[str, Persona]) -> Persona:
    return personas["beheerder"]


def lookup(api: Api, caller: Persona, headers: dict[str, str] | None = None, **query: str) -> Answer:
    return api.call("GET", "/api/grants", caller=caller, query=query, headers=headers or {})


def test_the_holders_of_a_right_at_my_organisations(api: Api, els: Persona) -> None:
    answer = lookup(api, els, right="DIMONA_MANDAAT_RAADPLEGER")
    assert answer.status == 200 and answer.body["nextCursor"] is None
    [grant] = answer.body["items"]
    assert (grant["person"]["name"], grant["organization"]["code"], grant["status"]) == (
        "Erwin Hermans",
        ZONNEBLOEM,
        "active",
    )
    assert lookup(api, els, right="DIMONA_MANDAAT_RAADPLEGER", organization=DIGITAAL).body["items"] == []


def test_a_context_narrows_the_look_up(api: Api, els: Persona) -> None:
    right = "DWSE_ORG_MEDEWERKER"
    assert [g["person"]["name"] for g in lookup(api, els, right=right).body["items"]] == ["Élodie Vermeulen"]
    found = lookup(api, els, right=right, context="Sociale werkplaats").body["items"]
    assert [g["context"] for g in found] == ["Sociale werkplaats"]
    assert lookup(api, els, right=right, context="Lokale diensteneconomie").body["items"] == []


def test_a_revoked_grant_shows_only_with_status_all(api: Api, els: Persona) -> None:
    right = "SUBSIDIE_AANVRAGER"
    [held] = lookup(api, els, right=right).body["items"]
    revoked = api.call(
        "POST", f"/api/grants/{held['id']}/revoke", caller=els, body={"reason": "Niet meer nodig."}
    )
    assert revoked.status == 200
    assert lookup(api, els, right=right).body["items"] == []
    [ended] = lookup(api, els, right=right, status="all").body["items"]
    assert (ended["id"], ended["status"]) == (held["id"], "revoked")


def test_pages_follow_each_other_over_my_organisations(api: Api, els: Persona, store: Any) -> None:
    from datetime import date

    from zelfregistratie.domain.rights import Grant, WorkRelationship

    for n in range(7):
        org = ZONNEBLOEM if n % 2 else DIGITAAL
        relationship = WorkRelationship(
            person=f"p{n}", person_name=f"Persoon {n}", organization=org, since=date(2025, 1, 1)
        )
        grant = Grant(
            person=f"p{n}",
            person_name=f"Persoon {n}",
            organization=org,
            right="SUBSIDIE_AANVRAGER",
            begin=date(2026, 1, 1),
            end=date(2099, 1, 1),
        )
        store.people.load(relationship, (grant,))
    seen, cursor = [], None
    while True:
        page = lookup(
            api, els, right="SUBSIDIE_AANVRAGER", limit="3", **({"cursor": cursor} if cursor else {})
        )
        seen += [g["person"]["name"] for g in page.body["items"]]
        if (cursor := page.body["nextCursor"]) is None:
            break
    assert seen == ["Erwin Hermans", *[f"Persoon {n}" for n in range(7)]]


def test_the_csv_opens_as_it_is_in_excel_set_to_dutch(api: Api, els: Persona) -> None:
    answer = lookup(api, els, headers={"accept": "text/csv"}, right="SUBSIDIE_AANVRAGER")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert answer.headers["Content-Disposition"].startswith("attachment; filename=")
    raw = answer.body.encode("utf-8")
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Naam",
        "Organisatie",
        "Toepassing",
        "Gebruikersrecht",
        "Context",
        "Begindatum",
        "Einddatum",
        "Status",
    ]
    assert rows[1] == [
        "Erwin Hermans",
        "Bakkerij De Zonnebloem BV",
        "Subsidieloket",
        "Subsidieaanvrager",
        "",
        "02/03/2026",
        "01/03/2027",
        "Actief",
    ]
    assert b"\r\n" in raw and lookup(api, els, right="SUBSIDIE_AANVRAGER", format="csv").body == answer.body


def test_an_application_without_a_right_looks_up_every_right_of_it(api: Api, els: Persona) -> None:
    found = lookup(api, els, application="1203").body["items"]  # SIP: DWSE Organisatie medewerker
    assert [(g["person"]["name"], g["right"]["code"]) for g in found] == [
        ("Élodie Vermeulen", "DWSE_ORG_MEDEWERKER")
    ]
    dimona = lookup(api, els, application="45", organization=ZONNEBLOEM).body["items"]
    assert [g["right"]["code"] for g in dimona] == ["DIMONA_MANDAAT_RAADPLEGER"]
    assert lookup(api, els, application="45", right="SUBSIDIE_AANVRAGER").body["items"] == []  # not its right
    assert lookup(api, els, application="999").body["items"] == []  # no such application


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({}, 422, "invalid_input"),  # which right?
        ({"right": "SUBSIDIE_AANVRAGER", "organization": "0415327175"}, 403, "forbidden"),
        ({"right": "SUBSIDIE_AANVRAGER", "status": "some"}, 422, "invalid_input"),
        ({"right": "SUBSIDIE_AANVRAGER", "format": "xlsx"}, 422, "invalid_input"),
        ({"right": "SUBSIDIE_AANVRAGER", "cursor": "bm90LWEtY3Vyc29y"}, 400, "invalid_cursor"),
    ],
)
def test_refusals(api: Api, els: Persona, query: dict[str, str], status: int, code: str) -> None:
    answer = api.call("GET", "/api/grants", caller=els, query=query)
    assert (answer.status, answer.code) == (status, code)


def test_someone_who_administers_nothing_finds_nothing(api: Api, personas: dict[str, Persona]) -> None:
    answer = lookup(api, personas["medewerker"], right="SUBSIDIE_AANVRAGER")
    assert (answer.status, answer.body) == (200, {"items": [], "nextCursor": None})
