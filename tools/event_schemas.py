"""Write the JSON Schema of each event's `detail` (docs/applications.md) under `events/` (`make schemas`).

The schemas come from the TypedDicts in `zelfregistratie/events/shapes.py` through pydantic, as the
OpenAPI document comes from the API's shapes; every object is closed (`additionalProperties: false`),
so an e-mail address or phone number that slipped into an event would fail its schema. A test fails
when a schema is out of date, and another validates every event the tests publish against these.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from zelfregistratie.events.changes import SOURCE
from zelfregistratie.events.shapes import DETAIL_TYPES

DIRECTORY = Path(__file__).resolve().parent.parent / "events"


def schema(detail_type: str) -> dict[str, Any]:
    found = TypeAdapter(DETAIL_TYPES[detail_type]).json_schema(mode="serialization")
    _close(found)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://zelfregistratie.invalid/events/{detail_type}.schema.json",
        "title": f"{detail_type} detail",
        "description": f"The `detail` of an EventBridge event with source `{SOURCE}` and detail-type "
        f"`{detail_type}`.",
        **{k: v for k, v in found.items() if k != "title"},
    }


def _close(node: Any) -> None:
    """Every object schema with properties admits no others."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def rendered() -> dict[str, str]:
    return {
        f"{name}.schema.json": json.dumps(schema(name), indent=2, ensure_ascii=False) + "\n"
        for name in DETAIL_TYPES
    }


def main() -> None:
    DIRECTORY.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (DIRECTORY / name).write_text(text, encoding="utf-8")
    print(f"written {len(DETAIL_TYPES)} schemas to {DIRECTORY}")


if __name__ == "__main__":
    main()
