"""Every domain error becomes problem+json with its stable code and status, as docs/errors.md lists them."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError

from zelfregistratie.api import problems
from zelfregistratie.api.fields import Phone
from zelfregistratie.api.problems import PROBLEM_JSON, field_errors, problem_response, texts
from zelfregistratie.domain import errors as errors

ERRORS_DOC = Path(__file__).resolve().parents[2] / "docs" / "errors.md"


def documented_codes() -> dict[str, int]:
    """Every `code` status pair of docs/errors.md's table, the list integrators read."""
    text = ERRORS_DOC.read_text(encoding="utf-8")
    return {code: int(status) for code, status in re.findall(r"^\| `([a-z_]+)` \| (\d{3}) \|", text, re.M)}


def _all_errors() -> list[type[errors.DomainError]]:
    return errors.DomainError.__subclasses__()


def test_every_documented_code_has_exactly_one_error_with_its_status() -> None:
    documented = documented_codes()
    assert len(documented) >= 19  # the table was read, not an empty match
    assert {cls.code: cls.status for cls in _all_errors()} == documented
    assert len({cls.code for cls in _all_errors()}) == len(_all_errors())


@pytest.mark.parametrize("cls", _all_errors(), ids=lambda cls: cls.code)
def test_errors_answer_problem_json_in_dutch(cls: type[errors.DomainError]) -> None:
    response = problem_response(cls())
    body = json.loads(response.body or "")
    assert response.status_code == cls.status
    assert response.content_type == PROBLEM_JSON
    title, detail = texts.TITLES[cls.wording or cls.code]
    assert body == {
        "type": f"/problems/{cls.code}",
        "title": title,
        "status": cls.status,
        "detail": detail,
        "code": cls.code,
    }
    assert body["title"] and body["detail"]


def test_field_errors_are_listed_per_field() -> None:
    error = errors.InvalidInput(errors=[errors.FieldError("phone", "phone")])
    body = json.loads(problem_response(error).body or "")
    assert body["errors"] == [
        {"field": "phone", "message": "Geef een geldig telefoonnummer, bv. 0470 12 34 56 of +3212345678."}
    ]


def test_every_reason_raised_in_the_layer_is_worded_and_its_facts_fill_it() -> None:
    layer = Path(errors.__file__).resolve().parents[4]
    raised = set()
    for module in [p for d in ("layers", "functions", "devstack", "ops") for p in (layer / d).rglob("*.py")]:
        source = module.read_text(encoding="utf-8")
        raised |= set(
            re.findall(
                r"(?:InvalidValue|InvalidLink|Forbidden|AlreadyHeld|AlreadyGranted|"
                r'DuplicatePending|InvalidInput)\(\s*"(\w+)"',
                source,
            )
        )
        raised |= set(re.findall(r'FieldError\(\s*[\w"]+,\s*"(\w+)"', source))
        raised |= set(re.findall(r'^[A-Z_]+ = "(\w+)"  # a reason', source, re.MULTILINE))
    assert len(raised) >= 40, raised
    assert raised - set(texts.REASONS) == set()
    worded = problems.worded("end_date_window", {"earliest": date(2026, 1, 2), "latest": date(2028, 1, 2)})
    assert worded == "Kies een einddatum tussen 02/01/2026 en 02/01/2028."
    assert problems.worded("context_not_of_right", {"contexts": ()}).endswith("(mogelijk: geen).")
    assert problems.worded("person_holds_right", {"person": None, "right": "R", "organization": "O"}) == (
        "Deze persoon heeft het gebruikersrecht R al voor O."
    )


class _Form(BaseModel):
    phone: Phone
    reason: str


def test_validation_failures_become_one_dutch_message_per_field() -> None:
    with pytest.raises(ValidationError) as failure:
        _Form.model_validate({"phone": "012"})
    fields = {e.field: problems.worded(e.reason, e.facts) for e in field_errors(failure.value.errors())}
    assert fields == {
        "phone": "Geef een geldig telefoonnummer, bv. 0470 12 34 56 of +3212345678.",
        "reason": "Dit veld is verplicht.",
    }


def test_body_location_prefix_is_dropped_and_nested_fields_are_dotted() -> None:
    fields = field_errors(
        [
            {"loc": ("body", "decision", "reason"), "type": "missing"},
            {"loc": ("body", 17), "type": "json_invalid"},
        ]
    )
    assert [(f.field, problems.worded(f.reason, f.facts)) for f in fields] == [
        ("decision.reason", "Dit veld is verplicht."),
        ("body", "De inhoud is geen geldige JSON."),
    ]
