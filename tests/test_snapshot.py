"""The committed snapshot: complete, consistent with CBS, and rebuilt identically by our own code."""

import json

import pandas as pd
import pytest
import shapely

from gka_dash import geo, paths, snapshot

# KWB 2024 (85984NED) as published: 342 gemeenten, 3,393 wijken, 14,574 buurten.
N_GEMEENTEN, N_WIJKEN, N_BUURTEN = 342, 3393, 14574
LEIDEN_INWONERS, LEIDEN_KINDEREN_0_15 = 130108, 15294  # CBS StatLine, GM0546


@pytest.fixture(scope="module")
def gebieden():
    return pd.read_parquet(paths.GEBIEDEN_FILE)


@pytest.fixture(scope="module")
def feiten():
    return pd.read_parquet(paths.FEITEN_FILE)


def test_all_regions_of_kwb_2024(gebieden):
    counts = gebieden["niveau"].value_counts()
    assert counts["gemeente"] == N_GEMEENTEN and counts["wijk"] == N_WIJKEN and counts["buurt"] == N_BUURTEN
    assert gebieden["code"].is_unique
    assert not gebieden["code"].str.contains(" ").any(), "CBS padding must be stripped"


def test_leiden_figures_match_statline(feiten):
    leiden = feiten[feiten["code"] == "GM0546"].set_index("indicator")["waarde"]
    assert leiden["inwoners"] == LEIDEN_INWONERS
    assert leiden["kinderen_0_15"] == LEIDEN_KINDEREN_0_15


def test_every_fact_has_year_source_and_no_zero_for_missing(feiten):
    assert feiten["waarde"].notna().all(), "missing values are absent, not stored"
    assert feiten["bron"].astype(str).str.len().gt(5).all()
    assert feiten["jaar"].between(2012, 2026).all()
    assert not feiten.duplicated(["code", "indicator", "jaar"]).any()


def test_gemeente_indicators_are_labelled_with_their_year(feiten):
    jeugdzorg = feiten[(feiten["code"] == "GM0546") & (feiten["indicator"] == "jeugdzorg_pct")]
    assert set(jeugdzorg["jaar"]) == {2021, 2022}
    assert all("2021" in b or "2022" in b for b in jeugdzorg["bron"].astype(str))


@pytest.mark.parametrize("level", ["gemeente", "wijk", "buurt"])
def test_boundaries_have_cbs_ids_and_fit_the_budget(level, gebieden):
    collection = json.loads(geo.boundary_file(level).read_text())
    ids = [f["id"] for f in collection["features"]]
    known = set(gebieden.loc[gebieden["niveau"] == level, "code"])
    assert len(ids) == len(set(ids)) and set(ids) <= known
    assert len(ids) >= 0.99 * len(known)
    coordinates = sum(
        shapely.get_num_coordinates(shapely.geometry.shape(f["geometry"])) for f in collection["features"]
    )
    assert coordinates <= geo.COORDINATE_BUDGET_BUURT


def test_snapshot_data_stays_compact():
    total = sum(p.stat().st_size for p in paths.DATA_DIR.rglob("*") if p.is_file())
    assert total < 25e6


@pytest.mark.skipif(not paths.SHARED_CBS_DEFAULT.is_dir(), reason="../shared/cbs not beside the repo")
def test_rebuild_from_shared_gives_the_committed_facts(tmp_path, feiten):
    report = snapshot.build(paths.SHARED_CBS_DEFAULT, tmp_path)
    rebuilt = pd.read_parquet(tmp_path / "cbs" / "feiten.parquet")
    pd.testing.assert_frame_equal(rebuilt.reset_index(drop=True), feiten.reset_index(drop=True))
    assert report.counts["gebieden_buurt"] == N_BUURTEN
