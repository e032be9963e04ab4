"""Any table as CSV or XLSX bytes, safe to open in a spreadsheet program.

CSV: a cell that a spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or
carriage return) gets a leading apostrophe, as OWASP recommends for CSV injection. XLSX: every
text cell is stored as text, so nothing typed by a user ever becomes a formula.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl import Workbook

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A CSV cell value that no spreadsheet will evaluate: text starting like a formula is prefixed with `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _plain(value: Any) -> Any:
    """A value openpyxl and csv understand: numpy scalars unwrapped, lists joined, missing as empty."""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheet programs read accents right), formulas neutralised."""
    safe = frame.map(lambda v: neutralise(_plain(v)))
    safe.columns = [neutralise(str(c)) for c in frame.columns]
    # CRLF line ends (RFC 4180) make the writer quote any cell holding a carriage return: with "\n" a
    # bare CR inside a cell would end the row in a spreadsheet, and what follows it would escape neutralising.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet_title: str = "data") -> bytes:
    """An XLSX workbook with one sheet; text cells are stored as text, never as formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        sheet.append([_plain(v) for v in row])
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
