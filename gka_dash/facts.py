"""The merged view the app reads: the embedded snapshot overlaid with analysts' uploads.

Facts are long (``code, indicator, jaar, waarde, bron``); :func:`wide` turns the facts of one
gemeente (or all gemeenten) at one level into a table with one row per area and one column per
indicator, the year and source of every column kept alongside (DESIGN §1, §5).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from gka_dash import indicators, paths

FACT_COLUMNS = ["code", "indicator", "jaar", "waarde", "bron"]
AREA_COLUMNS = ["code", "naam", "niveau", "gemeente_code", "gemeente_naam", "wijk_code"]
NL_CODE = "NL00"


class UnknownAreaError(KeyError):
    """A gemeente/wijk/buurt code that the snapshot does not know."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@lru_cache(maxsize=1)
def load_gebieden() -> pd.DataFrame:
    """All KWB regions (land, gemeenten, wijken, buurten) of the snapshot."""
    _require(paths.GEBIEDEN_FILE)
    return pd.read_parquet(paths.GEBIEDEN_FILE)


@lru_cache(maxsize=1)
def load_snapshot_feiten() -> pd.DataFrame:
    _require(paths.FEITEN_FILE)
    frame = pd.read_parquet(paths.FEITEN_FILE)
    return _normalise(frame)


def _require(path) -> None:
    if not path.exists():
        raise FileNotFoundError(
            f"{path} ontbreekt; bouw de snapshot met: python -m gka_dash snapshot build --source ../shared/cbs"
        )


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[FACT_COLUMNS].copy()
    for column in ("code", "indicator", "bron"):
        out[column] = out[column].astype(str)
    out["jaar"] = out["jaar"].astype(int)
    out["waarde"] = out["waarde"].astype(float)
    return out


def merge_feiten(snapshot: pd.DataFrame, uploaded: pd.DataFrame | None) -> pd.DataFrame:
    """Overlay uploaded facts on the snapshot: an upload for the same code/indicator/year wins."""
    if uploaded is None or uploaded.empty:
        return snapshot
    merged = pd.concat([_normalise(uploaded), snapshot], ignore_index=True)
    return merged.drop_duplicates(["code", "indicator", "jaar"], keep="first").reset_index(drop=True)


def load_feiten(uploaded: pd.DataFrame | None = None) -> pd.DataFrame:
    """Snapshot facts, overlaid with ``uploaded`` facts when given (from the store)."""
    return merge_feiten(load_snapshot_feiten(), uploaded)


def gemeenten() -> pd.DataFrame:
    """All gemeenten, sorted by name: ``code``, ``naam``."""
    frame = load_gebieden()
    return frame.loc[frame["niveau"] == "gemeente", ["code", "naam"]].sort_values("naam").reset_index(drop=True)


def area(code: str) -> pd.Series:
    """One region's row; raises :class:`UnknownAreaError` with a Dutch message."""
    frame = load_gebieden()
    match = frame[frame["code"] == code]
    if match.empty:
        raise UnknownAreaError(f"onbekende CBS-code '{code}': niet in de KWB 2024-indeling")
    return match.iloc[0]


def areas(gemeente_code: str | None, niveau: str) -> pd.DataFrame:
    """The regions of one gemeente at a level (``gemeente_code=None``: the whole country)."""
    frame = load_gebieden()
    if gemeente_code is not None:
        if area(gemeente_code)["niveau"] != "gemeente":
            raise UnknownAreaError(f"'{gemeente_code}' is geen gemeentecode (GMxxxx)")
        frame = frame[frame["gemeente_code"] == gemeente_code]
    # A gemeente's own row has gemeente_code == its code, so 'gemeente' level yields that one row.
    return frame[frame["niveau"] == niveau].reset_index(drop=True)


@dataclass
class IndicatorTable:
    """One row per area, one column per indicator id, with each column's year and source."""

    frame: pd.DataFrame
    jaren: dict[str, int] = field(default_factory=dict)
    bronnen: dict[str, str] = field(default_factory=dict)

    @property
    def indicator_ids(self) -> list[str]:
        return [c for c in self.frame.columns if c not in AREA_COLUMNS]

    def source_line(self, indicator_id: str) -> str:
        """"Bron: CBS KWB 2024 (85984NED)" for a column; derived shares name their inputs' source."""
        bron = self.bronnen.get(indicator_id)
        return f"Bron: {bron}" if bron else "Bron: geen gegevens"


def wide(
    feiten: pd.DataFrame,
    gemeente_code: str | None,
    niveau: str,
    jaar: int | None = None,
) -> IndicatorTable:
    """Pivot the facts of one gemeente (or NL) at one level; derived shares added.

    Args:
        feiten: long facts (see :func:`load_feiten`).
        gemeente_code: GMxxxx, or None for every gemeente/wijk/buurt of the country.
        niveau: 'gemeente', 'wijk' or 'buurt'.
        jaar: per indicator, the latest year <= ``jaar`` is used (None: the latest there is).

    Notes:
        Each indicator shows one year for all areas, so a map never mixes years.
    """
    regions = areas(gemeente_code, niveau)
    return _pivot(regions, feiten[feiten["code"].isin(regions["code"])], jaar)


def wide_for_codes(feiten: pd.DataFrame, codes: list[str], jaar: int | None = None) -> IndicatorTable:
    """Like :func:`wide`, for an explicit list of codes (e.g. a wijk, its gemeente and NL)."""
    frame = load_gebieden()
    regions = frame.set_index("code").loc[[c for c in codes if c in set(frame["code"])]].reset_index()
    return _pivot(regions, feiten[feiten["code"].isin(regions["code"])], jaar)


def _pivot(regions: pd.DataFrame, facts: pd.DataFrame, jaar: int | None) -> IndicatorTable:
    if jaar is not None:
        facts = facts[facts["jaar"] <= jaar]
    latest = facts.groupby("indicator")["jaar"].max()
    facts = facts[facts["jaar"].to_numpy() == facts["indicator"].map(latest).to_numpy()]
    values = facts.pivot_table(index="code", columns="indicator", values="waarde", aggfunc="first")
    frame = regions[AREA_COLUMNS].merge(values, left_on="code", right_index=True, how="left")
    jaren = {ind: int(year) for ind, year in latest.items()}
    bronnen = facts.groupby("indicator")["bron"].first().to_dict()
    _add_derived(frame, jaren, bronnen)
    ordered = [c for c in indicators.CATALOGUE if c in frame.columns]
    extra = sorted(c for c in frame.columns if c not in AREA_COLUMNS and c not in indicators.CATALOGUE)
    return IndicatorTable(frame[AREA_COLUMNS + ordered + extra].copy(), jaren, bronnen)


def _add_derived(frame: pd.DataFrame, jaren: dict[str, int], bronnen: dict[str, str]) -> None:
    """Derived shares in percent; hidden (NaN) over too few inhabitants (DESIGN §5)."""
    for ind in indicators.derived_indicators():
        if ind.numerator not in frame or ind.denominator not in frame:
            continue
        numerator, denominator = frame[ind.numerator], frame[ind.denominator]
        share = 100.0 * numerator / denominator.where(denominator > 0)
        frame[ind.id] = share.where(denominator >= indicators.MIN_INWONERS_FOR_SHARE)
        jaren[ind.id] = jaren.get(ind.numerator, jaren.get(ind.denominator))
        bronnen[ind.id] = bronnen.get(ind.numerator, "")


def suppressed_share(frame: pd.DataFrame, indicator_id: str) -> pd.Series:
    """True where a derived share is hidden because the population is too small."""
    ind = indicators.get(indicator_id)
    if not ind.is_derived or ind.denominator not in frame:
        return pd.Series(False, index=frame.index)
    return frame[ind.denominator].lt(indicators.MIN_INWONERS_FOR_SHARE) & frame[ind.denominator].notna()


def reference_values(feiten: pd.DataFrame, gemeente_code: str, indicator_id: str, jaar: int | None = None) -> dict[str, float]:
    """The value of an indicator for a gemeente and for NL (for profiles and comparisons)."""
    table = wide_for_codes(feiten, [gemeente_code, NL_CODE], jaar)
    values = table.frame.set_index("code").get(indicator_id)
    if values is None:
        return {gemeente_code: np.nan, NL_CODE: np.nan}
    return {code: float(values.get(code, np.nan)) for code in (gemeente_code, NL_CODE)}
