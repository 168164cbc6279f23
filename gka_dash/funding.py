"""Funding per child (DESIGN §4): pure functions, DataFrames in, DataFrames out.

``eur_per_kind = sum(bedrag_eur) / kinderen(doelgebied, leeftijdsband, peiljaar)``

- kinderen: CBS inhabitants in the KWB age bands (0-15, 15-25) that cover the intervention's
  target ages (``leeftijd_min``/``leeftijd_max``); where the agenda states no ages, 0-15.
- doelgebied: the intervention's ``doelgebieden`` rows with ``rol == 'doelgebied'``; where the
  agenda names none, that is the gemeente (labelled ``hele_gemeente``).
- peiljaar: the KWB year nearest to the budget year that the children data has.
- per gemeente: all its interventions together over the gemeente's children 0-15 (the band of
  the national reference, so the two compare).
- national reference: OAB money for gemeenten, €486 million a year from 2020, over the children
  0-15 of the Netherlands in the same KWB year.

Amounts: only ``telt_mee`` rows of ``begroting`` count (repeats and check figures are kept as
rows but not summed). GKA = ``bijdrage`` rows with financier GKA. Totaal = the intervention's
``totaal`` amounts; where the agenda states none, its ``post`` amounts; where none, the sum of
all ``bijdrage`` amounts. ``*_volledig`` is False when an amount on that basis is unknown/PM.

The children counts come in as a frame (``code, indicator, jaar, waarde``); reading them is
:func:`gka_dash.agenda.children_by_area`'s job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Band:
    """A CBS KWB age band: ages ``leeftijd_van`` up to (not including) ``leeftijd_tot``."""

    label: str
    indicator: str
    leeftijd_van: int
    leeftijd_tot: int


BANDS: dict[str, Band] = {
    "0-15": Band("0-15", "kinderen_0_15", 0, 15),
    "15-25": Band("15-25", "jongeren_15_25", 15, 25),
}
DEFAULT_BANDS: tuple[str, ...] = ("0-15",)
NL_CODE = "NL00"
OAB_EUR_PER_JAAR = 486_000_000
OAB_VANAF_JAAR = 2020
GKA = "GKA"
PERIODE = "agendaperiode"
_BASIS_ORDER = ("totaal", "post", "bijdrage")


# --------------------------------------------------------------------------- small pure helpers
def bands_for_ages(leeftijd_min, leeftijd_max) -> tuple[str, ...]:
    """KWB bands that together cover the ages ``leeftijd_min``..``leeftijd_max`` (inclusive).

    No ages stated (both missing): :data:`DEFAULT_BANDS`. One side missing: 0 or 24 is assumed
    for it. Ages beyond 24 are covered as far as the bands go.
    """
    if _missing(leeftijd_min) and _missing(leeftijd_max):
        return DEFAULT_BANDS
    lo = 0 if _missing(leeftijd_min) else int(leeftijd_min)
    hi = 24 if _missing(leeftijd_max) else int(leeftijd_max)
    chosen = tuple(b.label for b in BANDS.values() if b.leeftijd_van <= hi and lo < b.leeftijd_tot)
    return chosen or DEFAULT_BANDS


def band_label(bands: Iterable[str]) -> str:
    """'0-15' or '0-15 + 15-25'."""
    return " + ".join(bands)


def peiljaar(doeljaar: int | None, beschikbaar: Iterable[int]) -> int | None:
    """The available year nearest to ``doeljaar`` (on a tie the earlier one); None if none."""
    years = sorted({int(y) for y in beschikbaar})
    if not years:
        return None
    if doeljaar is None or _missing(doeljaar):
        return years[-1]
    return min(years, key=lambda y: (abs(y - int(doeljaar)), y))


def children_count(kinderen: pd.DataFrame, codes: Iterable[str], bands: Iterable[str],
                   doeljaar: int | None) -> tuple[float, int | None]:
    """Children in ``codes`` for ``bands`` at the KWB year nearest ``doeljaar``.

    Returns ``(count, jaar)``; the count is NaN when any code/band has no value that year
    (a partial sum would understate the denominator).
    """
    codes, indicators = list(codes), [BANDS[b].indicator for b in bands]
    rows = kinderen[kinderen["code"].isin(codes) & kinderen["indicator"].isin(indicators)]
    complete = [
        jaar for jaar, group in rows.groupby("jaar")
        if group.dropna(subset=["waarde"]).drop_duplicates(["code", "indicator"]).shape[0] == len(codes) * len(indicators)
    ]
    jaar = peiljaar(doeljaar, complete)
    if jaar is None:
        return np.nan, peiljaar(doeljaar, rows["jaar"].unique())
    selected = rows[rows["jaar"] == jaar].drop_duplicates(["code", "indicator"])
    return float(selected["waarde"].sum()), int(jaar)


def per_kind(bedrag: float, kinderen: float) -> float:
    """``bedrag / kinderen``; NaN when either is missing or there are no children."""
    if _missing(bedrag) or _missing(kinderen) or kinderen <= 0:
        return np.nan
    return float(bedrag) / float(kinderen)


def oab_reference(kinderen: pd.DataFrame, doeljaar: int | None = None) -> dict:
    """National OAB reference: €486 million a year over NL children 0-15 (KWB year nearest ``doeljaar``).

    Returns a dict with ``oab_eur_per_jaar``, ``kinderen_nl``, ``cbs_jaar``, ``eur_per_kind_per_jaar``.
    The OAB amount applies from :data:`OAB_VANAF_JAAR`; for earlier budget years the figure is NaN.
    """
    count, jaar = children_count(kinderen, [NL_CODE], DEFAULT_BANDS, doeljaar)
    value = per_kind(OAB_EUR_PER_JAAR, count)
    if doeljaar is not None and not _missing(doeljaar) and int(doeljaar) < OAB_VANAF_JAAR:
        value = np.nan
    return {"oab_eur_per_jaar": OAB_EUR_PER_JAAR, "kinderen_nl": count, "cbs_jaar": jaar,
            "eur_per_kind_per_jaar": value}


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


# --------------------------------------------------------------------------- money per intervention
def _tijdvak(row) -> str:
    if pd.notna(row["schooljaar"]):
        return f"schooljaar {row['schooljaar']}"
    if pd.isna(row["jaar"]):
        return PERIODE
    if pd.isna(row["jaar_eind"]) or row["jaar_eind"] == row["jaar"]:
        return str(int(row["jaar"]))
    return f"{int(row['jaar'])}-{int(row['jaar_eind'])}"


def money_totals(begroting: pd.DataFrame, per_tijdvak: bool = False) -> pd.DataFrame:
    """GKA and total amounts per intervention (agenda-level rows keyed by their agenda_id).

    Args:
        begroting: the ``begroting`` table.
        per_tijdvak: also split by the period an amount is for (schooljaar, jaar, span, or
            'agendaperiode' when the agenda gives none). Amounts are never spread over years.

    Returns:
        ``sleutel, [tijdvak, doeljaar,] gka_eur, totaal_eur, gka_volledig, totaal_volledig,
        basis, twijfel_aantal``. ``basis`` says which rows gave the total.
    """
    frame = begroting.copy()
    frame["sleutel"] = frame["interventie_id"].where(frame["interventie_id"].notna(), frame["agenda_id"])
    frame["tijdvak"] = frame.apply(_tijdvak, axis=1) if len(frame) else pd.Series(dtype=str)
    counted = frame[frame["telt_mee"].astype(bool)]
    doubts = frame[frame["twijfel"].notna()].groupby("sleutel").size()
    rows = []
    for sleutel, group in counted.groupby("sleutel", sort=False):
        basis = next((rol for rol in _BASIS_ORDER
                      if group.loc[group["rol"] == rol, "bedrag_eur"].notna().any()), None)
        unknown_total = group.loc[group["rol"] == "totaal", "bedrag_eur"].isna().any()
        parts = [(None, group)] if not per_tijdvak else list(group.groupby("tijdvak", sort=False))
        for tijdvak, part in parts:
            gka_rows = part[(part["rol"] == "bijdrage") & (part["financier"] == GKA)]
            base_rows = part[part["rol"] == basis] if basis else part.iloc[0:0]
            if per_tijdvak and gka_rows.empty and base_rows.empty:
                # e.g. "overige dekking" without amount or year: part of the totals of the other
                # periods, not a period of its own (it would show as a GKA € 0 bar)
                continue
            gka_known = gka_rows["bedrag_eur"].dropna()
            row = {
                "sleutel": sleutel,
                "gka_eur": float(gka_known.sum()) if len(gka_known) or gka_rows.empty else np.nan,
                "totaal_eur": float(base_rows["bedrag_eur"].sum(min_count=1)) if basis else np.nan,
                "gka_volledig": bool(gka_rows["bedrag_eur"].notna().all()),
                "totaal_volledig": bool(basis is not None and base_rows["bedrag_eur"].notna().all()
                                        and (basis == "totaal" or not unknown_total)),
                "basis": basis,
                "twijfel_aantal": int(doubts.get(sleutel, 0)),
            }
            if per_tijdvak:
                row["tijdvak"] = tijdvak
                years = part["jaar_eind"].dropna()
                row["doeljaar"] = int(years.max()) if len(years) else None
            rows.append(row)
    columns = ["sleutel"] + (["tijdvak", "doeljaar"] if per_tijdvak else []) + [
        "gka_eur", "totaal_eur", "gka_volledig", "totaal_volledig", "basis", "twijfel_aantal"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- funding per child
OUTPUT_COLUMNS = [
    "gemeente_code", "agenda_id", "interventie_id", "interventie", "soort", "tijdvak", "doelgebied_codes",
    "matching", "gebied_onbepaald", "leeftijdsband", "cbs_jaar", "kinderen", "gka_eur", "totaal_eur",
    "gka_volledig", "totaal_volledig", "eur_per_kind_gka", "eur_per_kind_totaal", "twijfel_aantal",
]


def funding_per_child(
    interventies: pd.DataFrame,
    agendas: pd.DataFrame,
    begroting: pd.DataFrame,
    doelgebieden: pd.DataFrame,
    kinderen: pd.DataFrame,
    gemeente_code: str | None = None,
    per_tijdvak: bool = False,
) -> pd.DataFrame:
    """Funding per child for every filled-in intervention (one row each, or per tijdvak).

    Args:
        interventies, agendas, begroting, doelgebieden: the agenda tables (see gka_dash.agenda).
        kinderen: long children counts ``code, indicator, jaar, waarde``.
        gemeente_code: only this gemeente (None: all).
        per_tijdvak: one row per intervention and budget period instead of the whole agenda period.

    Returns:
        Columns :data:`OUTPUT_COLUMNS`; ``doelgebied_codes`` is a tuple of CBS codes;
        ``tijdvak`` is 'agendaperiode' unless ``per_tijdvak``.
    """
    base = interventies[interventies["ingevuld"].astype(bool)].merge(
        agendas[["agenda_id", "gemeente_code", "jaar_eind"]].rename(columns={"jaar_eind": "agenda_jaar_eind"}),
        on="agenda_id", how="left",
    )
    if gemeente_code is not None:
        base = base[base["gemeente_code"] == gemeente_code]
    money = money_totals(begroting, per_tijdvak=per_tijdvak).set_index("sleutel")
    targets = doelgebieden[doelgebieden["rol"] == "doelgebied"]
    rows = []
    for r in base.itertuples(index=False):
        areas = targets[targets["interventie_id"] == r.interventie_id]
        codes = tuple(areas["gebiedscode"]) or (r.gemeente_code,)
        matching = ", ".join(dict.fromkeys(areas["matching"])) or "hele_gemeente"
        bands = bands_for_ages(r.leeftijd_min, r.leeftijd_max)
        parts = money.loc[[r.interventie_id]] if r.interventie_id in money.index else None
        if parts is None:  # no money rows at all (e.g. a community): nothing stated
            parts = pd.DataFrame([{"tijdvak": PERIODE, "doeljaar": None, "gka_eur": np.nan, "totaal_eur": np.nan,
                                   "gka_volledig": False, "totaal_volledig": False, "twijfel_aantal": 0}])
        for m in parts.to_dict("records"):
            doeljaar = m.get("doeljaar") if per_tijdvak else None
            count, jaar = children_count(kinderen, codes, bands,
                                         doeljaar if not _missing(doeljaar) else r.agenda_jaar_eind)
            rows.append({
                "gemeente_code": r.gemeente_code, "agenda_id": r.agenda_id, "interventie_id": r.interventie_id,
                "interventie": r.naam, "soort": r.soort, "tijdvak": m.get("tijdvak") or PERIODE,
                "doelgebied_codes": codes, "matching": matching,
                "gebied_onbepaald": bool(areas["gebied_onbepaald"].astype(bool).any()),
                "leeftijdsband": band_label(bands), "cbs_jaar": jaar, "kinderen": count,
                "gka_eur": m["gka_eur"], "totaal_eur": m["totaal_eur"],
                "gka_volledig": m["gka_volledig"], "totaal_volledig": m["totaal_volledig"],
                "eur_per_kind_gka": per_kind(m["gka_eur"], count),
                "eur_per_kind_totaal": per_kind(m["totaal_eur"], count),
                "twijfel_aantal": m["twijfel_aantal"],
            })
    return pd.DataFrame(rows, columns=OUTPUT_COLUMNS)


GEMEENTE_COLUMNS = OUTPUT_COLUMNS + [
    "jaren", "eur_per_kind_gka_per_jaar", "eur_per_kind_totaal_per_jaar", "oab_eur_per_kind_per_jaar",
]


def funding_per_gemeente(
    interventies: pd.DataFrame,
    agendas: pd.DataFrame,
    begroting: pd.DataFrame,
    doelgebieden: pd.DataFrame,
    kinderen: pd.DataFrame,
    gemeente_code: str | None = None,
) -> pd.DataFrame:
    """One row per agenda: all its interventions together over the gemeente's children 0-15.

    ``interventie`` and ``interventie_id`` are None. ``jaren`` is the length of the agenda period;
    the ``*_per_jaar`` columns divide by it so they compare with the OAB reference
    (:func:`oab_reference`, same KWB year as ``cbs_jaar``).
    """
    per_intervention = funding_per_child(interventies, agendas, begroting, doelgebieden, kinderen, gemeente_code)
    money = money_totals(begroting).set_index("sleutel")
    rows = []
    selected = agendas if gemeente_code is None else agendas[agendas["gemeente_code"] == gemeente_code]
    for a in selected.itertuples(index=False):
        parts = per_intervention[per_intervention["agenda_id"] == a.agenda_id]
        own = money.loc[[a.agenda_id]] if a.agenda_id in money.index else money.iloc[0:0]
        with_money = parts[parts["gka_eur"].notna() | parts["totaal_eur"].notna()]
        gka = _sum(list(with_money["gka_eur"]) + list(own["gka_eur"]))
        totaal = _sum(list(with_money["totaal_eur"]) + list(own["totaal_eur"]))
        count, jaar = children_count(kinderen, [a.gemeente_code], DEFAULT_BANDS, a.jaar_eind)
        jaren = int(a.jaar_eind) - int(a.jaar_start) + 1
        reference = oab_reference(kinderen, jaar)
        rows.append({
            "gemeente_code": a.gemeente_code, "agenda_id": a.agenda_id, "interventie_id": None, "interventie": None,
            "soort": None, "tijdvak": PERIODE, "doelgebied_codes": (a.gemeente_code,), "matching": "hele_gemeente",
            "gebied_onbepaald": False, "leeftijdsband": band_label(DEFAULT_BANDS), "cbs_jaar": jaar,
            "kinderen": count, "gka_eur": gka, "totaal_eur": totaal,
            "gka_volledig": bool(with_money["gka_volledig"].all() and own["gka_volledig"].all()),
            "totaal_volledig": bool(with_money["totaal_volledig"].all() and own["totaal_volledig"].all()),
            "eur_per_kind_gka": per_kind(gka, count), "eur_per_kind_totaal": per_kind(totaal, count),
            "twijfel_aantal": int(parts["twijfel_aantal"].sum() + own["twijfel_aantal"].sum()),
            "jaren": jaren,
            "eur_per_kind_gka_per_jaar": per_kind(gka, count) / jaren,
            "eur_per_kind_totaal_per_jaar": per_kind(totaal, count) / jaren,
            "oab_eur_per_kind_per_jaar": reference["eur_per_kind_per_jaar"],
        })
    return pd.DataFrame(rows, columns=GEMEENTE_COLUMNS)


def _sum(values: list[float]) -> float:
    known = [v for v in values if not _missing(v)]
    return float(sum(known)) if known else np.nan


# --------------------------------------------------------------------------- agenda summary
SUMMARY_COLUMNS = ["gemeente_code", "gemeente", "periode", "interventies", "gka_eur", "totaal_eur",
                   "gka_volledig", "totaal_volledig"]


def agenda_summary(
    gemeenten: pd.DataFrame, agendas: pd.DataFrame, interventies: pd.DataFrame, begroting: pd.DataFrame,
) -> pd.DataFrame:
    """One row per agenda: filled-in interventions + experiments, GKA and total euros.

    ``interventies`` counts blocks of soort interventie or experiment with content (not
    communities, not empty template blocks). Euros follow :func:`money_totals`.
    """
    money = money_totals(begroting)
    owner = pd.concat([
        interventies[["interventie_id", "agenda_id"]].rename(columns={"interventie_id": "sleutel"}),
        agendas[["agenda_id"]].assign(sleutel=agendas["agenda_id"]),
    ])
    money = money.merge(owner, on="sleutel", how="left")
    filled = interventies[interventies["ingevuld"].astype(bool) & interventies["soort"].isin(["interventie", "experiment"])]
    rows = []
    for a in agendas.merge(gemeenten, on="gemeente_code", how="left").itertuples(index=False):
        m = money[money["agenda_id"] == a.agenda_id]
        rows.append({
            "gemeente_code": a.gemeente_code, "gemeente": a.gemeente_naam, "periode": a.periode,
            "interventies": int((filled["agenda_id"] == a.agenda_id).sum()),
            "gka_eur": _sum(list(m["gka_eur"])), "totaal_eur": _sum(list(m["totaal_eur"])),
            "gka_volledig": bool(m["gka_volledig"].all()), "totaal_volledig": bool(m["totaal_volledig"].all()),
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
