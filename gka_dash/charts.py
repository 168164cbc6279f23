"""Pure chart builders: a DataFrame in, a plotly Figure out (DESIGN §2, §5).

Shared by the pages and the slide/PDF exports, so every chart is drawn one way:

- ``source`` is a required argument and is printed under the chart (and in the exported image);
- colours come from the Okabe-Ito palette (safe for the common colour-vision deficiencies) and
  the diverging "PuOr" scale; highlighted areas use :data:`HIGHLIGHT`;
- numbers on axes use Dutch separators (``1.234,5``); hover and bar labels use a ``formatter``
  (default :func:`gka_dash.formatting.number`), e.g. ``formatting.euro`` for "€ 1.234";
- fonts are large enough for a projector (:data:`FONT_SIZE`).

No Streamlit, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from gka_dash import formatting

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any common colour-vision deficiency.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BASE = "#0072B2"  # blue: ordinary bars
HIGHLIGHT = "#D55E00"  # vermillion: target areas / the selected gemeente
MUTED = "#B8B8B8"  # no data
DIVERGING_SCALE = "PuOr_r"  # purple (below average) .. orange (above); colour-blind safe
REFERENCE_DASH = ("dash", "dot", "dashdot", "longdash")
TICK_FORMAT = ",.10~g"  # with separators ",." -> 1.000.000 and 0,25; never "1M" or "1e+6"
FONT_SIZE = 15
SOURCE_WIDTH = 120  # characters per line of the source line under a chart
ROW_HEIGHT = 26

Formatter = Callable[[float], str]


def _fmt(formatter: Formatter | None) -> Formatter:
    return formatter or (lambda v: formatting.number(v, 1))


def _finish(fig: go.Figure, title: str, source: str, height: int) -> go.Figure:
    if not source:
        raise ValueError("source is required: every chart names its data source and year")
    fig.update_layout(
        title={"text": title, "x": 0.01},
        height=height,
        separators=",.",
        font={"size": FONT_SIZE},
        margin={"l": 10, "r": 20, "t": 100, "b": 70},
        plot_bgcolor="white",
        legend={"orientation": "h", "y": 1.07, "x": 1.0, "xanchor": "right", "yanchor": "bottom"},
        annotations=[*fig.layout.annotations, {
            "text": _wrap(source, SOURCE_WIDTH), "showarrow": False, "xref": "paper", "yref": "paper", "x": 0.0, "y": 0.0,
            "yshift": -62, "xanchor": "left", "yanchor": "bottom", "font": {"size": 11, "color": "#444"},
        }],
    )
    fig.update_xaxes(gridcolor="#e5e5e5", zerolinecolor="#999")
    fig.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#999")
    for axis in (fig.layout.xaxis, fig.layout.yaxis):
        if axis.type != "category" and axis.tickformat is None:
            axis.tickformat = TICK_FORMAT
    return fig


def ranking_bar(
    frame: pd.DataFrame,
    value_column: str,
    *,
    title: str,
    value_label: str,
    source: str,
    label_column: str = "naam",
    formatter: Formatter | None = None,
    highlight_codes: list[str] | None = None,
    highlight_name: str = "Doelgebied agenda",
    reference_lines: dict[str, float] | None = None,
    other_name: str = "Overige gebieden",
) -> go.Figure:
    """Horizontal bars, one per row in the frame's order (first row on top).

    Args:
        frame: rows with ``code``, ``label_column`` and ``value_column``; NaN values are drawn as
            an empty bar with the text "geheim/onbekend" (never as 0).
        highlight_codes: rows drawn in :data:`HIGHLIGHT` and named ``highlight_name`` in the legend.
        reference_lines: name -> value, drawn as vertical dashed lines (e.g. gemeente, Nederland).
        other_name: legend name of the ordinary bars when some are highlighted.
    """
    fmt = _fmt(formatter)
    highlight = set(highlight_codes or [])
    values = frame[value_column].astype(float)
    texts = values.map(fmt)
    is_high = frame["code"].isin(highlight)
    fig = go.Figure()
    for name, mask, colour in ((other_name if highlight else value_label, ~is_high, BASE),
                               (highlight_name, is_high, HIGHLIGHT)):
        if not mask.any():
            continue
        fig.add_trace(go.Bar(
            y=frame.loc[mask, label_column], x=values[mask],
            orientation="h", name=name, marker_color=colour, text=texts[mask], textposition="outside",
            cliponaxis=False, customdata=np.column_stack([texts[mask]]),
            hovertemplate="<b>%{y}</b><br>" + value_label + ": %{customdata[0]}<extra></extra>",
            showlegend=bool(highlight),
        ))
    for i, (name, value) in enumerate((reference_lines or {}).items()):
        if value is None or pd.isna(value):
            continue
        fig.add_vline(x=float(value), line_dash=REFERENCE_DASH[i % len(REFERENCE_DASH)], line_color="#333",
                      annotation_text=f"{name}: {fmt(value)}", annotation_position="top",
                      annotation_font_size=12)
    order = list(frame[label_column])
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1], automargin=True)
    fig.update_xaxes(title=value_label)
    fig.update_layout(barmode="overlay", bargap=0.25)
    return _finish(fig, title, source, height=max(320, 120 + ROW_HEIGHT * len(frame)))


def component_heatmap(
    frame: pd.DataFrame,
    z_columns: dict[str, str],
    *,
    title: str,
    source: str,
    label_column: str = "naam",
) -> go.Figure:
    """Areas (rows, in frame order) x components (columns): standardised scores on a diverging scale.

    Args:
        z_columns: column in ``frame`` -> label of the component (e.g. ``{"z_woz...": "WOZ-waarde"}``).
    """
    columns = list(z_columns)
    z = frame[columns].astype(float).to_numpy()
    text = np.vectorize(lambda v: formatting.number(v, 2) if np.isfinite(v) else formatting.NO_DATA_TEXT)(z) \
        if z.size else z
    limit = float(np.nanmax(np.abs(z))) if z.size and np.isfinite(z).any() else 1.0
    fig = go.Figure(go.Heatmap(
        z=z, x=[_wrap(z_columns[c]) for c in columns], y=frame[label_column], colorscale=DIVERGING_SCALE,
        zmid=0, zmin=-limit, zmax=limit, text=text, texttemplate="%{text}", hoverongaps=False,
        colorbar={"title": {"text": "z (+ = kansarmer)", "side": "right"}},
        hovertemplate="<b>%{y}</b><br>%{x}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(side="top", automargin=True, tickangle=0)
    fig = _finish(fig, title, source, height=max(360, 220 + ROW_HEIGHT * len(frame)))
    fig.update_layout(margin={"t": 150}, title={"y": 0.98, "yanchor": "top"})
    return fig


def _wrap(text: str, width: int = 18) -> str:
    """Break a long axis label over lines ('<br>') so labels stay horizontal and readable."""
    import textwrap

    return "<br>".join(textwrap.wrap(text, width)) or text


def grouped_bar(
    frame: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    value_label: str,
    source: str,
    color: str | None = None,
    formatter: Formatter | None = None,
    reference_lines: dict[str, float] | None = None,
    horizontal: bool = False,
) -> go.Figure:
    """Bars of ``y`` per ``x``, one colour per value of ``color`` (Okabe-Ito), NaN shown as text.

    Args:
        reference_lines: name -> value, drawn as dashed lines across the chart (e.g. the OAB
            reference per child).
        horizontal: bars run left to right (long category labels).
    """
    fmt = _fmt(formatter)
    groups = [(None, frame)] if color is None else list(frame.groupby(color, sort=False))
    fig = go.Figure()
    for i, (name, part) in enumerate(groups):
        values = part[y].astype(float)
        texts = values.map(fmt)
        cat, val = part[x].astype(str), values.where(values.notna(), None)
        fig.add_trace(go.Bar(
            x=val if horizontal else cat, y=cat if horizontal else val, orientation="h" if horizontal else "v",
            name=str(name) if name is not None else value_label, marker_color=OKABE_ITO[i % len(OKABE_ITO)],
            text=texts, textposition="outside", cliponaxis=False, customdata=np.column_stack([texts]),
            hovertemplate=("<b>%{y}</b>" if horizontal else "<b>%{x}</b>")
            + f"<br>{name if name is not None else value_label}: %{{customdata[0]}}<extra></extra>",
            showlegend=color is not None,
        ))
    for i, (name, value) in enumerate((reference_lines or {}).items()):
        if value is None or pd.isna(value):
            continue
        add = fig.add_vline if horizontal else fig.add_hline
        add(float(value), line_dash=REFERENCE_DASH[i % len(REFERENCE_DASH)], line_color="#333",
            annotation_text=f"{name}: {fmt(value)}", annotation_font_size=12)
    value_axis, cat_axis = (fig.update_xaxes, fig.update_yaxes) if horizontal else (fig.update_yaxes, fig.update_xaxes)
    value_axis(title=value_label)
    cat_axis(title=None, automargin=True, type="category")
    if horizontal:
        fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="group")
    rows = frame[x].nunique() * (1 if color is None else max(frame[color].nunique(), 1))
    height = max(380, 140 + ROW_HEIGHT * rows) if horizontal else 460
    return _finish(fig, title, source, height=height)


def timeline(
    frame: pd.DataFrame,
    *,
    start: str,
    end: str,
    label: str,
    group: str,
    title: str,
    source: str,
    hover: str | None = None,
) -> go.Figure:
    """A planning timeline: one bar per row from ``start`` to ``end`` (years, inclusive), coloured by ``group``.

    Rows without a start are left out of the drawing (the table next to it still lists them).
    """
    fig = go.Figure()
    drawn = frame[frame[start].notna()].copy()
    drawn["_end"] = drawn[end].fillna(drawn[start]).astype(float) + 1.0
    drawn["_start"] = drawn[start].astype(float)
    for i, (name, part) in enumerate(drawn.groupby(group, sort=False)):
        custom = np.column_stack([
            part[start].astype(int).astype(str), (part["_end"] - 1).astype(int).astype(str),
            part[hover].astype(str) if hover else part[label].astype(str),
        ])
        fig.add_trace(go.Bar(
            y=part[label], x=part["_end"] - part["_start"], base=part["_start"], orientation="h", name=str(name),
            marker_color=OKABE_ITO[i % len(OKABE_ITO)], customdata=custom,
            hovertemplate="<b>%{y}</b><br>%{customdata[0]}–%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        ))
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    fig.update_xaxes(title="Jaar", dtick=1, tickformat="d")
    fig.update_layout(barmode="overlay")
    return _finish(fig, title, source, height=max(320, 140 + ROW_HEIGHT * len(drawn)))


def profile_index(
    frame: pd.DataFrame,
    series: dict[str, str],
    *,
    title: str,
    source: str,
    formatted: dict[str, pd.Series] | None = None,
    label_column: str = "label",
) -> go.Figure:
    """Dot chart: several areas as an index against a reference (100 = reference), one row per indicator.

    Args:
        frame: one row per indicator with ``label_column`` and one index column per series.
        series: index column -> legend name (e.g. ``{"idx_wijk": "Stevenshof", "idx_gm": "Leiden"}``).
        formatted: index column -> the real values as text, shown on hover.
    """
    fig = go.Figure()
    for i, (column, name) in enumerate(series.items()):
        texts = (formatted or {}).get(column, frame[column].map(lambda v: formatting.number(v, 0)))
        fig.add_trace(go.Scatter(
            x=frame[column], y=frame[label_column], mode="markers", name=name,
            marker={"size": 13, "color": OKABE_ITO[i % len(OKABE_ITO)], "symbol": ["circle", "diamond", "square"][i % 3]},
            customdata=np.column_stack([texts.astype(str)]),
            hovertemplate="<b>%{y}</b><br>" + name + ": %{customdata[0]} (index %{x:.0f})<extra></extra>",
        ))
    fig.add_vline(x=100, line_dash="dash", line_color="#333")
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    fig.update_xaxes(title="Index (Nederland = 100)")
    return _finish(fig, title, source, height=max(360, 140 + ROW_HEIGHT * len(frame)))
