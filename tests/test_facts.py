"""The merged view: pivot per level, derived shares, small-number suppression, upload overlay."""

import math

import pandas as pd
import pytest

from gka_dash import facts, indicators

# KWB 2024, Leiden wijk 01 Binnenstad-Noord (CBS StatLine).
BINNENSTAD_NOORD = "WK054601"
INWONERS, KINDEREN = 15545, 1010


@pytest.fixture(scope="module")
def feiten():
    return facts.load_feiten()


def test_wide_leiden_wijken(feiten):
    table = facts.wide(feiten, "GM0546", "wijk")
    assert len(table.frame) == 10
    row = table.frame.set_index("code").loc[BINNENSTAD_NOORD]
    assert row["inwoners"] == INWONERS and row["kinderen_0_15"] == KINDEREN
    assert row["aandeel_0_15_pct"] == pytest.approx(100 * KINDEREN / INWONERS)
    assert table.jaren["kinderen_0_15"] == 2024
    assert "85984NED" in table.bronnen["kinderen_0_15"]


def test_gemeente_level_is_the_gemeente_row(feiten):
    table = facts.wide(feiten, "GM0118", "gemeente")
    assert list(table.frame["code"]) == ["GM0118"]
    assert "jeugdzorg_pct" in table.indicator_ids


def test_year_filter_picks_latest_year_not_after(feiten):
    table = facts.wide(feiten, "GM0546", "gemeente", jaar=2021)
    assert table.jaren["jeugdzorg_pct"] == 2021
    assert "kinderen_0_15" not in table.indicator_ids or table.frame["kinderen_0_15"].isna().all()


def test_share_hidden_below_minimum_population():
    frame = pd.DataFrame({
        "code": ["BU1", "BU2"], "inwoners": [indicators.MIN_INWONERS_FOR_SHARE - 5, 400.0],
        "kinderen_0_15": [10.0, 100.0],
    })
    jaren, bronnen = {"inwoners": 2024, "kinderen_0_15": 2024}, {}
    facts._add_derived(frame, jaren, bronnen)
    assert math.isnan(frame.loc[0, "aandeel_0_15_pct"])
    assert frame.loc[1, "aandeel_0_15_pct"] == 25.0
    assert facts.suppressed_share(frame, "aandeel_0_15_pct").tolist() == [True, False]


def test_upload_supersedes_snapshot_for_same_key(feiten):
    upload = pd.DataFrame([
        {"code": BINNENSTAD_NOORD, "indicator": "kinderen_0_15", "jaar": 2024, "waarde": 999.0, "bron": "upload"},
        {"code": BINNENSTAD_NOORD, "indicator": "eigen_score", "jaar": 2025, "waarde": 7.5, "bron": "upload"},
    ])
    merged = facts.merge_feiten(feiten, upload)
    table = facts.wide(merged, "GM0546", "wijk").frame.set_index("code")
    assert table.loc[BINNENSTAD_NOORD, "kinderen_0_15"] == 999.0
    assert table.loc[BINNENSTAD_NOORD, "eigen_score"] == 7.5
    assert math.isnan(table.loc["WK054600", "eigen_score"])
    assert len(merged) == len(feiten) + 1


def test_unknown_code_is_a_dutch_error(feiten):
    with pytest.raises(facts.UnknownAreaError, match="onbekende CBS-code 'GM9999'"):
        facts.wide(feiten, "GM9999", "wijk")


def test_reference_values_gemeente_and_nl(feiten):
    values = facts.reference_values(feiten, "GM0546", "kinderen_0_15")
    assert values["GM0546"] == 15294 and values["NL00"] == 2714040
