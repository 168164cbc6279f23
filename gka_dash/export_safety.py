"""Neutralise spreadsheet formula injection in CSV/XLSX exports.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return followed by text) is
run as a formula by Excel and LibreOffice when the export is opened, which an uploaded text can
abuse (OWASP "CSV Injection"). Such text cells get a leading apostrophe, which spreadsheets show
as plain text. Numbers are left alone: a negative number is data, not a formula.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"


def neutralise_text(value):
    """One cell: text starting like a formula gets an apostrophe in front; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return PREFIX + value
    return value


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` in which no text cell (nor column name) can start a formula.

    Only object/string columns are touched, so numeric columns keep their dtype and values.
    """
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            out[column] = series.map(neutralise_text)
    out.columns = [neutralise_text(c) for c in out.columns]
    if isinstance(out.index, pd.Index) and (pd.api.types.is_object_dtype(out.index)
                                            or pd.api.types.is_string_dtype(out.index)):
        out.index = out.index.map(neutralise_text)
    return out
