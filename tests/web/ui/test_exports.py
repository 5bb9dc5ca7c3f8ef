"""Exports are safe to open in a spreadsheet: no cell runs as a formula."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from app.web.ui.exports import neutralise, write_table

# What Excel or LibreOffice would still run as a formula after trimming or widening.
DISGUISED_FORMULAS = [
    " =1+1",
    "   +1+1",
    "\u3000=1+1",           # ideographic (full-width) space
    "\u00a0=1+1",           # no-break space
    "\uff1d1+1",            # full-width equals sign
    "\uff0b1+1",            # full-width plus sign
    "\uff0d1+1",            # full-width hyphen-minus
    "\uff20SUM(A1)",        # full-width commercial at
    " \uff1dcmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " \t\r\n-2+3",
    "\u22121+1",            # minus sign
    "\u200b=1+1",           # zero-width space
    "\ufeff=1+1",           # byte order mark
    "\u200d \u2060@SUM(A1)",  # zero-width joiner, word joiner
]


@pytest.mark.parametrize("text", DISGUISED_FORMULAS)
def test_text_that_would_run_after_trimming_or_widening_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Delft", " Delft", "Jan-Willem", "a=b", "\uff21BC", 5,
                                   -3, 2.5, None, ""])
def test_ordinary_text_and_numbers_are_left_alone(value):
    assert neutralise(value) == value


def test_csv_and_xlsx_files_neutralise_disguised_formulas(tmp_path):
    header = ["text", "number"]
    rows = [[text, -1] for text in DISGUISED_FORMULAS]
    write_table(tmp_path / "out.csv", header, rows)
    write_table(tmp_path / "out.xlsx", header, rows)
    with open(tmp_path / "out.csv", encoding="utf-8-sig", newline="") as handle:
        from_csv = list(csv.reader(handle, delimiter=";"))[1:]
    from_xlsx = list(load_workbook(tmp_path / "out.xlsx").active.values)[1:]
    assert [row[0] for row in from_csv] == ["'" + text for text in DISGUISED_FORMULAS]
    # XML reads a carriage return back as a newline; the apostrophe is what matters.
    assert [row[0] for row in from_xlsx] == ["'" + text.replace("\r\n", "\n").replace("\r", "\n")
                                             for text in DISGUISED_FORMULAS]
    # Numbers stay numbers: only text is neutralised.
    assert {row[1] for row in from_csv} == {"-1"} and {row[1] for row in from_xlsx} == {-1}
