"""Comparisons on hand-built frames and on real CBS slices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gka_dash import compare, facts

FRAME = pd.DataFrame({"code": ["A", "B", "C", "D"], "naam": ["a", "b", "c", "d"], "x": [3.0, np.nan, 5.0, 3.0]})


def test_ranked_keeps_missing_rows_last_without_rank():
    out = compare.ranked(FRAME, "x")
    assert list(out["code"]) == ["C", "A", "D", "B"]
    assert list(out["rang"][:3]) == [1, 2, 2] and np.isnan(out["rang"].iloc[3])
    assert list(compare.ranked(FRAME, "x", highest_first=False)["code"][:1]) == ["A"]


def test_ranked_unknown_indicator_gives_no_data_not_zero():
    out = compare.ranked(FRAME, "bestaat_niet")
    assert out["waarde"].isna().all() and len(out) == 4


def test_position():
    assert compare.position(FRAME, "x", "C") == {"rang": 1, "van": 3, "percentiel": 100.0}
    assert compare.position(FRAME, "x", "B")["rang"] is None


def test_profile_leiden_wijk_gemeente_nl():
    feiten = facts.load_feiten()
    out = compare.profile(feiten, ["WK054605", "GM0546", "NL00"])
    kinderen = out.set_index("indicator").loc["kinderen_0_15"]
    assert kinderen["NL00"] > kinderen["GM0546"] > kinderen["WK054605"] > 0
    # A gemeente-only indicator: NaN for the wijk (never 0), values for gemeente and NL.
    laag = out.set_index("indicator").loc["laag_inkomen_pct"]
    assert np.isnan(laag["WK054605"]) and laag["GM0546"] > 0 and laag["NL00"] > 0
    assert laag["jaar"] == 2021 and "CBS" in laag["bron"]


def test_gemeente_vs_nl_index():
    out = compare.gemeente_vs_nl(facts.load_feiten(), "GM0546").set_index("indicator")
    row = out.loc["aandeel_0_15_pct"]
    assert row["index_nl"] == pytest.approx(100 * row["GM0546"] / row["NL00"])
    assert row["verschil"] == pytest.approx(row["GM0546"] - row["NL00"])


def test_gemeenten_table_has_all_gemeenten_and_nl():
    out = compare.gemeenten_table(facts.load_feiten(), ["aandeel_0_15_pct"])
    assert len(out) == 343 and out["code"].iloc[-1] == "NL00"
    assert out["aandeel_0_15_pct"].notna().all()


def test_top_with_keeps_highlighted_rows_visible():
    ranks = compare.ranked(FRAME, "x")
    assert list(compare.top_with(ranks, 1)["code"]) == ["C"]
    assert list(compare.top_with(ranks, 1, ["D"])["code"]) == ["C", "D"]
    assert "B" not in set(compare.top_with(ranks, 3, ["B"])["code"])  # no value: not drawn
