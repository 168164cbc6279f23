"""The indicator catalogue: every figure the dashboard shows is defined here, once.

Labels, units, hover text, legends, exports, the upload schema and ``data/SOURCES.md`` all read
from :data:`CATALOGUE`; no page types a label. Facts are stored in long format
(``code, indicator, jaar, waarde, bron``) under these ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LEVELS = ("gemeente", "wijk", "buurt")
ALL_LEVELS = ("land", "gemeente", "wijk", "buurt")

# Direction for the kansenindex: does a higher value mean fewer chances for children?
HIGHER_IS_WORSE = "hoger_is_kansarmer"
LOWER_IS_WORSE = "lager_is_kansarmer"
NEUTRAL = "neutraal"

# DESIGN §5: derived percentages over small populations are not shown.
MIN_INWONERS_FOR_SHARE = 50
MIN_KINDEREN_FOR_SHARE = 10

UNIT_LABELS = {
    "aantal": "aantal",
    "pct": "%",
    "per_1000": "per 1.000 inwoners",
    "x1000_eur": "× € 1.000",
    "km": "km",
    "per_km2": "per km²",
    "klasse": "klasse (1 = zeer sterk stedelijk)",
    "personen": "personen",
    "eur": "€",
}


@dataclass(frozen=True)
class Indicator:
    """One figure, as the dashboard and the data files know it.

    Attributes:
        id: column / fact id, Dutch snake_case with the unit as suffix where it has one.
        label: Dutch label as shown on screen (CBS wording where CBS has one).
        unit: key of :data:`UNIT_LABELS`.
        cbs_stem: the CBS OData key without its numeric suffix (DESIGN §5), if it is a CBS column.
        direction: kansenindex direction (:data:`HIGHER_IS_WORSE`, :data:`LOWER_IS_WORSE`, :data:`NEUTRAL`).
        theme: group in selectors.
        levels: the levels at which the embedded snapshot holds it.
        numerator / denominator: for shares derived from two counts (in percent).
        description: one sentence on what it is and its caveats.
    """

    id: str
    label: str
    unit: str
    theme: str
    direction: str = NEUTRAL
    cbs_stem: str | None = None
    levels: tuple[str, ...] = LEVELS
    numerator: str | None = None
    denominator: str | None = None
    description: str = ""
    decimals: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    @property
    def is_derived(self) -> bool:
        return self.numerator is not None


def _count(id_: str, label: str, stem: str | None, theme: str, **kw) -> Indicator:
    return Indicator(id=id_, label=label, unit="aantal", cbs_stem=stem, theme=theme, **kw)


def _share(id_: str, label: str, numerator: str, denominator: str, theme: str, **kw) -> Indicator:
    return Indicator(
        id=id_, label=label, unit="pct", theme=theme, numerator=numerator,
        denominator=denominator, decimals=1, **kw,
    )


_BEVOLKING = "Bevolking"
_HERKOMST = "Herkomst"
_WONEN = "Wonen"
_INKOMEN = "Inkomen en armoede"
_ZORG = "Zorg en welzijn"
_ONDERWIJS = "Onderwijs en arbeid"
_OMGEVING = "Omgeving"

_INDICATORS: list[Indicator] = [
    # --- Bevolking (KWB 2024, every level; wijk/buurt counts randomly rounded to 5 by CBS)
    _count("inwoners", "Aantal inwoners", "AantalInwoners", _BEVOLKING),
    _count("mannen", "Mannen", "Mannen", _BEVOLKING),
    _count("vrouwen", "Vrouwen", "Vrouwen", _BEVOLKING),
    _count("kinderen_0_15", "Kinderen 0 tot 15 jaar", "k_0Tot15Jaar", _BEVOLKING),
    _count("jongeren_15_25", "Jongeren 15 tot 25 jaar", "k_15Tot25Jaar", _BEVOLKING),
    _count("inwoners_25_45", "Inwoners 25 tot 45 jaar", "k_25Tot45Jaar", _BEVOLKING),
    _count("inwoners_45_65", "Inwoners 45 tot 65 jaar", "k_45Tot65Jaar", _BEVOLKING),
    _count("inwoners_65_plus", "Inwoners 65 jaar of ouder", "k_65JaarOfOuder", _BEVOLKING),
    _share("aandeel_0_15_pct", "Aandeel kinderen 0-15 jaar", "kinderen_0_15", "inwoners", _BEVOLKING),
    _share("aandeel_15_25_pct", "Aandeel jongeren 15-25 jaar", "jongeren_15_25", "inwoners", _BEVOLKING),
    _share("aandeel_65_plus_pct", "Aandeel 65 jaar of ouder", "inwoners_65_plus", "inwoners", _BEVOLKING),
    # --- Herkomst (KWB 2024, every level)
    _count("herkomst_nederland", "Herkomst Nederland", "Nederland", _HERKOMST),
    _count("herkomst_europa", "Herkomst Europa (excl. Nederland)", "EuropaExclusiefNederland", _HERKOMST),
    _count("herkomst_buiten_europa", "Herkomst buiten Europa", "BuitenEuropa", _HERKOMST),
    _share(
        "herkomst_buiten_europa_pct", "Aandeel herkomst buiten Europa", "herkomst_buiten_europa",
        "inwoners", _HERKOMST, direction=HIGHER_IS_WORSE,
        description="Herkomst is geen oorzaak van achterstand, maar hangt in CBS- en "
        "onderwijsachterstandencijfers samen met kansenongelijkheid; gewicht instelbaar.",
    ),
    # --- Huishoudens en wonen (KWB 2024 via woonikveilig)
    _count("huishoudens", "Aantal huishoudens", "HuishoudensTotaal", _WONEN),
    Indicator("huishoudensgrootte", "Gemiddelde huishoudensgrootte", "personen", _WONEN,
              cbs_stem="GemiddeldeHuishoudensgrootte", decimals=1),
    Indicator("bevolkingsdichtheid_per_km2", "Bevolkingsdichtheid", "per_km2", _WONEN,
              cbs_stem="Bevolkingsdichtheid"),
    Indicator("woz_waarde_x1000_eur", "Gemiddelde WOZ-waarde van woningen", "x1000_eur", _WONEN,
              cbs_stem="GemiddeldeWOZWaardeVanWoningen", direction=LOWER_IS_WORSE),
    Indicator("koopwoningen_pct", "Koopwoningen", "pct", _WONEN, cbs_stem="Koopwoningen",
              direction=LOWER_IS_WORSE),
    Indicator("eengezinswoningen_pct", "Eengezinswoningen", "pct", _WONEN,
              cbs_stem="PercentageEengezinswoning"),
    _count("woningvoorraad", "Woningvoorraad", "Woningvoorraad", _WONEN, levels=("gemeente", "wijk")),
    # --- Inkomen en armoede
    Indicator("inkomen_per_inwoner_x1000_eur", "Gemiddeld inkomen per inwoner", "x1000_eur", _INKOMEN,
              cbs_stem="GemiddeldInkomenPerInwoner", direction=LOWER_IS_WORSE, decimals=1,
              description="CBS toont dit alleen voor gebieden met ten minste 2.500 inwoners met inkomen."),
    Indicator("laag_inkomen_pct", "Huishoudens met een laag inkomen", "pct", _INKOMEN,
              cbs_stem="HuishoudensMetEenLaagInkomen", direction=HIGHER_IS_WORSE, levels=("gemeente",),
              decimals=1),
    Indicator("sociaal_minimum_pct", "Huishoudens onder of rond het sociaal minimum", "pct", _INKOMEN,
              cbs_stem="HuishOnderOfRondSociaalMinimum", direction=HIGHER_IS_WORSE,
              levels=("gemeente",), decimals=1),
    Indicator("sociaal_minimum_120_pct", "Huishoudens tot 120% van het sociaal minimum", "pct", _INKOMEN,
              cbs_stem="HuishoudensTot120VanSociaalMinimum", direction=HIGHER_IS_WORSE,
              levels=("gemeente",), decimals=1),
    Indicator("bijstand_per_1000", "Personen met bijstand", "per_1000", _INKOMEN,
              direction=HIGHER_IS_WORSE, levels=("gemeente",), decimals=1),
    # CBS publishes bijstand as a count per area; kept apart from the rate above.
    _count("bijstand_personen", "Personen met bijstand (aantal)", "PersonenPerSoortUitkeringBijstand", _INKOMEN,
           levels=()),
    Indicator("mediaan_vermogen_x1000_eur", "Mediaan vermogen van particuliere huishoudens", "x1000_eur",
              _INKOMEN, cbs_stem="MediaanVermogenVanParticuliereHuish", direction=LOWER_IS_WORSE,
              levels=("gemeente",), decimals=1),
    # --- Zorg en welzijn
    Indicator("jeugdzorg_pct", "Jongeren met jeugdzorg", "pct", _ZORG,
              cbs_stem="PercentageJongerenMetJeugdzorg", direction=HIGHER_IS_WORSE,
              levels=("gemeente",), decimals=1),
    Indicator("wmo_per_1000", "Wmo-cliënten", "per_1000", _ZORG, cbs_stem="WmoClientenRelatief",
              levels=("gemeente",)),
    Indicator("goed_ervaren_gezondheid_pct", "Goed ervaren gezondheid (18+)", "pct", _ZORG,
              direction=LOWER_IS_WORSE, decimals=1,
              description="RIVM Gezondheidsmonitor (tabel 50150NED), niet uit de KWB."),
    Indicator("misdrijven_per_1000", "Geregistreerde misdrijven", "per_1000", _ZORG, decimals=1,
              description="Politie via CBS (tabel 47022NED), laatste 12 maanden tot de peildatum."),
    # --- Onderwijs en arbeid (gemeente level only in the snapshot)
    Indicator("opleiding_laag_pct", "Opleidingsniveau laag (basisonderwijs, vmbo, mbo 1)", "pct", _ONDERWIJS,
              direction=HIGHER_IS_WORSE, levels=("gemeente",), decimals=1),
    Indicator("opleiding_midden_pct", "Opleidingsniveau midden (havo, vwo, mbo 2-4)", "pct", _ONDERWIJS,
              levels=("gemeente",), decimals=1),
    Indicator("opleiding_hoog_pct", "Opleidingsniveau hoog (hbo, wo)", "pct", _ONDERWIJS,
              direction=LOWER_IS_WORSE, levels=("gemeente",), decimals=1),
    # KWB publishes education levels as counts (rounded to tens); shares come from the 2021/2022 sources.
    _count("opleiding_laag", "Inwoners 15-75 jaar met opleidingsniveau laag", "BasisonderwijsVmboMbo1", _ONDERWIJS,
           levels=()),
    _count("opleiding_midden", "Inwoners 15-75 jaar met opleidingsniveau midden", "HavoVwoMbo24", _ONDERWIJS,
           levels=()),
    _count("opleiding_hoog", "Inwoners 15-75 jaar met opleidingsniveau hoog", "HboWo", _ONDERWIJS, levels=()),
    Indicator("arbeidsparticipatie_pct", "Netto arbeidsparticipatie", "pct", _ONDERWIJS,
              cbs_stem="Nettoarbeidsparticipatie", direction=LOWER_IS_WORSE, levels=("gemeente",),
              decimals=1),
    # --- Omgeving
    Indicator("stedelijkheid", "Mate van stedelijkheid", "klasse", _OMGEVING, cbs_stem="MateVanStedelijkheid"),
    Indicator("afstand_school_km", "Afstand tot school", "km", _OMGEVING, cbs_stem="AfstandTotSchool",
              decimals=1),
    Indicator("scholen_binnen_3km", "Scholen binnen 3 km", "aantal", _OMGEVING, cbs_stem="ScholenBinnen3Km",
              decimals=1),
]

CATALOGUE: dict[str, Indicator] = {ind.id: ind for ind in _INDICATORS}

# CBS OData stem -> indicator id (DESIGN §5: the suffix changes per year, the stem does not).
CBS_STEMS: dict[str, str] = {ind.cbs_stem: ind.id for ind in _INDICATORS if ind.cbs_stem}


def get(indicator_id: str) -> Indicator:
    """Return the catalogue entry, or raise a Dutch KeyError naming the unknown id."""
    try:
        return CATALOGUE[indicator_id]
    except KeyError:
        raise KeyError(f"onbekende indicator '{indicator_id}'") from None


def derived_indicators() -> list[Indicator]:
    return [ind for ind in _INDICATORS if ind.is_derived]


def available_at(level: str) -> list[Indicator]:
    return [ind for ind in _INDICATORS if level in ind.levels]


def label_with_unit(indicator_id: str) -> str:
    ind = get(indicator_id)
    return f"{ind.label} ({ind.unit_label})"
