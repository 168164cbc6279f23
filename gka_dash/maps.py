"""Pure map builders: an indicator table and boundaries in, a plotly Figure out (DESIGN §6).

Offline by construction: ``map_style="white-bg"`` needs no tiles; the gemeente outline and the
area borders come from our own geometry. ``geojson`` is either a URL (the app, so the geometry
travels once as a static file) or a dict (static image export, AppTest).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from gka_dash import formatting

# Colour-blind-safe sequential scale (viridis family); missing values in a distinct light grey.
SEQUENTIAL_SCALE = "Viridis"
REVERSED_FOR = {"lager_is_kansarmer"}
MISSING_COLOUR = "#d9d9d9"
BORDER_COLOUR = "#ffffff"
TARGET_COLOUR = "#e4572e"  # target areas: orange-red outline, readable next to viridis
MAP_HEIGHT = 620


def view_for_bounds(bounds: tuple[float, float, float, float], width_px: int = 900, height_px: int = MAP_HEIGHT) -> dict:
    """Centre and zoom that fit (minx, miny, maxx, maxy) in a map of the given size."""
    minx, miny, maxx, maxy = bounds
    centre = {"lon": (minx + maxx) / 2, "lat": (miny + maxy) / 2}
    lon_span = max(maxx - minx, 1e-4)
    lat_span = max(maxy - miny, 1e-4) / math.cos(math.radians(centre["lat"]))
    zoom_lon = math.log2(360 * width_px / (512 * lon_span))
    zoom_lat = math.log2(360 * height_px / (512 * lat_span))
    return {"center": centre, "zoom": max(min(zoom_lon, zoom_lat) - 0.4, 0)}


def choropleth(
    frame: pd.DataFrame,
    value_column: str,
    *,
    geojson,
    bounds: tuple[float, float, float, float],
    title: str,
    value_label: str,
    source: str,
    hover_values: pd.Series,
    reverse_scale: bool = False,
    outline_codes: list[str] | None = None,
    selected_code: str | None = None,
    height: int = MAP_HEIGHT,
) -> go.Figure:
    """A choropleth of ``frame[value_column]`` by ``frame['code']``.

    Args:
        frame: one row per area with ``code``, ``naam`` and the value column.
        geojson: URL or GeoJSON dict whose feature ``id`` is the CBS code.
        bounds: (minx, miny, maxx, maxy) of the areas, to fit the view.
        title: chart title; ``source`` is required and shown under the map (DESIGN §5).
        hover_values: formatted value per row (Dutch format, unit), shown on hover.
        outline_codes: target areas, drawn with a thick outline and listed in the legend.
    """
    values = frame[value_column].astype(float)
    has_value = values.notna().to_numpy()
    hover = (
        "<b>%{customdata[0]}</b><br>" + value_label + ": %{customdata[1]}<br>"
        "<span style='font-size:11px'>" + source + "</span><extra></extra>"
    )
    customdata = np.column_stack([frame["naam"].astype(str), hover_values.astype(str)])
    fig = go.Figure()
    if (~has_value).any():
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson, locations=frame.loc[~has_value, "code"], z=np.zeros(int((~has_value).sum())),
                colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], showscale=False,
                marker_line_color=BORDER_COLOUR, marker_line_width=0.8,
                customdata=customdata[~has_value], hovertemplate=hover,
                name=f"{formatting.NO_DATA_TEXT} / {formatting.MISSING_TEXT}", showlegend=True,
            )
        )
    if has_value.any():
        fig.add_trace(
            go.Choroplethmap(
                geojson=geojson, locations=frame.loc[has_value, "code"], z=values[has_value],
                colorscale=SEQUENTIAL_SCALE, reversescale=reverse_scale,
                marker_line_color=BORDER_COLOUR, marker_line_width=0.8, marker_opacity=0.9,
                customdata=customdata[has_value], hovertemplate=hover, name=value_label,
                colorbar={"title": {"text": value_label, "side": "right"}, "thickness": 14},
                showlegend=False,
            )
        )
    _add_outline(fig, geojson, outline_codes or [], "Doelgebied agenda", TARGET_COLOUR, 3.0)
    if selected_code:
        _add_outline(fig, geojson, [selected_code], "Geselecteerd", "#000000", 3.5)
    view = view_for_bounds(bounds, height_px=height)
    fig.update_layout(
        map={"style": "white-bg", **view},
        height=height,
        margin={"l": 0, "r": 0, "t": 48, "b": 60},
        title={"text": title, "x": 0.01},
        legend={"orientation": "h", "y": -0.02, "x": 0.0, "bgcolor": "rgba(255,255,255,0.8)"},
        annotations=[_source_annotation(source)],
        font={"size": 14},
        separators=",.",
    )
    return fig


def _add_outline(fig: go.Figure, geojson, codes: list[str], name: str, colour: str, width: float) -> None:
    if not codes:
        return
    fig.add_trace(
        go.Choroplethmap(
            geojson=geojson, locations=codes, z=np.zeros(len(codes)),
            colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], showscale=False,
            marker_line_color=colour, marker_line_width=width, hoverinfo="skip",
            name=name, showlegend=False,
        )
    )
    # A transparent choropleth has no visible legend swatch; an empty line trace gives one.
    fig.add_trace(
        go.Scattermap(lat=[None], lon=[None], mode="lines", line={"color": colour, "width": width},
                      name=name, showlegend=True, hoverinfo="skip")
    )


def _source_annotation(source: str) -> dict:
    return {
        "text": source, "showarrow": False, "xref": "paper", "yref": "paper", "x": 1.0, "y": -0.02,
        "yshift": -24, "xanchor": "right", "yanchor": "top", "font": {"size": 11, "color": "#444"},
    }
