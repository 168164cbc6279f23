"""The kansenindex: a transparent composite of the indicators available at one level.

Formula (shown on the Kansenindex page, see :data:`FORMULA`):

1. Components are the catalogue indicators with a direction (``hoger_is_kansarmer`` or
   ``lager_is_kansarmer``, :mod:`gka_dash.indicators`). Neutral indicators never enter.
2. Per component *i* and area *a*: ``z_i(a) = s_i * (x_i(a) - mean_i) / sd_i``, with mean and
   (population) standard deviation over the reference areas (by default the areas ranked; or
   e.g. all wijken of the country) and ``s_i = +1`` when a higher value means fewer chances,
   ``-1`` when a lower value does. So a positive z always means "kansarmer than average".
3. ``score(a) = sum_i w_i * z_i(a) / sum_i w_i``, summed over the components that *a* has a value
   for (a weighted mean over the available components). An area whose available components
   carry less than :data:`MIN_WEIGHT_SHARE` of the total weight gets no score.
4. Rank 1 = the highest score = the area with the fewest chances by these indicators.

A component is left out at a level, with the reason reported, when the catalogue or the data
has no value for it there, when it has fewer than :data:`MIN_AREAS` values, when it has no
spread, or when its weight is 0.

Pure: a table (one row per area) and weights in, scores and a component report out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gka_dash import indicators

SIGN = {indicators.HIGHER_IS_WORSE: 1.0, indicators.LOWER_IS_WORSE: -1.0}
DIRECTION_LABELS = {indicators.HIGHER_IS_WORSE: "hoger = kansarmer", indicators.LOWER_IS_WORSE: "lager = kansarmer"}
DEFAULT_WEIGHT = 1.0
MIN_WEIGHT_SHARE = 0.5
MIN_AREAS = 3
AREA_COLUMNS = ("code", "naam")

FORMULA = (
    "Per component *i* en gebied *a*: z = s · (x − gemiddelde) / standaarddeviatie over de "
    "referentiegebieden, met s = +1 als een hogere waarde minder kansen betekent en s = −1 als een "
    "lagere waarde dat doet. Kansenindex(a) = Σ gewicht·z / Σ gewicht over de componenten waarvoor "
    "het gebied een waarde heeft (minstens de helft van het totale gewicht, anders geen score). "
    "Positief = kansarmer dan gemiddeld; rang 1 = de hoogste score."
)

REASON_NOT_AT_LEVEL = "niet beschikbaar op dit niveau (CBS publiceert het alleen voor: {levels})"
REASON_NO_DATA = "geen gegevens voor deze gebieden"
REASON_TOO_FEW = "te weinig gebieden met een waarde ({n}, minimaal {min})"
REASON_NO_SPREAD = "geen spreiding tussen de gebieden"
REASON_ZERO_WEIGHT = "gewicht 0"


@dataclass
class KansenindexResult:
    """Scores per area and the report on every candidate component.

    Attributes:
        scores: one row per area: ``code``, ``naam``, ``kansenindex`` (NaN when too few
            components), ``rang`` (1 = kansarmst; NaN without a score), ``componenten`` (how many
            components the area has a value for), and ``z_<indicator>`` per used component.
        components: one row per candidate component: ``indicator``, ``richting``, ``gewicht``,
            ``gebruikt`` (bool), ``reden`` (why it was left out, empty when used), ``gemiddelde``,
            ``standaarddeviatie`` (of the reference), ``gebieden`` (areas with a value).
    """

    scores: pd.DataFrame
    components: pd.DataFrame

    @property
    def used(self) -> list[str]:
        return self.components.loc[self.components["gebruikt"], "indicator"].tolist()

    @property
    def left_out(self) -> pd.DataFrame:
        return self.components.loc[~self.components["gebruikt"], ["indicator", "reden"]].reset_index(drop=True)


def candidate_components() -> list[str]:
    """Every catalogue indicator with a kansenindex direction, in catalogue order."""
    return [ind.id for ind in indicators.CATALOGUE.values() if ind.direction in SIGN]


def default_weights(table: pd.DataFrame, niveau: str) -> dict[str, float]:
    """Weight :data:`DEFAULT_WEIGHT` for each candidate that has values in ``table`` at ``niveau``."""
    out = {}
    for ind_id in candidate_components():
        if niveau in indicators.get(ind_id).levels and ind_id in table and table[ind_id].notna().any():
            out[ind_id] = DEFAULT_WEIGHT
    return out


def compute(
    table: pd.DataFrame,
    niveau: str,
    weights: dict[str, float] | None = None,
    reference: pd.DataFrame | None = None,
) -> KansenindexResult:
    """Score and rank the areas of ``table``.

    Args:
        table: one row per area with ``code``, ``naam`` and indicator columns (e.g.
            ``facts.wide(...).frame``).
        niveau: 'gemeente', 'wijk' or 'buurt' (to explain components missing at this level).
        weights: indicator id -> weight >= 0; None: :func:`default_weights`. Ids without a
            direction are refused (they have no defined "kansarm" side).
        reference: areas whose mean and standard deviation standardise each component (default:
            ``table`` itself). Use all wijken of NL to make scores comparable across gemeenten.

    Raises:
        ValueError: for an unknown indicator, an indicator without direction, or a negative weight.
    """
    if weights is None:
        weights = default_weights(table, niveau)
    _check_weights(weights)
    reference = table if reference is None else reference
    rows, z_columns = [], {}
    for ind_id in candidate_components():
        weight = float(weights.get(ind_id, 0.0))
        row, z = _component(table, reference, niveau, ind_id, weight)
        rows.append(row)
        if z is not None:
            z_columns[ind_id] = z
    components = pd.DataFrame(rows)
    scores = _scores(table, z_columns, {i: float(weights[i]) for i in z_columns})
    return KansenindexResult(scores, components)


def _check_weights(weights: dict[str, float]) -> None:
    for ind_id, weight in weights.items():
        ind = indicators.get(ind_id)
        if ind.direction not in SIGN:
            raise ValueError(f"'{ind_id}' heeft geen richting (neutraal) en kan niet in de kansenindex")
        if not np.isfinite(weight) or weight < 0:
            raise ValueError(f"gewicht van '{ind_id}' moet 0 of groter zijn, niet {weight!r}")


def _component(table, reference, niveau, ind_id, weight) -> tuple[dict, pd.Series | None]:
    ind = indicators.get(ind_id)
    row = {
        "indicator": ind_id, "richting": ind.direction, "gewicht": weight, "gebruikt": False, "reden": "",
        "gemiddelde": np.nan, "standaarddeviatie": np.nan, "gebieden": 0,
    }
    values = table[ind_id].astype(float) if ind_id in table else pd.Series(np.nan, index=table.index)
    ref = reference[ind_id].astype(float).dropna() if ind_id in reference else pd.Series(dtype=float)
    row["gebieden"] = int(values.notna().sum())
    if niveau not in ind.levels and row["gebieden"] == 0:
        row["reden"] = REASON_NOT_AT_LEVEL.format(levels=", ".join(ind.levels))
    elif row["gebieden"] == 0 or ref.empty:
        row["reden"] = REASON_NO_DATA
    elif len(ref) < MIN_AREAS:
        row["reden"] = REASON_TOO_FEW.format(n=len(ref), min=MIN_AREAS)
    else:
        mean, sd = float(ref.mean()), float(ref.std(ddof=0))
        row["gemiddelde"], row["standaarddeviatie"] = mean, sd
        if not sd > 0:
            row["reden"] = REASON_NO_SPREAD
        elif weight == 0:
            row["reden"] = REASON_ZERO_WEIGHT
        else:
            row["gebruikt"] = True
            return row, SIGN[ind.direction] * (values - mean) / sd
    return row, None


def _scores(table: pd.DataFrame, z_columns: dict[str, pd.Series], weights: dict[str, float]) -> pd.DataFrame:
    out = table[list(AREA_COLUMNS)].copy()
    if not z_columns:
        out["kansenindex"] = np.nan
        out["componenten"] = 0
        out["rang"] = np.nan
        return out
    z = pd.DataFrame(z_columns)
    w = pd.Series(weights)[z.columns]
    available = z.notna()
    weight_present = available.mul(w, axis=1).sum(axis=1)
    weighted = z.fillna(0.0).mul(w, axis=1).sum(axis=1)
    score = weighted / weight_present.where(weight_present > 0)
    score = score.where(weight_present >= MIN_WEIGHT_SHARE * w.sum())
    out["kansenindex"] = score
    out["componenten"] = available.sum(axis=1).astype(int)
    out["rang"] = score.rank(ascending=False, method="min")
    for ind_id in z.columns:
        out[f"z_{ind_id}"] = z[ind_id]
    return out.sort_values(["rang", "naam"], na_position="last").reset_index(drop=True)


def candidates(result: KansenindexResult, n: int = 3) -> pd.DataFrame:
    """The ``n`` areas with the highest score (suggested target areas)."""
    scored = result.scores.dropna(subset=["kansenindex"])
    return scored.nsmallest(n, "rang").reset_index(drop=True)


def ranks_of(result: KansenindexResult, codes: list[str]) -> pd.DataFrame:
    """Rank and score of the given areas (e.g. an agenda's target areas), plus the number ranked."""
    ranked = int(result.scores["kansenindex"].notna().sum())
    rows = result.scores[result.scores["code"].isin(codes)][["code", "naam", "kansenindex", "rang"]]
    return rows.assign(van=ranked).reset_index(drop=True)


def component_report(result: KansenindexResult, jaren: dict[str, int], bronnen: dict[str, str]) -> pd.DataFrame:
    """The component table as shown and downloaded: Dutch labels, direction, weight, year, source, reason."""
    comp = result.components
    return pd.DataFrame({
        "indicator": comp["indicator"],
        "component": comp["indicator"].map(lambda i: indicators.get(i).label),
        "richting": comp["richting"].map(DIRECTION_LABELS),
        "gewicht": comp["gewicht"],
        "gebruikt": comp["gebruikt"].map({True: "ja", False: "nee"}),
        "reden_weggelaten": comp["reden"],
        "gebieden_met_waarde": comp["gebieden"],
        "gemiddelde_referentie": comp["gemiddelde"],
        "sd_referentie": comp["standaarddeviatie"],
        "jaar": comp["indicator"].map(jaren),
        "bron": comp["indicator"].map(bronnen),
    })


def source_line(result: KansenindexResult, jaren: dict[str, int], bronnen: dict[str, str]) -> str:
    """'Bron: CBS KWB 2024 (85984NED), peiljaren 2024; kansenindex: eigen berekening' for the used components."""
    used = result.used
    sources = sorted({bronnen.get(i, "") for i in used if bronnen.get(i)})
    years = sorted({jaren[i] for i in used if i in jaren})
    if not sources:
        return "Bron: geen gegevens"
    return (f"Bron: {'; '.join(sources)}, peiljaar {', '.join(map(str, years))}; "
            "kansenindex: eigen berekening gka-dash (formule op deze pagina)")


def left_out_summary(result: KansenindexResult) -> list[str]:
    """One Dutch line per reason: 'niet beschikbaar op dit niveau (...): Huishoudens met een laag inkomen, ...'."""
    out = []
    left = result.left_out
    for reason, group in left.groupby("reden", sort=False):
        names = ", ".join(indicators.get(i).label for i in group["indicator"])
        out.append(f"{reason}: {names}")
    return out
