"""After `sam build`: every compiled module in the built layer is an arm64 (AArch64) ELF file,
and the layer holds the zelfregistratie package with its mail templates compiled. Exits non-zero
with the offenders otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

ELF_MAGIC = b"\x7fELF"
EM_AARCH64 = 183


def machine_of(path: Path) -> int | None:
    header = path.read_bytes()[:20]
    if not header.startswith(ELF_MAGIC):
        return None
    return int.from_bytes(header[18:20], "little" if header[5] == 1 else "big")


def check(build_dir: Path) -> list[str]:
    layer = build_dir / "CommonLayer" / "python"
    problems = []
    if not (layer / "zelfregistratie" / "__init__.py").exists() and not (layer / "zelfregistratie").is_dir():
        problems.append(f"{layer}: the zelfregistratie package is missing")
    compiled = list(layer.rglob("*.so"))
    if not compiled:
        problems.append(f"{layer}: no compiled modules (expected pydantic_core)")
    for path in compiled:
        machine = machine_of(path)
        if machine != EM_AARCH64:
            problems.append(f"{path.relative_to(build_dir)}: ELF machine {machine}, not AArch64")
    if not list((layer / "zelfregistratie").glob("__pycache__/*.cpython-313.pyc")):
        problems.append(f"{layer}: the zelfregistratie package is not compiled for Python 3.13")
    mail = layer / "zelfregistratie" / "mail"
    templates = len(list((mail / "templates").glob("*.j2")))
    if len(list((mail / "compiled").glob("tmpl_*.py"))) != templates:
        problems.append(f"{mail}: the {templates} mail templates are not all compiled (mail/environment.py)")
    for function in ["SubmitRequestFunction", "ListTasksFunction", "DecideFunction", "NotifyFunction"]:
        if not (build_dir / function / "app.py").exists():
            problems.append(f"{function}: app.py missing from the build")
    return problems


def main() -> int:
    build_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".aws-sam/build")
    problems = check(build_dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        count = len(list((build_dir / "CommonLayer" / "python").rglob("*.so")))
        print(f"build ok: {count} compiled modules in the layer, all AArch64")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
