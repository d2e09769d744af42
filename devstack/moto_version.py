"""The moto whose internals the adapter patches (devstack/moto_atomic.py, devstack/moto_ses.py): any other
stops the adapter at import, with a message, before a patch can fail or, worse, silently miss."""

from __future__ import annotations

from importlib import metadata

MOTO_VERSION = "5.2.6"


def require_moto(found: str | None = None) -> None:
    installed = found or metadata.version("moto")
    if installed != MOTO_VERSION:
        raise SystemExit(
            f"The moto adapter (devstack/moto_atomic.py) is written for moto {MOTO_VERSION}, but moto "
            f"{installed} is installed: install the lock (make test does), or review the adapter for "
            f"{installed} and set MOTO_VERSION in devstack/moto_version.py."
        )


require_moto()
