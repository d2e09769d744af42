"""The pages as they are served: every asset under a name that carries its content's hash.

`web/` is written by hand and names its assets plainly (`/assets/app.js`). Served as they are, a
browser must ask again on every visit whether an asset changed. Here each asset gets its content's
hash in its name (`/assets/app.3f2a1b9c.js`) and every reference to it is rewritten, in pages and in
the modules that import it; such a name never changes meaning, so it is cached for a year
(`immutable`) and a second visit fetches no asset at all. Pages keep their names and are revalidated
(`no-cache`), so a deploy shows at once. A module's hash covers the hashed names of what it imports:
a change anywhere renames everything that leads to it.

Both the local stack (on each change of `web/`) and `ops/deploy_pages.py` serve this same build.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
PAGE_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=31536000, immutable"
CONFIG_CACHE = "public, max-age=300"  # config.json: the sign-in's settings, fetched before each sign-in
REFERENCE = re.compile(r"(?<![\w.:/-])/(?:assets/[A-Za-z0-9_-]+|favicon)\.(?:js|css|ico|svg|png|woff2)\b")
HASH_LENGTH = 10


@dataclass(frozen=True)
class Built:
    """One file of the build: its key (its path, no leading slash), its bytes and its cache header."""

    key: str
    body: bytes
    cache_control: str


def build(web: Path = WEB) -> dict[str, Built]:
    """Every file of `web/` under the key it is served at, assets renamed by their content's hash.

    An asset is also kept under its plain key (`no-cache`) for anything that names it from outside.
    """
    sources = {p.relative_to(web).as_posix(): p.read_bytes() for p in sorted(web.rglob("*")) if p.is_file()}
    names: dict[str, str] = {}  # "/assets/app.js" → "/assets/app.3f2a1b9c.js"

    def rewrite(body: bytes, seen: tuple[str, ...]) -> bytes:
        text = body.decode("utf-8")
        return REFERENCE.sub(lambda m: hashed(m.group(0), seen), text).encode("utf-8")

    def hashed(reference: str, seen: tuple[str, ...]) -> str:
        key = reference.lstrip("/")
        if key not in sources or reference in seen:
            return reference  # not ours, or an import circle: left as written
        if reference not in names:
            body = _rewritten(key, sources[key], lambda b: rewrite(b, (*seen, reference)))
            digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
            stem, dot, suffix = key.rpartition(".")
            if not stem.startswith("assets/"):
                stem = f"assets/{stem}"
            names[reference] = f"/{stem}.{digest}{dot}{suffix}"
        return names[reference]

    files: dict[str, Built] = {}
    for key, body in sources.items():
        served = _rewritten(key, body, lambda b: rewrite(b, ()))
        files[key] = Built(key, served, PAGE_CACHE)
        if REFERENCE.fullmatch(f"/{key}"):
            versioned = hashed(f"/{key}", ()).lstrip("/")
            files[versioned] = Built(versioned, served, ASSET_CACHE)
    return files


def _rewritten(key: str, body: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    """Pages, modules and style sheets name other files; anything else is left byte for byte."""
    return rewrite(body) if key.endswith((".html", ".js", ".css")) else body


class ServedPages:
    """`web/` as the local stack serves it (the build above), built again when a file of
    `web/` changes, so that an edit shows on the next reload."""

    def __init__(self, web: Path) -> None:
        self.web = web
        self._lock = threading.Lock()
        self._seen: tuple[tuple[str, int, int], ...] = ()
        self._files: dict[str, Built] = {}

    def current(self) -> dict[str, Built]:
        files = sorted(p for p in self.web.rglob("*") if p.is_file())
        state = tuple((p.as_posix(), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        with self._lock:
            if state != self._seen:
                self._files, self._seen = build(self.web), state
            return self._files
