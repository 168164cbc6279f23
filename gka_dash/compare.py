"""Comparisons: areas ranked on an indicator, gemeenten side by side, an area against its gemeente and NL.

Pure: long facts or wide tables in, tidy frames out (the pages format and draw them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gka_dash import facts, indicators, labels

NL_CODE = facts.NL_CODE
PROFILE_COLUMNS = ["indicator", "label", "eenheid", "thema", "jaar", "bron"]


def ranked(frame: pd.DataFrame, indicator_id: str, highest_first: bool = True) -> pd.DataFrame:
    """Areas ranked on one indicator: ``code, naam, waarde, rang`` (rang 1 = highest by default).

    Areas without a value keep their row (``waarde`` NaN, no rank) at the end, so the table says
    "geen gegevens" rather than hiding them.
    """
    values = frame[indicator_id].astype(float) if indicator_id in frame else pd.Series(np.nan, index=frame.index)
    out = frame[["code", "naam"]].assign(waarde=values)
    out["rang"] = out["waarde"].rank(ascending=not highest_first, method="min")
    return out.sort_values(["rang", "naam"], na_position="last").reset_index(drop=True)


def profile(feiten: pd.DataFrame, codes: list[str], indicator_ids: list[str] | None = None) -> pd.DataFrame:
    """Several areas side by side on every indicator (e.g. a wijk, its gemeente and NL).

    Args:
        feiten: long facts.
        codes: area codes; each becomes a column named by the code, in this order.
        indicator_ids: which rows (default: every indicator with a value for at least one area).

    Returns:
        One row per indicator: ``indicator, label, eenheid, thema, jaar, bron`` and one column per
        code. Each indicator uses one (its latest) year for all areas, so the columns compare.
    """
    table = facts.wide_for_codes(feiten, codes)
    values = table.frame.set_index("code")
    ids = indicator_ids or [i for i in table.indicator_ids if values[i].notna().any()]
    rows = []
    for ind_id in ids:
        ind = indicators.CATALOGUE.get(ind_id)
        row = {
            "indicator": ind_id, "label": labels.indicator_label(ind_id), "eenheid": labels.indicator_unit(ind_id),
            "thema": ind.theme if ind else "Eigen indicatoren",
            "jaar": table.jaren.get(ind_id), "bron": table.bronnen.get(ind_id, ""),
        }
        for code in codes:
            row[code] = float(values.at[code, ind_id]) if ind_id in values and code in values.index else np.nan
        rows.append(row)
    return pd.DataFrame(rows, columns=PROFILE_COLUMNS + list(codes))


def relative_to(profile_frame: pd.DataFrame, code: str, reference_code: str = NL_CODE) -> pd.Series:
    """``code`` as an index against ``reference_code`` (= 100); NaN where either is missing or 0."""
    reference = profile_frame[reference_code].where(profile_frame[reference_code] != 0)
    return 100.0 * profile_frame[code] / reference


def gemeenten_table(feiten: pd.DataFrame, indicator_ids: list[str], codes: list[str] | None = None) -> pd.DataFrame:
    """All gemeenten (or ``codes``) side by side: ``code, naam`` and the indicators, plus NL as last row."""
    table = facts.wide(feiten, None, "gemeente")
    frame = table.frame
    if codes is not None:
        frame = frame[frame["code"].isin(codes)]
    nl = facts.wide_for_codes(feiten, [NL_CODE]).frame
    present = [i for i in indicator_ids if i in frame]
    out = pd.concat([frame[["code", "naam"] + present], nl.reindex(columns=["code", "naam"] + present)],
                    ignore_index=True)
    return out


def gemeente_vs_nl(feiten: pd.DataFrame, gemeente_code: str) -> pd.DataFrame:
    """A gemeente against NL on every indicator both have: profile + ``verschil`` and ``index_nl``."""
    frame = profile(feiten, [gemeente_code, NL_CODE])
    frame = frame[frame[gemeente_code].notna() | frame[NL_CODE].notna()].reset_index(drop=True)
    frame["verschil"] = frame[gemeente_code] - frame[NL_CODE]
    frame["index_nl"] = relative_to(frame, gemeente_code)
    return frame


def position(frame: pd.DataFrame, indicator_id: str, code: str) -> dict:
    """Where ``code`` stands among the rows of ``frame``: rank (1 = highest), of how many, percentile."""
    ranks = ranked(frame, indicator_id)
    row = ranks[ranks["code"] == code]
    total = int(ranks["waarde"].notna().sum())
    if row.empty or pd.isna(row["rang"].iloc[0]):
        return {"rang": None, "van": total, "percentiel": np.nan}
    rang = int(row["rang"].iloc[0])
    return {"rang": rang, "van": total, "percentiel": 100.0 * (total - rang) / max(total - 1, 1)}


def top_with(ranks: pd.DataFrame, n: int, codes: list[str] | None = None, value_column: str = "waarde") -> pd.DataFrame:
    """The first ``n`` rows with a value, plus the rows of ``codes`` further down (so they stay visible)."""
    valued = ranks.dropna(subset=[value_column])
    keep = valued.head(n)
    extra = valued.iloc[n:][valued.iloc[n:]["code"].isin(codes or [])]
    return pd.concat([keep, extra]).reset_index(drop=True)
