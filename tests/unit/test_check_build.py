"""The post-build check refuses a layer with compiled modules for another architecture."""

from __future__ import annotations

from pathlib import Path

from tools.check_build import EM_AARCH64, check

EM_X86_64 = 62


def _elf(machine: int) -> bytes:
    return b"\x7fELF\x02\x01\x01" + b"\x00" * 11 + machine.to_bytes(2, "little") + b"\x00" * 40


def _build(tmp_path: Path, machine: int) -> Path:
    layer = tmp_path / "CommonLayer" / "python"
    (layer / "zelfregistratie").mkdir(parents=True)
    (layer / "zelfregistratie" / "__init__.py").write_text("")
    (layer / "zelfregistratie" / "__pycache__").mkdir()
    (layer / "zelfregistratie" / "__pycache__" / "__init__.cpython-313.pyc").write_bytes(b"")
    (layer / "pydantic_core").mkdir()
    (layer / "pydantic_core" / "_pydantic_core.so").write_bytes(_elf(machine))
    for function in ["SubmitRequestFunction", "ListTasksFunction", "DecideFunction", "NotifyFunction"]:
        (tmp_path / function).mkdir()
        (tmp_path / function / "app.py").write_text("")
    return tmp_path


def test_an_arm64_layer_passes(tmp_path: Path) -> None:
    assert check(_build(tmp_path, EM_AARCH64)) == []


def test_an_x86_64_module_in_the_layer_fails(tmp_path: Path) -> None:
    [problem] = check(_build(tmp_path, EM_X86_64))
    assert "_pydantic_core.so" in problem and "not AArch64" in problem


def test_a_layer_with_its_mail_templates_uncompiled_fails(tmp_path: Path) -> None:
    build = _build(tmp_path, EM_AARCH64)
    mail = build / "CommonLayer" / "python" / "zelfregistratie" / "mail"
    (mail / "templates").mkdir(parents=True)
    for name in ("filed_admin.html.j2", "filed_admin.txt.j2"):
        (mail / "templates" / name).write_text("")
    [problem] = check(build)
    assert "not all compiled" in problem
    (mail / "compiled").mkdir()
    for n in range(2):
        (mail / "compiled" / f"tmpl_{n}.py").write_text("")
    assert check(build) == []
