"""Formula injection: text that a spreadsheet would run is neutralised; numbers stay numbers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from gka_dash.export_safety import neutralise_formulas, neutralise_text


@pytest.mark.parametrize("text", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "\t=1", "\r=1"])
def test_formula_like_text_gets_an_apostrophe(text):
    assert neutralise_text(text) == "'" + text


@pytest.mark.parametrize("value", ["Leiden", "", " =1", "a=b", 5, -3.5, None])
def test_other_values_unchanged(value):
    assert neutralise_text(value) == value


def test_frame_numbers_keep_dtype_and_text_is_neutralised():
    frame = pd.DataFrame({"naam": ["=cmd|' /C calc'!A0", "Noord"], "waarde": [-5.0, 3.0], "=kop": [1, 2]})
    safe = neutralise_formulas(frame)
    assert safe["naam"].tolist() == ["'=cmd|' /C calc'!A0", "Noord"]
    assert safe["waarde"].tolist() == [-5.0, 3.0] and safe["waarde"].dtype == float
    assert "'=kop" in safe.columns
    assert frame["naam"].iloc[0].startswith("=")  # the input is not modified


def test_xlsx_written_from_neutralised_frame_has_no_formula(tmp_path):
    frame = neutralise_formulas(pd.DataFrame({"naam": ["=1+1", "@x"]}))
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [sheet.cell(row=r, column=1) for r in (2, 3)]
    assert all(cell.data_type == "s" for cell in cells)
    assert [c.value for c in cells] == ["'=1+1", "'@x"]


def test_string_dtype_column_is_neutralised():
    frame = pd.DataFrame({"t": pd.Series(["-x", "y"], dtype="string")})
    assert neutralise_formulas(frame)["t"].tolist() == ["'-x", "y"]
