"""Map builders: target outlines, selection, missing layer, drill-down and layer overrides (embedded GeoJSON)."""

from __future__ import annotations

import numpy as np

from gka_dash import facts, formatting, maps, mapview


def _names(fig):
    return [t.name for t in fig.data]


def test_outline_and_selected_traces():
    result = mapview.indicator_map(facts.load_feiten(), "GM0546", "wijk", "aandeel_0_15_pct",
                                   outline_codes=["WK054605", "WK054606"], selected_code="WK054609")
    outline = result.figure.data[_names(result.figure).index("Doelgebied agenda")]
    assert list(outline.locations) == ["WK054605", "WK054606"] and outline.marker.line.color == maps.TARGET_COLOUR
    selected = result.figure.data[_names(result.figure).index("Geselecteerd")]
    assert list(selected.locations) == ["WK054609"]
    assert isinstance(result.figure.data[0].geojson, dict)  # embedded without a URL
    assert result.figure.layout.map.style == "white-bg"


def test_drill_down_limits_to_the_buurten_of_one_wijk():
    result = mapview.indicator_map(facts.load_feiten(), "GM0546", "buurt", "aandeel_0_15_pct", wijk_code="WK054606")
    codes = list(result.table.frame["code"])
    assert codes and all(c.startswith("BU054606") for c in codes)
    assert "Morsdistrict (Leiden)" in result.figure.layout.title.text
    feature_ids = {f["id"] for f in result.figure.data[-1].geojson["features"]}
    assert feature_ids == set(codes)


def test_layer_label_and_formatter_override_the_catalogue():
    feiten = facts.load_feiten()
    layer = facts.areas("GM0546", "wijk")[["code"]].assign(indicator="gka_eur_per_kind", jaar=2024, bron="GKA-agenda")
    layer["waarde"] = np.where(layer["code"] == "WK054605", np.nan, 12.4)
    merged = facts.merge_feiten(feiten, layer)
    result = mapview.indicator_map(merged, "GM0546", "wijk", "gka_eur_per_kind", label="GKA-geld per kind",
                                   formatter=formatting.euro)
    missing, valued = result.figure.data[0], result.figure.data[1]
    assert list(missing.locations) == ["WK054605"]  # NaN drawn in the missing layer, not as 0
    assert valued.customdata[0][1] == "€ 12"
    assert result.figure.layout.title.text.startswith("GKA-geld per kind")
    assert result.source.startswith("Bron: GKA-agenda, peiljaar 2024")


def test_view_for_bounds_zooms_in_on_small_areas():
    small = maps.view_for_bounds((4.45, 52.13, 4.53, 52.18))
    large = maps.view_for_bounds((3.3, 50.7, 7.2, 53.6))
    assert small["zoom"] > large["zoom"] > 0
