"""Chart builders: source line, Dutch formats, colour-blind palette, NaN never drawn as 0."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gka_dash import charts, formatting

SOURCE = "Bron: CBS KWB 2024 (85984NED), peiljaar 2024"
FRAME = pd.DataFrame({"code": ["WK1", "WK2", "WK3"], "naam": ["Noord", "Zuid", "Oost"], "v": [1234.4, np.nan, 12.5]})


def _annotations(fig):
    return [a.text for a in fig.layout.annotations]


def test_source_is_required():
    with pytest.raises(ValueError, match="source"):
        charts.ranking_bar(FRAME, "v", title="t", value_label="v", source="")


def test_ranking_bar_formats_dutch_and_keeps_nan_missing():
    fig = charts.ranking_bar(FRAME, "v", title="t", value_label="Bedrag", source=SOURCE, formatter=formatting.euro,
                             highlight_codes=["WK3"], reference_lines={"Nederland": 100.0, "Leeg": np.nan})
    assert SOURCE in _annotations(fig)
    assert "Nederland: € 100" in _annotations(fig)  # NaN reference skipped, not drawn at 0
    base, high = fig.data
    assert list(base.text) == ["€ 1.234", formatting.MISSING_TEXT]
    assert np.isnan(base.x[1])  # missing stays missing
    assert high.marker.color == charts.HIGHLIGHT and high.name == "Doelgebied agenda"
    assert fig.layout.separators == ",."
    assert list(fig.layout.yaxis.categoryarray) == ["Oost", "Zuid", "Noord"]  # first row on top


def test_grouped_bar_uses_okabe_ito_and_reference_line():
    frame = pd.DataFrame({"jaar": [2019, 2019, 2020], "financier": ["GKA", "Totaal", "GKA"], "e": [10.0, 25.5, 12.0]})
    fig = charts.grouped_bar(frame, "jaar", "e", color="financier", title="t", value_label="€ per kind",
                             source=SOURCE, formatter=lambda v: formatting.euro(v, 2), reference_lines={"OAB": 180.0})
    assert [t.marker.color for t in fig.data] == charts.OKABE_ITO[:2]
    assert [t.name for t in fig.data] == ["GKA", "Totaal"]
    assert list(fig.data[1].text) == ["€ 25,50"]
    assert "OAB: € 180,00" in _annotations(fig)


def test_timeline_draws_inclusive_years_and_skips_rows_without_start():
    frame = pd.DataFrame({"naam": ["A", "B", "C"], "thema": ["x", "y", "x"], "start": [2019, 2020, np.nan],
                          "eind": [2021, np.nan, np.nan]})
    fig = charts.timeline(frame, start="start", end="eind", label="naam", group="thema", title="t", source=SOURCE)
    widths = {y: w for trace in fig.data for y, w in zip(trace.y, trace.x)}
    assert widths == {"A": 3.0, "B": 1.0}


def test_component_heatmap_symmetric_diverging_scale():
    frame = pd.DataFrame({"naam": ["a", "b"], "z_x": [1.5, -0.5], "z_y": [np.nan, 2.0]})
    fig = charts.component_heatmap(frame, {"z_x": "X", "z_y": "Y"}, title="t", source=SOURCE)
    heat = fig.data[0]
    assert heat.zmin == -2.0 and heat.zmax == 2.0 and heat.zmid == 0
    assert heat.text[0][1] == formatting.NO_DATA_TEXT and heat.text[0][0] == "1,50"


def test_profile_index_reference_at_100():
    frame = pd.DataFrame({"label": ["A", "B"], "i": [120.0, 80.0]})
    fig = charts.profile_index(frame, {"i": "Leiden"}, title="t", source=SOURCE,
                               formatted={"i": pd.Series(["12,0%", "8,0%"])})
    assert fig.layout.shapes[0].x0 == 100
    assert list(fig.data[0].customdata[:, 0]) == ["12,0%", "8,0%"]
