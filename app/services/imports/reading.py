"""Bytes as spreadsheet programs save them, into rows of cells with their line numbers.

Dutch spreadsheets save CSV with a comma or a semicolon, in UTF-8 (with or without the
byte order mark Excel adds) or in Windows-1252. Line numbers are the row numbers the
spreadsheet shows, the header being line 1: a cell with a line break in it is still one
row there (``csv.reader`` yields one record per spreadsheet row, blank ones included).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from flask_babel import gettext as _

from .problems import WHOLE_FILE, Problems

DELIMITERS = (",", ";")
# Other separators people's files turn out to use; named in the hint for a one-column header.
OTHER_SEPARATORS = {"\t": "tab", "|": "|"}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CP1252_BOM = "\u00ef\u00bb\u00bf"  # a UTF-8 BOM read as Windows-1252


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[Row, ...]
    delimiter: str
    encoding: str


def decode(data: bytes, problems: Problems) -> tuple[str, str] | None:
    """The text and the encoding it was in; None (with a problem) when it is not text."""
    if data.startswith((_XLSX_MAGIC, _OLE_MAGIC)):
        problems.add(WHOLE_FILE, None, _(
            "This is an Excel workbook, not a CSV file. In Excel choose File > Save as > "
            "'CSV UTF-8 (comma delimited)' and upload that file."))
        return None
    if data.startswith(_UTF16_BOMS):
        problems.add(WHOLE_FILE, None, _(
            "This file is saved as 'Unicode text' (UTF-16). Save it as 'CSV UTF-8 (comma "
            "delimited)' and upload that file."))
        return None
    if b"\x00" in data:
        problems.add(WHOLE_FILE, None, _(
            "This is not a CSV file: it contains binary data. Upload a spreadsheet saved as "
            "CSV (comma or semicolon separated)."))
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        problems.add(WHOLE_FILE, None, _(
            "The text of this file cannot be read: it is neither UTF-8 nor Windows-1252. "
            "Save it as 'CSV UTF-8 (comma delimited)' and upload it again."))
        return None
    if encoding == "cp1252" and text.startswith(_CP1252_BOM):
        text = text[len(_CP1252_BOM):]
    control = _CONTROL.search(text)
    if control:
        line = text.count("\n", 0, control.start()) + 1
        problems.add(WHOLE_FILE, None, _(
            "This does not look like a CSV file: line %(line)s contains characters that do "
            "not belong in text. Upload a spreadsheet saved as CSV.", line=line))
        return None
    return text, encoding


def sniff_delimiter(header_line: str) -> str:
    """The separator that splits the header into the most columns (comma on a tie)."""
    best, best_count = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def other_separator(text: str) -> str | None:
    """A separator other than comma and semicolon that ``text`` seems to use, if any."""
    for separator, name in OTHER_SEPARATORS.items():
        if separator in text:
            return name
    return None


def read_table(data: bytes, problems: Problems) -> Table | None:
    """The header and the non-empty rows; None (with a problem) when there is nothing to read."""
    decoded = decode(data, problems)
    if decoded is None:
        return None
    text, encoding = decoded
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip(" ,;\t")), None)
    if first is None:
        problems.add(WHOLE_FILE, None, _(
            "The file is empty. Upload a file with a header line (the column names) and one "
            "line per row below it; the documentation has an example file."))
        return None
    if first > 0:
        problems.add(first + 1, None, _(
            "The header (the line with the column names) must be the first line of the file; "
            "remove the empty lines above it."))
        return None
    delimiter = sniff_delimiter(lines[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] = ()
    rows: list[Row] = []
    try:
        for line, record in enumerate(reader, start=1):
            cells = tuple(cell.strip() for cell in record)
            if line == 1:
                header = cells
            elif any(cells):
                rows.append(Row(line, cells))
    except csv.Error as error:  # pragma: no cover - csv only raises on NUL, refused above
        problems.add(WHOLE_FILE, None, _("The file cannot be read as CSV: %(error)s",
                                         error=str(error)))
        return None
    return Table(header, tuple(rows), delimiter, encoding)
