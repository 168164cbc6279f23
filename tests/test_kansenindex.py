"""The kansenindex formula on hand-built frames (expected values derived by hand) and on Leiden's wijken."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from gka_dash import facts, kansenindex

# Three areas; income (lower = kansarmer) and WOZ (lower = kansarmer), herkomst (higher = kansarmer).
INKOMEN = [20.0, 30.0, 40.0]  # mean 30, population sd sqrt(200/3)
WOZ = [200.0, 300.0, 400.0]
HERKOMST = [30.0, 20.0, 10.0]


def _table(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame({
        "code": ["WK1", "WK2", "WK3"], "naam": ["Arm", "Midden", "Rijk"],
        "inkomen_per_inwoner_x1000_eur": INKOMEN, "woz_waarde_x1000_eur": WOZ, "herkomst_buiten_europa_pct": HERKOMST,
    })
    return frame.assign(**overrides)


def test_z_scores_have_the_direction_of_the_catalogue():
    result = kansenindex.compute(_table(), "wijk", {"inkomen_per_inwoner_x1000_eur": 1.0})
    sd = math.sqrt(200 / 3)
    by_name = result.scores.set_index("naam")
    assert by_name.at["Arm", "z_inkomen_per_inwoner_x1000_eur"] == pytest.approx(10 / sd)  # lower income -> positive
    assert by_name.at["Rijk", "kansenindex"] == pytest.approx(-10 / sd)
    assert list(result.scores["naam"]) == ["Arm", "Midden", "Rijk"]
    assert list(result.scores["rang"]) == [1, 2, 3]


def _four(herkomst) -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["WK1", "WK2", "WK3", "WK4"], "naam": ["Arm", "Midden", "Rijk", "Vier"],
        "inkomen_per_inwoner_x1000_eur": [20.0, 30.0, 40.0, 30.0], "herkomst_buiten_europa_pct": herkomst,
    })


def test_weighted_mean_over_available_components():
    weights = {"inkomen_per_inwoner_x1000_eur": 3.0, "herkomst_buiten_europa_pct": 1.0}
    result = kansenindex.compute(_four([30.0, 20.0, np.nan, 10.0]), "wijk", weights).scores.set_index("naam")
    z_ink = 10 / math.sqrt(50)  # income mean 30, population sd sqrt(200/4)
    z_her = 10 / math.sqrt(200 / 3)  # herkomst over three areas: mean 20
    assert result.at["Arm", "kansenindex"] == pytest.approx((3 * z_ink + 1 * z_her) / 4)
    # Rijk lacks herkomst: its score is the income z alone (weight 3 of 4 >= half).
    assert result.at["Rijk", "kansenindex"] == pytest.approx(-z_ink)
    assert result.at["Rijk", "componenten"] == 1


def test_area_with_too_little_weight_gets_no_score():
    weights = {"inkomen_per_inwoner_x1000_eur": 1.0, "herkomst_buiten_europa_pct": 3.0}
    scores = kansenindex.compute(_four([30.0, 20.0, np.nan, 10.0]), "wijk", weights).scores.set_index("naam")
    assert np.isnan(scores.at["Rijk", "kansenindex"]) and np.isnan(scores.at["Rijk", "rang"])
    assert scores["kansenindex"].notna().sum() == 3


def test_component_with_too_few_areas_is_left_out():
    result = kansenindex.compute(_four([30.0, np.nan, np.nan, 10.0]), "wijk",
                                 {"inkomen_per_inwoner_x1000_eur": 1.0, "herkomst_buiten_europa_pct": 1.0})
    reason = result.components.set_index("indicator").at["herkomst_buiten_europa_pct", "reden"]
    assert reason == kansenindex.REASON_TOO_FEW.format(n=2, min=kansenindex.MIN_AREAS)


def test_left_out_components_say_why():
    table = _table(woz_waarde_x1000_eur=[300.0, 300.0, 300.0])
    weights = {"inkomen_per_inwoner_x1000_eur": 1.0, "woz_waarde_x1000_eur": 1.0, "herkomst_buiten_europa_pct": 0.0}
    result = kansenindex.compute(table, "wijk", weights)
    reasons = result.components.set_index("indicator")["reden"]
    assert reasons["woz_waarde_x1000_eur"] == kansenindex.REASON_NO_SPREAD
    assert reasons["herkomst_buiten_europa_pct"] == kansenindex.REASON_ZERO_WEIGHT
    assert reasons["laag_inkomen_pct"].startswith("niet beschikbaar op dit niveau")
    assert result.used == ["inkomen_per_inwoner_x1000_eur"]
    summary = kansenindex.left_out_summary(result)
    assert any(line.startswith("gewicht 0: Aandeel herkomst buiten Europa") for line in summary)


def test_reference_changes_the_standardisation():
    reference = pd.DataFrame({"inkomen_per_inwoner_x1000_eur": [10.0, 30.0, 50.0]})  # mean 30, sd sqrt(800/3)
    result = kansenindex.compute(_table(), "wijk", {"inkomen_per_inwoner_x1000_eur": 1.0}, reference=reference)
    arm = result.scores.set_index("naam").at["Arm", "kansenindex"]
    assert arm == pytest.approx(10 / math.sqrt(800 / 3))


@pytest.mark.parametrize("weights,match", [
    ({"inwoners": 1.0}, "geen richting"),
    ({"woz_waarde_x1000_eur": -1.0}, "0 of groter"),
    ({"bestaat_niet": 1.0}, "onbekende indicator"),
])
def test_bad_weights_are_refused(weights, match):
    with pytest.raises((ValueError, KeyError), match=match):
        kansenindex.compute(_table(), "wijk", weights)


def test_leiden_wijken_real_data():
    table = facts.wide(facts.load_feiten(), "GM0546", "wijk")
    result = kansenindex.compute(table.frame, "wijk")
    assert set(result.used) == {"herkomst_buiten_europa_pct", "woz_waarde_x1000_eur", "koopwoningen_pct",
                                "inkomen_per_inwoner_x1000_eur"}
    assert result.scores["kansenindex"].notna().sum() == 10
    # z-scores are standardised over the 10 wijken, so the weighted mean of scores is 0.
    assert result.scores["kansenindex"].mean() == pytest.approx(0.0, abs=1e-9)
    ranks = kansenindex.ranks_of(result, ["WK054605", "WK054606"])
    assert list(ranks["van"]) == [10, 10]
    assert len(kansenindex.candidates(result, 3)) == 3
    report = kansenindex.component_report(result, table.jaren, table.bronnen)
    assert (report.loc[report["gebruikt"] == "ja", "jaar"] == 2024).all()
    assert "CBS" in kansenindex.source_line(result, table.jaren, table.bronnen)


def test_no_component_at_all_gives_no_scores():
    table = pd.DataFrame({"code": ["WK1", "WK2"], "naam": ["a", "b"]})
    result = kansenindex.compute(table, "wijk", {})
    assert result.used == [] and result.scores["kansenindex"].isna().all()
    assert kansenindex.source_line(result, {}, {}) == "Bron: geen gegevens"
