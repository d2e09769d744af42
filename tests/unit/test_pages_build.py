"""The pages as served (`ops/pages.py`): assets under their content's hash, every reference rewritten."""

from __future__ import annotations

import re
from pathlib import Path

from ops import pages


def _web(tmp_path: Path, app: str = "export const x = 1;\n") -> Path:
    (tmp_path / "assets").mkdir(parents=True)
    (tmp_path / "user").mkdir()
    (tmp_path / "assets" / "app.js").write_text(app)
    (tmp_path / "assets" / "page.js").write_text('import { x } from "/assets/app.js";\n')
    (tmp_path / "assets" / "style.css").write_text("main { color: black }\n")
    (tmp_path / "favicon.ico").write_bytes(b"\x00\x01icon")
    (tmp_path / "user" / "page.html").write_text(
        '<link rel="icon" href="/favicon.ico"><link rel="stylesheet" href="/assets/style.css">'
        '<script type="module" src="/assets/page.js"></script><a href="https://elders.example/assets/app.js">'
    )
    return tmp_path


def test_assets_get_hashed_names_that_pages_and_modules_use_and_are_cached_for_a_year(tmp_path: Path) -> None:
    built = pages.build(_web(tmp_path))

    page = built["user/page.html"]
    assert page.cache_control == "no-cache"
    names = re.findall(r'(?:href|src)="([^"]+)"', page.body.decode())
    for name, stem in zip(names[:3], ["favicon", "style", "page"], strict=True):
        assert re.fullmatch(rf"/assets/{stem}\.[0-9a-f]{{10}}\.(ico|css|js)", name), names
    assert names[3] == "https://elders.example/assets/app.js", "another site's address is left alone"
    module = built[names[2].lstrip("/")]
    assert module.cache_control == "public, max-age=31536000, immutable"
    imported = re.search(r'from "(/assets/app\.[0-9a-f]{10}\.js)"', module.body.decode())
    assert imported and built[imported.group(1).lstrip("/")].body == b"export const x = 1;\n"
    assert built["favicon.ico"].body == b"\x00\x01icon", "the plain name stays for whoever asks it"
    assert built[names[0].lstrip("/")].body == b"\x00\x01icon", "bytes of an icon are not rewritten"


def test_a_change_in_an_imported_module_renames_the_modules_and_pages_that_lead_to_it(tmp_path: Path) -> None:
    before = pages.build(_web(tmp_path / "a"))
    after = pages.build(_web(tmp_path / "b", app="export const x = 2;\n"))

    assert before["user/page.html"].body != after["user/page.html"].body
    changed = set(after) - set(before)
    assert {re.sub(r"\.[0-9a-f]{10}\.", ".*.", k) for k in changed} == {"assets/app.*.js", "assets/page.*.js"}
    assert before["assets/style.css"].body == after["assets/style.css"].body


def test_every_reference_in_the_real_pages_points_at_a_built_file() -> None:
    built = pages.build()
    for file in built.values():
        if file.key.endswith((".html", ".js", ".css")):
            for reference in pages.REFERENCE.findall(file.body.decode()):
                assert reference.lstrip("/") in built, (file.key, reference)
                assert re.search(r"\.[0-9a-f]{10}\.", reference), (file.key, reference)


def test_the_local_stack_builds_again_when_a_file_of_web_changes(tmp_path: Path) -> None:
    web = _web(tmp_path)
    served = pages.ServedPages(web)
    first = served.current()
    assert served.current() is first, "nothing changed: the same build"
    (web / "assets" / "app.js").write_text("export const x = 3;\n")
    second = served.current()
    assert second["user/page.html"].body != first["user/page.html"].body
