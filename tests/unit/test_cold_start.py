"""What a cold start does and does not do, checked in a fresh interpreter per function."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]

_PROBE = """
import json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2]]
import app

WATCHED = {"asyncio": "asyncio", "boto3": "boto3", "pydantic": "pydantic",
           "aws_lambda_powertools.event_handler": "event_handler",
           "zelfregistratie.api.shapes": "shapes"}
modules = sorted({name for prefix, name in WATCHED.items() for m in sys.modules
                  if m == prefix or m.startswith(prefix + ".")})
ours = []
if "pydantic" in sys.modules:
    from pydantic import BaseModel

    def models(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from models(sub)

    ours = [m for m in models(BaseModel) if m.__module__.startswith(("zelfregistratie", "app"))]
import gc
print(json.dumps({
    "gc": gc.isenabled() and gc.get_freeze_count() > 0,
    "built": sorted(m.__qualname__ for m in ours if m.__pydantic_complete__),
    "models": len(ours),
    "modules": modules,
}))
"""


def _probe(function: str) -> dict[str, object]:
    env = {**os.environ, **TEST_ENVIRONMENT, "POWERTOOLS_SERVICE_NAME": function}
    folders = [str(ROOT / "functions" / function), str(ROOT / "layers" / "common")]
    output = subprocess.run(
        [sys.executable, "-c", _PROBE, *folders], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(output.stdout)
    return result


@pytest.mark.parametrize("function", ["submit_request", "list_tasks", "decide"])
def test_an_api_function_builds_no_model_and_imports_no_event_handler_at_import(function: str) -> None:
    probe = _probe(function)
    assert probe["models"]  # its input models exist, unbuilt until a request needs them
    assert probe["built"] == []
    # No asyncio, boto3 or powertools' event handler; the answers' TypedDicts serve type checkers only.
    assert probe["modules"] == ["pydantic"]
    assert probe["gc"] is True  # off while the module imports; what it made frozen, then on again


def test_notify_imports_neither_pydantic_nor_boto3_nor_asyncio() -> None:
    # Its partial batch response is its own loop: powertools' BatchProcessor would bring asyncio.
    probe = _probe("notify")
    assert probe["modules"] == []
    assert probe["gc"] is True


def test_the_layers_compiled_mail_templates_render_what_the_sources_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The layer's build compiles the templates (mail/environment.py): the same mails come of them."""
    from dataclasses import replace
    from datetime import UTC, datetime

    from jinja2 import ModuleLoader

    from tests.factories import a_request, an_approval
    from zelfregistratie.domain.entities import AdminRole, LocalAdmin, RequestStatus
    from zelfregistratie.domain.periods import Periods
    from zelfregistratie.domain.requests import RequestEvent
    from zelfregistratie.mail import compose, environment

    request = replace(
        a_request(created_at=datetime(2026, 3, 29, 1, 30, tzinfo=UTC)), requester_name="Jan <b>"
    )
    decided = replace(request, status=RequestStatus.APPROVED, decision=an_approval())
    admins = [
        LocalAdmin(organization="0428364866", person=p, name=p, role=AdminRole.LOCAL, email=f"{p}@x.be")
        for p in ("els", "tom")
    ]

    def every_mail() -> list[compose.Mail]:
        return [
            *compose.mails_for(RequestEvent.FILED, request, admins, compose.Site("https://x", Periods())),
            *compose.mails_for(RequestEvent.DECIDED, decided, admins, compose.Site("https://x", Periods())),
        ]

    expected = every_mail()
    environment.precompile(tmp_path)
    monkeypatch.setattr(compose, "_templates", environment.environment(ModuleLoader(tmp_path)))
    assert every_mail() == expected
    assert len(expected) >= 5 and all("Jan <b>" not in mail.html for mail in expected)
