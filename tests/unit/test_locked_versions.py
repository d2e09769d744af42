"""Every package is the locked one: the venv the tests run in is exactly requirements/dev.lock, the
layer ships the versions the tests ran with, and the moto adapter stops on a moto it was not written
for."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.utils import canonicalize_name

from devstack import moto_version

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)\s*(?:;\s*(.+))?$")


def locked(path: Path, *, for_this_python: bool = True) -> dict[str, str]:
    """name → version of a lock file (`uv pip compile` output), those whose markers hold here."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        found = PIN.match(line)
        if found is None:
            continue
        name, version, marker = found.groups()
        if for_this_python and marker and not Marker(marker).evaluate():
            continue
        pins[str(canonicalize_name(name))] = version
    assert pins, f"no pins read from {path}"
    return pins


def test_the_installed_packages_are_exactly_the_lock() -> None:
    installed = {
        str(canonicalize_name(d.metadata["Name"])): d.version
        for d in metadata.distributions()
        if canonicalize_name(d.metadata["Name"]) != "zelfregistratie"
    }
    lock = locked(ROOT / "requirements" / "dev.lock")
    assert {name: installed.get(name) for name in lock} == lock
    assert set(installed) - set(lock) <= {"pip", "setuptools"}  # the venv's own installers, nothing else


def test_the_layer_ships_what_the_tests_ran_with() -> None:
    dev = locked(ROOT / "requirements" / "dev.lock", for_this_python=False)
    runtime = {
        str(canonicalize_name(line.split("==")[0])): line.split("==")[1].strip()
        for line in (ROOT / "layers" / "common" / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    for lock in ("layers/common/requirements.lock", "requirements/bench.lock"):
        pins = locked(ROOT / lock, for_this_python=False)
        assert {name: pins[name] for name in runtime} == runtime, lock
        assert {name: dev.get(name) for name in pins} == pins, f"{lock} and requirements/dev.lock differ"


def test_the_moto_adapter_is_written_for_the_locked_moto() -> None:
    assert locked(ROOT / "requirements" / "dev.lock")["moto"] == moto_version.MOTO_VERSION
    moto_version.require_moto(moto_version.MOTO_VERSION)
    with pytest.raises(SystemExit) as stopped:
        moto_version.require_moto("5.3.0")
    message = str(stopped.value)
    assert "written for moto 5.2.6, but moto 5.3.0 is installed" in message and "\n" not in message
