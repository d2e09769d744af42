"""The jinja2 environment of the mail templates (`templates/`).

HTML templates are autoescaped. select_autoescape's default extensions would not match `.html.j2`,
so it is told the full one; plain-text templates stay unescaped. The layer ships the templates
compiled to Python (`precompile.py`, run by its build): a first mail then skips jinja2's compiler,
about 20 ms of a cold start. The source tree keeps no compiled ones, so a changed template shows at
once.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from jinja2 import BaseLoader, Environment, FileSystemLoader, ModuleLoader, StrictUndefined, select_autoescape

from zelfregistratie.domain.clock import BRUSSELS

SOURCES = Path(__file__).with_name("templates")
COMPILED = Path(__file__).with_name("compiled")


def datum(value: date | datetime) -> str:
    """Dates as people here write them: dd/mm/jjjj, in Brussels."""
    if isinstance(value, datetime):
        value = value.astimezone(BRUSSELS).date()
    return value.strftime("%d/%m/%Y")


def quoted_sentence(value: str) -> str:
    """A quoted reason that ends a sentence: `"Weg."`, and `"Weg".` for one without its own full stop
    (never `"Weg."."`)."""
    text = value.rstrip()
    return f'"{text}"' if text.endswith((".", "!", "?", "…")) else f'"{text}".'


def environment(loader: BaseLoader | None = None) -> Environment:
    """The compiled templates where the build made them, else the sources."""
    if loader is None:
        loader = ModuleLoader(COMPILED) if COMPILED.is_dir() else FileSystemLoader(SOURCES)
    env = Environment(
        loader=loader,
        autoescape=select_autoescape(
            enabled_extensions=("html.j2",), default_for_string=False, default=False
        ),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,  # a function's templates never change while it runs: no stat per mail
    )
    env.filters["datum"] = datum
    env.filters["quoted_sentence"] = quoted_sentence
    return env


def precompile(target: Path = COMPILED) -> None:
    """Every template compiled to a Python module in `target` (emptied first)."""
    import shutil

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    environment(FileSystemLoader(SOURCES)).compile_templates(target, zip=None, ignore_errors=False)


if __name__ == "__main__":  # the layer's build: python -m zelfregistratie.mail.environment
    precompile()
