"""Downloads that open as they are in Excel set to Dutch (Belgium): UTF-8 with a byte-order mark, `;`
between fields, a header row in Dutch, dates as dd/mm/jjjj, CRLF line ends. A cell that a spreadsheet
would take for a formula (`=`, `+`, `-`, `@`, a tab or a carriage return first) is prefixed with `'`,
so a name cannot run as one."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from zelfregistratie.api.http import Response
from zelfregistratie.domain.clock import BRUSSELS

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_download(filename: str, text: str) -> Response[str]:
    return Response(
        200,
        "text/csv; charset=utf-8",
        text,
        {"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # as it was in Brussels
        return value.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
