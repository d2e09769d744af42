"""A clone is whole: no file of the repository points at documents outside it (a brief beside the
checkout, a seed folder), and every `docs/…` path the code and the documents name exists."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Spelled in parts, so that this file does not itself name what it looks for.
BRIEF, SIBLING, SEED = "PRODUCT" + r"\.md", r"\.\./" + "shared/", r"\bshared" + r"/seed\b"
OUTSIDE = re.compile("|".join((BRIEF, SIBLING, SEED)))
DOC_PATH = re.compile(r"\bdocs/[a-z0-9_/-]+\.md\b")
SKIPPED = (".png", ".jpg", ".ico", ".woff2", ".lock")


def tracked() -> list[Path]:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    return [ROOT / name for name in listed.stdout.split() if not name.endswith(SKIPPED)]


def text_of(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, FileNotFoundError):
        return ""


def test_nothing_points_outside_the_repository() -> None:
    pointing = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in tracked()
        for number, line in enumerate(text_of(path).splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert pointing == []


def test_every_document_the_code_and_the_documents_name_exists() -> None:
    named = {match.group(0) for path in tracked() for match in DOC_PATH.finditer(text_of(path))}
    assert named, "the code names its documents"
    assert sorted(name for name in named if not (ROOT / name).is_file()) == []


def test_every_store_module_but_the_facade_and_the_keys_is_closed_to_the_workshop() -> None:
    """The import contract names the store's internals one by one: a new store module joins them."""
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    [public] = [c for c in contracts if c["name"].startswith("The workshop reaches the product")]
    store = ROOT / "layers/common/zelfregistratie/store"
    internal = {
        f"zelfregistratie.store.{path.stem}"
        for path in store.glob("*.py")
        if path.stem not in ("__init__", "store", "keys")
    }
    assert set(public["source_modules"]) == {"devstack", "ops", "bench", "tools"}
    assert internal <= set(public["forbidden_modules"])


def test_every_module_of_the_product_stays_within_300_lines() -> None:
    modules = [*ROOT.glob("layers/common/zelfregistratie/**/*.py"), *ROOT.glob("functions/*/app.py")]
    long = {str(p.relative_to(ROOT)): n for p in modules if (n := len(p.read_text().splitlines())) > 300}
    assert long == {}
