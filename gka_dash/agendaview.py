"""Views on the agenda tables for the Overzicht, Financiering and Interventies pages.

Pure frames in, frames out. Amounts follow :func:`gka_dash.funding.money_totals` (only
``telt_mee`` rows; GKA = GKA contributions; total = totaal, else posts, else contributions);
nothing here re-implements funding per child, it only arranges :mod:`gka_dash.funding`'s output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gka_dash import agenda, funding

GEEN_THEMA = "geen thema genoemd"
ONBEKEND = "onbekend"
ONBEKEND_JAAR = "jaar niet genoemd"
SEARCH_COLUMNS = ["naam", "thema", "betrokken_partijen", "doel", "doelgroep", "planning", "monitoring", "bron_citaat",
                  "gemeente_naam"]


def _owner(data: agenda.AgendaData) -> pd.DataFrame:
    """sleutel (interventie_id or agenda_id) -> agenda_id, gemeente_code, gemeente_naam, thema, interventie."""
    agendas = data.agendas.merge(data.gemeenten, on="gemeente_code", how="left")
    per_intervention = data.interventies[["interventie_id", "agenda_id", "thema", "naam"]].rename(
        columns={"interventie_id": "sleutel", "naam": "interventie"})
    per_agenda = agendas[["agenda_id"]].assign(sleutel=agendas["agenda_id"], thema=np.nan, interventie="hele agenda")
    owner = pd.concat([per_intervention, per_agenda], ignore_index=True)
    return owner.merge(agendas[["agenda_id", "gemeente_code", "gemeente_naam", "periode"]], on="agenda_id", how="left")


def overview(data: agenda.AgendaData, kinderen: pd.DataFrame) -> pd.DataFrame:
    """One row per agenda: period, interventions, GKA and total euros, children 0-15, euros per child.

    Columns: those of :func:`funding.agenda_summary` plus ``agenda_id, kinderen_0_15, cbs_jaar,
    gka_eur_per_kind, totaal_eur_per_kind, gka_eur_per_kind_per_jaar, totaal_eur_per_kind_per_jaar,
    oab_eur_per_kind_per_jaar, twijfels``.
    """
    summary = funding.agenda_summary(data.gemeenten, data.agendas, data.interventies, data.begroting)
    summary.insert(0, "agenda_id", data.agendas["agenda_id"].to_numpy())
    per_gemeente = funding.funding_per_gemeente(data.interventies, data.agendas, data.begroting, data.doelgebieden,
                                                kinderen)
    extra = per_gemeente[["agenda_id", "kinderen", "cbs_jaar", "eur_per_kind_gka", "eur_per_kind_totaal",
                          "eur_per_kind_gka_per_jaar", "eur_per_kind_totaal_per_jaar", "oab_eur_per_kind_per_jaar",
                          "twijfel_aantal"]].rename(columns={
        "kinderen": "kinderen_0_15", "eur_per_kind_gka": "gka_eur_per_kind", "eur_per_kind_totaal": "totaal_eur_per_kind",
        "eur_per_kind_gka_per_jaar": "gka_eur_per_kind_per_jaar",
        "eur_per_kind_totaal_per_jaar": "totaal_eur_per_kind_per_jaar", "twijfel_aantal": "twijfels"})
    return summary.merge(extra, on="agenda_id", how="left")


def per_kind_long(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`overview` rows as ``gemeente, soort ('GKA'|'Totaal'), eur_per_kind_per_jaar`` for a grouped bar."""
    out = table.melt(id_vars=["gemeente"], value_vars=["gka_eur_per_kind_per_jaar", "totaal_eur_per_kind_per_jaar"],
                     var_name="soort", value_name="eur_per_kind_per_jaar")
    out["soort"] = out["soort"].map({"gka_eur_per_kind_per_jaar": "GKA", "totaal_eur_per_kind_per_jaar": "Totaal"})
    return out


def money_by_year(data: agenda.AgendaData) -> pd.DataFrame:
    """GKA and total euros per gemeente and budget period (schooljaar / jaar / 'jaar niet genoemd'), long.

    Columns: ``gemeente_code, gemeente_naam, tijdvak, soort_geld ('GKA'|'Totaal'), bedrag_eur``.
    """
    money = funding.money_totals(data.begroting, per_tijdvak=True).merge(_owner(data), on="sleutel", how="left")
    money["tijdvak"] = money["tijdvak"].replace({funding.PERIODE: ONBEKEND_JAAR})
    grouped = money.groupby(["gemeente_code", "gemeente_naam", "tijdvak"], sort=True)[["gka_eur", "totaal_eur"]].sum(
        min_count=1).reset_index()
    out = _long(grouped, ["gemeente_code", "gemeente_naam", "tijdvak"])
    # 0 = no amount of that kind in that period; NaN = the agenda names none (the overview says so)
    return out[out["bedrag_eur"].ne(0) & out["bedrag_eur"].notna()].reset_index(drop=True)


def chart_label(frame: pd.DataFrame, detail_column: str, separator: str = " ") -> pd.Series:
    """'Leiden 2019-2020' / 'Leiden: Mentoring': one bar label per gemeente and detail."""
    return frame["gemeente_naam"] + separator + frame[detail_column].astype(str)


def money_by_theme(data: agenda.AgendaData) -> pd.DataFrame:
    """GKA and total euros per gemeente and theme (an intervention with two themes keeps them together), long."""
    money = funding.money_totals(data.begroting).merge(_owner(data), on="sleutel", how="left")
    money["thema"] = money["thema"].fillna(GEEN_THEMA)
    grouped = money.groupby(["gemeente_code", "gemeente_naam", "thema"], sort=True)[["gka_eur", "totaal_eur"]].sum(
        min_count=1).reset_index()
    return _long(grouped, ["gemeente_code", "gemeente_naam", "thema"])


def money_by_financier(data: agenda.AgendaData) -> pd.DataFrame:
    """Stated contributions per gemeente and financier: ``bedrag_eur`` (known sum) and ``onbekend`` (rows without amount)."""
    rows = data.begroting[(data.begroting["rol"] == "bijdrage") & data.begroting["telt_mee"].astype(bool)].copy()
    rows["sleutel"] = rows["interventie_id"].where(rows["interventie_id"].notna(), rows["agenda_id"])
    rows = rows.merge(_owner(data)[["sleutel", "gemeente_code", "gemeente_naam"]], on="sleutel", how="left")
    grouped = rows.groupby(["gemeente_code", "gemeente_naam", "financier"], sort=True).agg(
        bedrag_eur=("bedrag_eur", lambda s: s.sum(min_count=1)), onbekend=("bedrag_eur", lambda s: int(s.isna().sum())),
    ).reset_index()
    return grouped


def _long(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    out = frame.melt(id_vars=keys, value_vars=["gka_eur", "totaal_eur"], var_name="soort_geld", value_name="bedrag_eur")
    out["soort_geld"] = out["soort_geld"].map({"gka_eur": "GKA", "totaal_eur": "Totaal"})
    return out


def interventions(data: agenda.AgendaData) -> pd.DataFrame:
    """Every filled-in intervention with its gemeente, for the searchable table and the timeline."""
    frame = agenda.interventies_met_gemeente(data)
    frame = frame[frame["ingevuld"].astype(bool)].copy()
    frame["thema"] = frame["thema"].fillna(GEEN_THEMA)
    return frame.reset_index(drop=True)


def search(frame: pd.DataFrame, query: str = "", themes: list[str] | None = None, gemeenten: list[str] | None = None,
           soorten: list[str] | None = None) -> pd.DataFrame:
    """Filter interventions: every word of ``query`` must occur (case-insensitive) in one of
    :data:`SEARCH_COLUMNS`; ``themes`` matches any of an intervention's themes ('A; B')."""
    mask = pd.Series(True, index=frame.index)
    text = frame[[c for c in SEARCH_COLUMNS if c in frame]].fillna("").astype(str).agg(" ".join, axis=1).str.lower()
    for word in query.lower().split():
        mask &= text.str.contains(word, regex=False)
    if themes:
        parts = frame["thema"].fillna(GEEN_THEMA).str.split(r";\s*")
        mask &= parts.map(lambda ts: bool(set(ts) & set(themes)))
    if gemeenten:
        mask &= frame["gemeente_code"].isin(gemeenten)
    if soorten:
        mask &= frame["soort"].isin(soorten)
    return frame[mask].reset_index(drop=True)


def themes(frame: pd.DataFrame) -> list[str]:
    """Distinct single themes ('A; B' counts for A and B), sorted."""
    return sorted({t for ts in frame["thema"].fillna(GEEN_THEMA).str.split(r";\s*") for t in ts})


def euro(value) -> str:
    """Agenda money: '€ 134.000', or 'onbekend' where the agenda states no amount (PM)."""
    from gka_dash import formatting

    return ONBEKEND if value is None or pd.isna(value) else formatting.euro(value)


def euro_per_kind(value) -> str:
    """'€ 8,76' per child; 'onbekend' when the amount or the children are unknown."""
    from gka_dash import formatting

    return ONBEKEND if value is None or pd.isna(value) else formatting.euro(value, 2)


def per_intervention_long(rows: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """:func:`funding.funding_per_child` rows as ``label, soort ('GKA'|'Totaal'), eur_per_kind`` plus context columns.

    ``label`` is the intervention name (with its period when there are several); ``doelgebied`` names
    the areas (``names``: code -> name) or 'hele gemeente'.
    """
    frame = rows.copy()
    several = frame.groupby("interventie_id")["tijdvak"].transform("nunique") > 1
    frame["label"] = frame["interventie"].str.slice(0, 60) + np.where(several, " — " + frame["tijdvak"], "")
    frame["doelgebied"] = frame["doelgebied_codes"].map(
        lambda codes: ", ".join((names or {}).get(c, c) for c in codes))
    keep = ["label", "interventie_id", "tijdvak", "doelgebied", "matching", "leeftijdsband", "cbs_jaar", "kinderen"]
    out = frame.melt(id_vars=keep, value_vars=["eur_per_kind_gka", "eur_per_kind_totaal"], var_name="soort",
                     value_name="eur_per_kind")
    out["soort"] = out["soort"].map({"eur_per_kind_gka": "GKA", "eur_per_kind_totaal": "Totaal"})
    return out


def doubts(data: agenda.AgendaData, gemeente_code: str) -> pd.DataFrame:
    """The gemeente's flagged amounts: interventie, bedrag, quote and note (DESIGN §3: doubts are data)."""
    frame = agenda.twijfels(data)
    frame = frame[frame["agenda_id"].str.startswith(gemeente_code)]
    names = data.interventies.set_index("interventie_id")["naam"]
    frame = frame.assign(interventie=frame["interventie_id"].map(names).fillna("hele agenda"))
    return frame[["interventie", "bedrag_eur", "bron_citaat", "twijfel"]].reset_index(drop=True)
