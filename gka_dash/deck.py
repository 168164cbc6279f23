"""The slides of a REA meeting deck, built from the dashboard's own map and chart builders.

A deck is a list of :class:`gka_dash.export.Slide`; the presentation page shows it one slide per
screen, and :mod:`gka_dash.export` turns the same slides into PPTX, PDF, PNG/SVG and CSV/XLSX.
Every slide kind is defined once in :data:`SLIDE_KINDS`; the standard deck is all kinds that have
data for the gemeente. A gemeente without a GKA agenda gets the maps and CBS charts only, and the
deck says "geen GKA-agenda in de gegevens".

Pure: facts and agenda tables in, slides out (no Streamlit, no files written).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from gka_dash import agenda as agenda_module
from gka_dash import charts, compare, doelgebieden, facts, formatting, funding, labels, mapview
from gka_dash.export import Slide

__all__ = [
    "DEFAULT_MAP_INDICATORS", "NO_AGENDA_TEXT", "SLIDE_KINDS", "Slide", "SlideKind", "DeckContext",
    "agenda_notices", "build_deck", "deck_subtitle", "deck_title", "has_agenda", "standard_deck",
]

NO_AGENDA_TEXT = "geen GKA-agenda in de gegevens"
MAP_LEVEL = "wijk"
DEFAULT_MAP_INDICATORS = (
    "aandeel_0_15_pct", "herkomst_buiten_europa_pct", "inkomen_per_inwoner_x1000_eur", "woz_waarde_x1000_eur",
)
RANKING_INDICATOR = "aandeel_0_15_pct"
RANKING_MAX_BARS = 20  # a projector slide stays readable; the notes and the data keep every wijk
PROFILE_INDICATORS = (
    "aandeel_0_15_pct", "herkomst_buiten_europa_pct", "inkomen_per_inwoner_x1000_eur", "woz_waarde_x1000_eur",
    "laag_inkomen_pct", "sociaal_minimum_pct", "bijstand_per_1000", "jeugdzorg_pct", "opleiding_laag_pct",
    "arbeidsparticipatie_pct",
)
CBS_CHILDREN_NOTE = "kinderen: CBS KWB"
MEETING = "Regionale Educatieve Agenda"


class DeckContext:
    """What the slide builders of one gemeente share (computed once, lazily)."""

    def __init__(self, gemeente_code: str, feiten: pd.DataFrame, agenda_data: agenda_module.AgendaData | None,
                 jaar: int | None = None):
        area = facts.area(gemeente_code)
        if area["niveau"] != "gemeente":
            raise facts.UnknownAreaError(f"'{gemeente_code}' is geen gemeentecode (GMxxxx)")
        self.gemeente_code = gemeente_code
        self.naam = str(area["naam"])
        self.feiten = feiten
        self.agenda = agenda_data
        self.jaar = jaar

    @cached_property
    def agendas(self) -> pd.DataFrame:
        if self.agenda is None:
            return pd.DataFrame(columns=["agenda_id", "gemeente_code", "periode", "bron"])
        return self.agenda.agendas[self.agenda.agendas["gemeente_code"] == self.gemeente_code]

    @property
    def has_agenda(self) -> bool:
        return not self.agendas.empty

    @cached_property
    def wijk_table(self) -> facts.IndicatorTable:
        return facts.wide(self.feiten, self.gemeente_code, MAP_LEVEL, self.jaar)

    @cached_property
    def target_codes(self) -> list[str]:
        """The agenda's target wijken (named wijken, and wijken holding a named buurt)."""
        if not self.has_agenda:
            return []
        targets = doelgebieden.for_gemeente(self.agenda.doelgebieden, self.agenda.interventies, self.gemeente_code)
        areas = facts.areas(self.gemeente_code, MAP_LEVEL)
        return doelgebieden.outline_codes(doelgebieden.at_level(targets, areas, MAP_LEVEL))

    @cached_property
    def kinderen(self) -> pd.DataFrame:
        codes = agenda_module.codes_needed(self.agenda) if self.agenda is not None else [self.gemeente_code]
        return agenda_module.children_by_area(codes, self.jaar, self.feiten)

    def agenda_source(self) -> str:
        """'GKA-agenda Leiden 2019-2021 (004_c2cb….txt)'."""
        parts = [f"GKA-agenda {self.naam} {a.periode} ({a.bron})" for a in self.agendas.itertuples()]
        return "; ".join(parts) if parts else NO_AGENDA_TEXT


@dataclass(frozen=True)
class SlideKind:
    """One kind of slide: an id (stable, used in URLs and file names), a Dutch label, a builder.

    The builder returns no slides when the gemeente has no data for it (e.g. no agenda).
    """

    id: str
    label: str
    build: Callable[[DeckContext], list[Slide]]
    needs_agenda: bool = False


# --------------------------------------------------------------------------- maps
def _map_slide(ctx: DeckContext, indicator_id: str) -> list[Slide]:
    result = mapview.indicator_map(ctx.feiten, ctx.gemeente_code, MAP_LEVEL, indicator_id, jaar=ctx.jaar,
                                   outline_codes=ctx.target_codes or None)
    frame = result.table.frame
    label = labels.indicator_label(indicator_id)
    values = frame[indicator_id] if indicator_id in frame else pd.Series(float("nan"), index=frame.index)
    data = pd.DataFrame({
        "code": frame["code"], "naam": frame["naam"], label: values,
        "doelgebied_agenda": frame["code"].isin(ctx.target_codes).map({True: "ja", False: "nee"}),
    })
    reference = facts.reference_values(ctx.feiten, ctx.gemeente_code, indicator_id, ctx.jaar)
    lines = [
        f"{label}, wijken van {ctx.naam} (hoog naar laag):",
        *_value_lines(data, label, indicator_id, ctx.target_codes),
        f"Gemeente {ctx.naam}: {formatting.indicator_value(indicator_id, reference[ctx.gemeente_code])}; "
        f"Nederland: {formatting.indicator_value(indicator_id, reference[facts.NL_CODE])}.",
    ]
    if ctx.target_codes:
        lines.append("Oranje omlijnd: doelgebieden van de GKA-agenda (* in de lijst).")
    if not result.without_geometry.empty:
        lines.append("Zonder grenzen in de snapshot (wel in de tabel): "
                     + ", ".join(result.without_geometry["naam"].astype(str)) + ".")
    return [Slide(
        title=str(result.figure.layout.title.text), figure=result.figure, source=result.source,
        notes="\n".join(lines), data=data, file_stem=f"{ctx.gemeente_code}_kaart_{indicator_id}",
    )]


def _value_lines(data: pd.DataFrame, value_column: str, indicator_id: str, marked: Sequence[str]) -> list[str]:
    ordered = data.sort_values(value_column, ascending=False, na_position="last")
    return [
        f"- {row.naam}{' *' if row.code in marked else ''}: "
        f"{formatting.indicator_value(indicator_id, value)}"
        for row, value in zip(ordered.itertuples(index=False), ordered[value_column], strict=True)
    ]


# --------------------------------------------------------------------------- CBS charts
def _ranking_slide(ctx: DeckContext) -> list[Slide]:
    indicator_id = RANKING_INDICATOR
    table = ctx.wijk_table
    if indicator_id not in table.frame or table.frame[indicator_id].isna().all():
        return []
    ranked = compare.ranked(table.frame, indicator_id)
    label = labels.indicator_label(indicator_id)
    reference = facts.reference_values(ctx.feiten, ctx.gemeente_code, indicator_id, ctx.jaar)
    source = table.source_line(indicator_id) + f", peiljaar {table.jaren.get(indicator_id)}"
    title = f"{label}: wijken van {ctx.naam} gerangschikt"
    shown = ranked
    if len(ranked) > RANKING_MAX_BARS:
        shown = ranked[(ranked.index < RANKING_MAX_BARS) | ranked["code"].isin(ctx.target_codes)]
        title = f"{label}: de {RANKING_MAX_BARS} hoogste van {len(ranked)} wijken van {ctx.naam}"
    fmt = lambda v: formatting.indicator_value(indicator_id, v)  # noqa: E731
    figure = charts.ranking_bar(
        shown, "waarde", title=title, value_label=label, source=source, formatter=fmt,
        highlight_codes=ctx.target_codes, reference_lines={ctx.naam: reference[ctx.gemeente_code],
                                                           "Nederland": reference[facts.NL_CODE]},
    )
    data = ranked.rename(columns={"waarde": label})
    lines = [f"{label}, rang (1 = hoogste):"] + [
        f"{'' if pd.isna(r.rang) else int(r.rang)}. {r.naam}{' *' if r.code in ctx.target_codes else ''}: {fmt(r.waarde)}"
        for r in ranked.itertuples(index=False)
    ] + [f"Gemeente: {fmt(reference[ctx.gemeente_code])}; Nederland: {fmt(reference[facts.NL_CODE])}."]
    return [Slide(title, figure, source, "\n".join(lines), data, f"{ctx.gemeente_code}_ranglijst_kinderen")]


def _profile_slide(ctx: DeckContext) -> list[Slide]:
    frame = compare.gemeente_vs_nl(ctx.feiten, ctx.gemeente_code)
    frame = frame[frame["indicator"].isin(PROFILE_INDICATORS) & frame["index_nl"].notna()]
    if frame.empty:
        return []
    frame = frame.set_index("indicator").loc[[i for i in PROFILE_INDICATORS if i in set(frame["indicator"])]]
    frame = frame.reset_index()
    gm_text = pd.Series([formatting.indicator_value(i, v) for i, v in zip(frame["indicator"], frame[ctx.gemeente_code],
                                                                           strict=True)], index=frame.index)
    nl_text = pd.Series([formatting.indicator_value(i, v) for i, v in zip(frame["indicator"], frame[facts.NL_CODE],
                                                                           strict=True)], index=frame.index)
    sources = sorted({f"{b}, peiljaar {j}" for b, j in zip(frame["bron"], frame["jaar"], strict=True) if b})
    source = "Bron: " + "; ".join(sources) + "; index: eigen berekening (Nederland = 100)"
    title = f"{ctx.naam} naast Nederland (Nederland = 100)"
    figure = charts.profile_index(
        frame.assign(gemeente_index=frame["index_nl"]), {"gemeente_index": ctx.naam}, title=title, source=source,
        formatted={"gemeente_index": gm_text},
    )
    data = pd.DataFrame({"indicator": frame["label"], ctx.naam: frame[ctx.gemeente_code],
                         "Nederland": frame[facts.NL_CODE], "index_nl": frame["index_nl"],
                         "eenheid": frame["eenheid"], "jaar": frame["jaar"], "bron": frame["bron"]})
    lines = [f"{ctx.naam} tegenover Nederland:"] + [
        f"- {lab}: {g} (Nederland {n}; index {formatting.number(i, 0)})"
        for lab, g, n, i in zip(frame["label"], gm_text, nl_text, frame["index_nl"], strict=True)
    ]
    return [Slide(title, figure, source, "\n".join(lines), data, f"{ctx.gemeente_code}_profiel")]


# --------------------------------------------------------------------------- agenda money
AMOUNT_UNKNOWN_TEXT = "onbekend (PM of niet genoemd)"


def _eur(value, decimals: int = 0) -> str:
    """Agenda money: NaN means the agenda gives no amount (not CBS secrecy)."""
    return AMOUNT_UNKNOWN_TEXT if pd.isna(value) else formatting.euro(value, decimals)


def _funding_source(ctx: DeckContext, cbs_jaar) -> str:
    jaar = "" if pd.isna(cbs_jaar) else f" {int(cbs_jaar)}"
    return f"Bron: {ctx.agenda_source()}; {CBS_CHILDREN_NOTE}{jaar} (85984NED)"


def _gka_and_total(rows: pd.DataFrame, gka_column: str, total_column: str, value_name: str) -> pd.DataFrame:
    """Two bars per row: the GKA part and the total, labelled in ``bedrag``."""
    return pd.concat([
        rows.assign(bedrag="GKA-bijdrage", **{value_name: rows[gka_column]}),
        rows.assign(bedrag="Totaal begroot", **{value_name: rows[total_column]}),
    ], ignore_index=True)


def _funding_intervention_slide(ctx: DeckContext) -> list[Slide]:
    if not ctx.has_agenda:
        return []
    a = ctx.agenda
    rows = funding.funding_per_child(a.interventies, a.agendas, a.begroting, a.doelgebieden, ctx.kinderen,
                                     ctx.gemeente_code)
    if rows.empty:
        return []
    long = _gka_and_total(rows, "eur_per_kind_gka", "eur_per_kind_totaal", "eur_per_kind")
    long["interventie_label"] = long["interventie"].fillna(long["interventie_id"]).map(_short)
    cbs_jaar = rows["cbs_jaar"].dropna().max() if rows["cbs_jaar"].notna().any() else float("nan")
    source = _funding_source(ctx, cbs_jaar)
    title = f"Geld per kind per interventie — {ctx.naam} (hele agendaperiode)"
    figure = charts.grouped_bar(long, "interventie_label", "eur_per_kind", title=title,
                                value_label="€ per kind (agendaperiode)", source=source, color="bedrag",
                                formatter=lambda v: _eur(v, 2), horizontal=True)
    lines = [f"Geld per kind per interventie, {ctx.naam} (hele agendaperiode):"]
    for r in rows.itertuples(index=False):
        gebied = "hele gemeente" if r.matching == "hele_gemeente" else ", ".join(r.doelgebied_codes)
        lines.append(
            f"- {r.interventie or r.interventie_id}: totaal {_eur(r.eur_per_kind_totaal, 2)} per kind "
            f"(GKA {_eur(r.eur_per_kind_gka, 2)}); {_eur(r.totaal_eur)} over "
            f"{formatting.number(r.kinderen)} kinderen {r.leeftijdsband} jaar (CBS {r.cbs_jaar}); doelgebied: {gebied}"
            + ("" if r.totaal_volledig else "; bedrag onvolledig (PM/onbekend)")
            + (f"; {r.twijfel_aantal} twijfel(s) bij de lezing" if r.twijfel_aantal else "")
        )
    data = rows.assign(doelgebied_codes=rows["doelgebied_codes"].map(", ".join))
    return [Slide(title, figure, source, "\n".join(lines), data, f"{ctx.gemeente_code}_geld_per_interventie")]


def _funding_year_slide(ctx: DeckContext) -> list[Slide]:
    if not ctx.has_agenda:
        return []
    a = ctx.agenda
    rows = funding.funding_per_gemeente(a.interventies, a.agendas, a.begroting, a.doelgebieden, ctx.kinderen,
                                        ctx.gemeente_code)
    if rows.empty:
        return []
    periods = ctx.agendas.set_index("agenda_id")["periode"]
    long = _gka_and_total(rows, "eur_per_kind_gka_per_jaar", "eur_per_kind_totaal_per_jaar", "eur")
    long["agenda"] = long["agenda_id"].map(lambda i: f"Agenda {periods.get(i, i)}")
    oab = rows["oab_eur_per_kind_per_jaar"].dropna()
    reference = {"OAB-referentie Nederland": float(oab.iloc[0])} if len(oab) else {}
    source = (_funding_source(ctx, rows["cbs_jaar"].max())
              + f"; OAB: € {formatting.number(funding.OAB_EUR_PER_JAAR / 1e6)} mln per jaar over de kinderen 0-15 van Nederland")
    title = f"Geld per kind per jaar — {ctx.naam} tegenover de OAB-referentie"
    figure = charts.grouped_bar(long, "agenda", "eur", title=title, value_label="€ per kind 0-15 per jaar",
                                source=source, color="bedrag", formatter=lambda v: _eur(v, 2),
                                reference_lines=reference)
    lines = [f"Geld per kind 0-15 per jaar, {ctx.naam}:"]
    for r in rows.itertuples(index=False):
        lines.append(
            f"- Agenda {periods.get(r.agenda_id, r.agenda_id)}: totaal {_eur(r.eur_per_kind_totaal_per_jaar, 2)}, "
            f"GKA {_eur(r.eur_per_kind_gka_per_jaar, 2)} per kind per jaar "
            f"({_eur(r.totaal_eur)} over {r.jaren} jaar, {formatting.number(r.kinderen)} kinderen, CBS {r.cbs_jaar})"
        )
    if reference:
        lines.append(f"OAB-referentie: {_eur(next(iter(reference.values())), 2)} per kind per jaar.")
    data = rows.drop(columns=["interventie_id", "interventie", "soort"]).assign(
        doelgebied_codes=rows["doelgebied_codes"].map(", ".join))
    return [Slide(title, figure, source, "\n".join(lines), data, f"{ctx.gemeente_code}_geld_per_jaar")]


def _planning_slide(ctx: DeckContext) -> list[Slide]:
    if not ctx.has_agenda:
        return []
    interventies = ctx.agenda.interventies
    mine = interventies[interventies["agenda_id"].isin(ctx.agendas["agenda_id"]) & interventies["ingevuld"].astype(bool)]
    mine = mine[mine["planning_start"].notna()]
    if mine.empty:
        return []
    frame = mine.assign(
        label=mine["naam"].fillna(mine["interventie_id"]).map(_short),
        start=mine["planning_start"].astype(float), eind=mine["planning_eind"].astype(float),
        groep=mine["soort"].fillna("interventie"),
    )
    source = f"Bron: {ctx.agenda_source()} (planning zoals in de agenda)"
    title = f"Planning van de interventies — {ctx.naam}"
    figure = charts.timeline(frame, start="start", end="eind", label="label", group="groep", title=title,
                             source=source, hover="planning" if "planning" in frame else None)
    lines = [f"Planning, {ctx.naam}:"] + [
        f"- {r.label}: {int(r.start)}–{'?' if pd.isna(r.eind) else int(r.eind)}" for r in frame.itertuples(index=False)
    ]
    data = frame[["interventie_id", "naam", "soort", "planning_start", "planning_eind"]]
    return [Slide(title, figure, source, "\n".join(lines), data, f"{ctx.gemeente_code}_planning")]


def _short(text: str, limit: int = 48) -> str:
    text = str(text).strip().strip("'")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------- the catalogue of slide kinds
def _map_kind(indicator_id: str) -> SlideKind:
    return SlideKind(f"kaart_{indicator_id}", f"Kaart: {labels.indicator_label(indicator_id)}",
                     lambda ctx: _map_slide(ctx, indicator_id))


SLIDE_KINDS: dict[str, SlideKind] = {kind.id: kind for kind in [
    *(_map_kind(i) for i in DEFAULT_MAP_INDICATORS),
    SlideKind("ranglijst_kinderen", "Wijken gerangschikt op aandeel kinderen 0-15", _ranking_slide),
    SlideKind("profiel", "Gemeente naast Nederland", _profile_slide),
    SlideKind("geld_per_interventie", "Geld per kind per interventie", _funding_intervention_slide, True),
    SlideKind("geld_per_jaar", "Geld per kind per jaar en OAB-referentie", _funding_year_slide, True),
    SlideKind("planning", "Planning van de interventies", _planning_slide, True),
]}


def standard_deck(
    gemeente_code: str,
    feiten: pd.DataFrame,
    *,
    kinds: Sequence[str] | None = None,
    agenda_data: agenda_module.AgendaData | None = None,
    jaar: int | None = None,
) -> list[Slide]:
    """The REA deck of one gemeente: wijk maps, CBS charts and (with an agenda) the money per child.

    Args:
        gemeente_code: GMxxxx.
        feiten: long facts (:func:`gka_dash.facts.load_feiten`).
        kinds: ids from :data:`SLIDE_KINDS`, in the order wanted (default: all).
        agenda_data: the agenda tables (default: :func:`gka_dash.agenda.load_agenda`).
        jaar: latest CBS year to use (None: the latest there is).

    Raises:
        facts.UnknownAreaError: unknown code or not a gemeente (Dutch message).
        KeyError: an unknown slide kind (Dutch message listing the known ones).
    """
    if agenda_data is None:
        agenda_data = agenda_module.load_agenda()
    ctx = DeckContext(gemeente_code, feiten, agenda_data, jaar)
    slides: list[Slide] = []
    for kind_id in kinds or list(SLIDE_KINDS):
        if kind_id not in SLIDE_KINDS:
            raise KeyError(f"onbekende dia '{kind_id}'; kies uit: {', '.join(SLIDE_KINDS)}")
        slides.extend(SLIDE_KINDS[kind_id].build(ctx))
    return slides


def build_deck(gemeente_codes: Sequence[str], feiten: pd.DataFrame, *, kinds: Sequence[str] | None = None,
               agenda_data: agenda_module.AgendaData | None = None, jaar: int | None = None) -> list[Slide]:
    """The standard decks of several gemeenten one after the other."""
    if agenda_data is None:
        agenda_data = agenda_module.load_agenda()
    return [slide for code in gemeente_codes
            for slide in standard_deck(code, feiten, kinds=kinds, agenda_data=agenda_data, jaar=jaar)]


def has_agenda(gemeente_code: str, agenda_data: agenda_module.AgendaData | None) -> bool:
    return agenda_data is not None and bool((agenda_data.agendas["gemeente_code"] == gemeente_code).any())


def deck_title(gemeente_codes: Sequence[str]) -> str:
    """'Gelijke kansen in Leiden' / 'Gelijke kansen in Leiden en Meppel'."""
    names = [str(facts.area(code)["naam"]) for code in gemeente_codes]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]
    return f"Gelijke kansen in {joined}"


def deck_subtitle(gemeente_codes: Sequence[str], agenda_data: agenda_module.AgendaData | None) -> str:
    """The meeting and, per gemeente, its agenda period or 'geen GKA-agenda in de gegevens'."""
    parts = []
    for code in gemeente_codes:
        naam = str(facts.area(code)["naam"])
        if has_agenda(code, agenda_data):
            periods = agenda_data.agendas.loc[agenda_data.agendas["gemeente_code"] == code, "periode"]
            parts.append(f"{naam}: GKA-agenda {', '.join(periods)}")
        else:
            parts.append(f"{naam}: {NO_AGENDA_TEXT}")
    return f"{MEETING} — " + "; ".join(parts)


def agenda_notices(gemeente_codes: Sequence[str], agenda_data: agenda_module.AgendaData | None) -> list[str]:
    """One Dutch line per gemeente without an agenda (its deck has maps and CBS charts only)."""
    return [
        f"{facts.area(code)['naam']}: {NO_AGENDA_TEXT}; het deck toont alleen de kaarten en CBS-grafieken."
        for code in gemeente_codes if not has_agenda(code, agenda_data)
    ]
