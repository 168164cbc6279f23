"""Funding per child as a map layer: what the agenda's interventions spend per child living in each area.

Model (shown on the Kaart page): every intervention spreads its money evenly over the children of
its doelgebied (that is :func:`gka_dash.funding.funding_per_child`'s ``eur_per_kind``). A child in
area *a* therefore receives, from intervention *i* covering the areas *C_i*:

- ``eur_per_kind(i)`` when *a* lies inside *C_i* (a buurt in a named wijk, any area for a
  whole-gemeente intervention);
- ``eur_per_kind(i) × kinderen(a ∩ C_i) / kinderen(a)`` when *a* only contains part of *C_i* (a
  wijk that holds a named buurt): the money reaches only the children of that buurt.

The layer value of *a* is the sum over the interventions (amounts for the whole agenda period).
Interventions whose amount is unknown (PM) add nothing and are counted in ``onbekend``; an area
is NaN ("geen gegevens") only when its gemeente has no agenda at all or no intervention with a
known amount covers it.

Pure: the output of ``funding_per_child`` and a wide table of the level in, a frame out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

LAYERS = {
    "gka": ("eur_per_kind_gka", "GKA-geld per kind 0-15 (agendaperiode)"),
    "totaal": ("eur_per_kind_totaal", "Totaal geld per kind 0-15 (agendaperiode)"),
}
LAYER_INDICATOR = {"gka": "gka_eur_per_kind", "totaal": "totaal_eur_per_kind"}
COLUMNS = ["code", "naam", "waarde", "interventies", "onbekend", "cbs_jaar", "leeftijdsband"]


def _covers(area: str, target: str) -> bool:
    """True when ``area`` lies inside ``target`` (CBS codes nest: GM0546 > WK054605 > BU05460501)."""
    return len(area) >= len(target) and area[2:].startswith(target[2:])


def per_area(funding: pd.DataFrame, areas: pd.DataFrame, layer: str = "gka") -> pd.DataFrame:
    """The layer value per area of one gemeente at one level.

    Args:
        funding: rows of :func:`gka_dash.funding.funding_per_child` for the gemeente.
        areas: ``code``, ``naam`` and ``kinderen_0_15`` of the level's areas (e.g. ``facts.wide(...).frame``).
        layer: 'gka' or 'totaal'.

    Returns:
        Columns :data:`COLUMNS`: ``waarde`` (€ per child), ``interventies`` (how many cover the area
        with a known amount), ``onbekend`` (covering interventions with an unknown amount).
    """
    column = LAYERS[layer][0]
    kinderen = areas.set_index("code")["kinderen_0_15"].astype(float) if "kinderen_0_15" in areas else None
    rows = []
    for area in areas.itertuples(index=False):
        total, known, unknown, years, bands = 0.0, 0, 0, set(), set()
        for f in funding.itertuples(index=False):
            share = _share(area.code, f.doelgebied_codes, kinderen)
            if share == 0:
                continue
            value = getattr(f, column)
            if pd.isna(value):
                unknown += 1
                continue
            total += float(value) * share
            known += 1
            if not pd.isna(f.cbs_jaar):
                years.add(int(f.cbs_jaar))
            bands.add(f.leeftijdsband)
        rows.append({
            "code": area.code, "naam": area.naam, "waarde": total if known else np.nan, "interventies": known,
            "onbekend": unknown, "cbs_jaar": max(years) if years else None, "leeftijdsband": " / ".join(sorted(bands)),
        })
    return pd.DataFrame(rows, columns=COLUMNS)


def _share(code: str, targets: tuple[str, ...], kinderen: pd.Series | None) -> float:
    """Share of ``code``'s children that an intervention covering ``targets`` reaches (0..1)."""
    if any(_covers(code, t) for t in targets):
        return 1.0
    inside = [t for t in targets if _covers(t, code)]
    if not inside or kinderen is None:
        return 0.0
    own = kinderen.get(code, np.nan)
    parts = [kinderen.get(t, np.nan) for t in inside]
    if pd.isna(own) or own <= 0 or any(pd.isna(p) for p in parts):
        return 0.0
    return min(float(sum(parts)) / float(own), 1.0)


def as_facts(layer_frame: pd.DataFrame, layer: str, bron: str) -> pd.DataFrame:
    """The layer as long facts (``code, indicator, jaar, waarde, bron``) to draw with mapview.indicator_map."""
    jaar = layer_frame["cbs_jaar"].dropna()
    return pd.DataFrame({
        "code": layer_frame["code"], "indicator": LAYER_INDICATOR[layer],
        "jaar": int(jaar.max()) if len(jaar) else 0, "waarde": layer_frame["waarde"].astype(float), "bron": bron,
    })


def latest_agenda(funding: pd.DataFrame) -> pd.DataFrame:
    """The rows of the most recent agenda (agenda ids end in their start year: GM0546-2019)."""
    if funding.empty:
        return funding
    latest = max(funding["agenda_id"], key=lambda a: a.rsplit("-", 1)[-1])
    return funding[funding["agenda_id"] == latest].reset_index(drop=True)


def per_gemeente(overview: pd.DataFrame, layer: str = "gka") -> pd.DataFrame:
    """The layer at gemeente level: each agenda gemeente's € per child 0-15 over the agenda period.

    Args:
        overview: :func:`gka_dash.agendaview.overview` rows (latest agenda per gemeente is used).
    """
    column = {"gka": "gka_eur_per_kind", "totaal": "totaal_eur_per_kind"}[layer]
    latest = overview.assign(_start=overview["agenda_id"].str.rsplit("-", n=1).str[-1]).sort_values("_start")
    latest = latest.drop_duplicates("gemeente_code", keep="last")
    return pd.DataFrame({
        "code": latest["gemeente_code"], "naam": latest["gemeente"], "waarde": latest[column].astype(float),
        "interventies": latest["interventies"], "onbekend": 0, "cbs_jaar": latest["cbs_jaar"],
        "leeftijdsband": "0-15",
    }, columns=COLUMNS).reset_index(drop=True)
