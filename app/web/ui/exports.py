"""Downloads as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence

from flask import Response

# A cell starting with one of these is run as a formula by Excel and LibreOffice; the minus
# sign U+2212 is read as "-" by some spreadsheets, so it counts too.
_FORMULA_START = ("=", "+", "-", "@", "\u2212")
# Spreadsheets trim leading whitespace and read full-width forms ("\uff1d") as their ASCII
# twins, so " =1+1" and "\uff1d1+1" run too; a leading tab or carriage return is refused as is.
_CONTROL_START = ("\t", "\r")


def _ignored(char: str) -> bool:
    # Whitespace and invisible format characters (zero-width space, joiners, BOM) that a
    # spreadsheet skips or that hide what the cell starts with.
    return char.isspace() or unicodedata.category(char) == "Cf"


def runs_as_formula(text: str) -> bool:
    if text.startswith(_CONTROL_START):
        return True
    start = next((i for i, char in enumerate(text) if not _ignored(char)), len(text))
    # Only the start matters: normalising a few characters keeps long texts cheap.
    head = unicodedata.normalize("NFKC", text[start:start + 4])
    return head.startswith(_FORMULA_START)


def neutralise(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers and
    other values stay what they are."""
    if isinstance(value, str) and runs_as_formula(value):
        return "'" + value
    return value


def csv_response(header: Sequence[str], rows: Iterable[Sequence[object]],
                 filename: str) -> Response:
    """Semicolon-separated UTF-8 with BOM: what Dutch Excel opens without asking."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


class ExportFormatError(ValueError):
    """The file name does not end in a format we write."""


def write_csv(handle, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    handle.write("\ufeff")
    writer = csv.writer(handle, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else neutralise(v) for v in row])


def write_xlsx(path, header: Sequence[str], rows: Iterable[Sequence[object]],
               sheet: str = "Talentmatch") -> None:
    from openpyxl import Workbook  # only an .xlsx download needs it: not loaded per request

    book = Workbook(write_only=True)
    table = book.create_sheet(sheet[:31])
    table.append(list(header))
    for row in rows:
        # Text cells are written as strings: openpyxl would otherwise store "=..." as a formula.
        table.append([neutralise(v) if isinstance(v, str) else v for v in row])
    book.save(path)


def write_table(path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """Writes CSV or XLSX, chosen by the file's extension; returns the format written."""
    suffix = str(path).lower().rsplit(".", 1)[-1] if "." in str(path) else ""
    if suffix == "csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            write_csv(handle, header, rows)
    elif suffix == "xlsx":
        write_xlsx(path, header, rows)
    else:
        raise ExportFormatError(
            f"{path}: the file name must end in .csv or .xlsx (that decides the format)")
    return suffix


def xlsx_response(header: Sequence[str], rows: Iterable[Sequence[object]],
                  filename: str) -> Response:
    buffer = io.BytesIO()
    write_xlsx(buffer, header, rows)
    return Response(buffer.getvalue(), headers={
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})


def table_response(header: Sequence[str], rows: Iterable[Sequence[object]], name: str,
                   fmt: str) -> Response:
    """CSV or XLSX (``fmt``) of the same table, named ``name.fmt``."""
    if fmt == "xlsx":
        return xlsx_response(header, rows, f"{name}.xlsx")
    return csv_response(header, rows, f"{name}.csv")
