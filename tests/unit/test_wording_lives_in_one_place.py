"""Dutch wording lives in `api/problems/texts.py` and the mail templates, nowhere else in the product:
the domain, the store and the use cases raise errors that carry a reason and facts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = [*sorted((ROOT / "layers" / "common").rglob("*.py")), *sorted((ROOT / "functions").rglob("*.py"))]
WORDING = ROOT / "layers" / "common" / "zelfregistratie" / "api" / "problems" / "texts.py"
DUTCH = re.compile(r"\b(de|het|een|uw|deze|niet|geen|voor|werd|heeft|bent|aanvraag|gebruikersrecht)\b", re.I)


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants that are not docstrings."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


def test_no_dutch_sentence_outside_the_wording_and_the_mail_templates() -> None:
    found = [
        f"{module.relative_to(ROOT)}:{line}: {text!r}"
        for module in PRODUCT
        if module != WORDING and "templates" not in module.parts
        for line, text in _strings(ast.parse(module.read_text(encoding="utf-8")))
        if len(DUTCH.findall(text)) >= 2
    ]
    assert found == []


def test_the_check_finds_a_dutch_sentence() -> None:
    tree = ast.parse('"""Doc."""\nX = "U heeft deze aanvraag al ingediend."\n')
    assert [text for _, text in _strings(tree) if len(DUTCH.findall(text)) >= 2] == [
        "U heeft deze aanvraag al ingediend."
    ]
