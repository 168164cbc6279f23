"""Compose an indicator map: facts table + boundaries + catalogue labels -> plotly Figure.

Shared by the Kaart page, the presentation page and the exports, so a map is drawn one way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from gka_dash import facts, formatting, geo, indicators, labels, maps

NIVEAU_LABELS = {"gemeente": "Gemeenten", "wijk": "Wijken", "buurt": "Buurten"}


@dataclass
class MapResult:
    figure: go.Figure
    table: facts.IndicatorTable
    source: str
    without_geometry: pd.DataFrame  # areas the snapshot has no boundary for


def data_source(table: facts.IndicatorTable, indicator_id: str) -> str:
    """'Bron: CBS KWB 2024 (85984NED), peiljaar 2024' for a chart without boundaries."""
    bron = table.bronnen.get(indicator_id)
    jaar = table.jaren.get(indicator_id)
    return f"Bron: {bron}, peiljaar {jaar}" if bron and jaar else f"Bron: {formatting.NO_DATA_TEXT}"


def source_text(table: facts.IndicatorTable, indicator_id: str) -> str:
    """'Bron: CBS KWB 2024 (85984NED), peiljaar 2024; grenzen CBS/PDOK 2024' — every map carries it."""
    return f"{data_source(table, indicator_id)}; grenzen {geo.BRON_GEO}"


def indicator_map(
    feiten: pd.DataFrame,
    gemeente_code: str | None,
    niveau: str,
    indicator_id: str,
    *,
    jaar: int | None = None,
    geojson_url: str | None = None,
    outline_codes: list[str] | None = None,
    selected_code: str | None = None,
    units: dict[str, str] | None = None,
    height: int = maps.MAP_HEIGHT,
    wijk_code: str | None = None,
    label: str | None = None,
    formatter=None,
) -> MapResult:
    """The map of one indicator for a gemeente (or NL when ``gemeente_code`` is None).

    ``geojson_url`` is used when given (the app); otherwise the GeoJSON is embedded in the figure
    (static export, tests).

    Keyword-only extras: ``wijk_code`` limits a buurt map to the buurten of one wijk (drill-down);
    ``label`` and ``formatter`` (value -> Dutch text) replace the catalogue's label and format for
    a layer the catalogue does not know (e.g. funding per child).
    """
    table = facts.wide(feiten, gemeente_code, niveau, jaar)
    boundaries = geo.load_boundaries(niveau)
    if gemeente_code is not None:
        boundaries = boundaries[boundaries["gemeente_code"] == gemeente_code]
    if wijk_code is not None:
        in_wijk = table.frame["code"].str[2:].str.startswith(wijk_code[2:])
        table = facts.IndicatorTable(table.frame[in_wijk].reset_index(drop=True), table.jaren, table.bronnen)
        boundaries = boundaries[boundaries["code"].isin(table.frame["code"])]
    has_geometry = table.frame["code"].isin(boundaries["code"])
    frame = table.frame[has_geometry].reset_index(drop=True)
    if indicator_id not in frame:
        frame[indicator_id] = float("nan")
    value_label = label or labels.indicator_label(indicator_id, units)
    unit = "" if label else labels.indicator_unit(indicator_id, units)
    format_value = formatter or (lambda v: formatting.indicator_value(indicator_id, v, unit))
    hover_values = frame[indicator_id].map(format_value)
    place = "Nederland" if gemeente_code is None else facts.area(gemeente_code)["naam"]
    if wijk_code is not None:
        place = f"{facts.area(wijk_code)['naam']} ({place})"
    title = f"{value_label} — {NIVEAU_LABELS[niveau].lower()} van {place}"
    source = source_text(table, indicator_id)
    geojson = geojson_url or json.loads(boundaries[["code", "geometry"]].set_index("code").to_json())
    direction = indicators.CATALOGUE.get(indicator_id)
    figure = maps.choropleth(
        frame, indicator_id, geojson=geojson, bounds=tuple(boundaries.total_bounds), title=title,
        value_label=f"{value_label} ({unit})" if unit and unit != "aantal" else value_label,
        source=source, hover_values=hover_values,
        reverse_scale=bool(direction and direction.direction in maps.REVERSED_FOR),
        outline_codes=outline_codes, selected_code=selected_code, height=height,
    )
    return MapResult(figure, table, source, table.frame.loc[~has_geometry, ["code", "naam"]])
