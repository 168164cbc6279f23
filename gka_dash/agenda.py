"""The agenda model: gemeenten, agendas, interventies, begroting, doelgebieden, scholen, afspraken.

The tables live as CSV files in ``data/agenda/`` (UTF-8, comma-separated, a header row),
transcribed from the GKA agendas in ``../shared/seeds`` (DESIGN §3: long format, one fact per
row, every fact traceable through ``bron_citaat``). Every column is described once in
:data:`COLUMNS`; :data:`TABLES` only lists column names and keys. The pandera schemas, the
README column list and the Dutch error messages are all built from those two dicts.

This is the I/O layer of the agenda; :mod:`gka_dash.funding` does the arithmetic on the frames
returned here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from gka_dash import paths

# --------------------------------------------------------------------------- value lists
SOORTEN = ("interventie", "experiment", "community")
FINANCIERS = ("GKA", "gemeente", "scholen/besturen", "EU", "overig")
STATUSSEN = ("toegezegd", "begroot", "voorlopig", "PM", "onbekend")
ROLLEN_BEGROTING = ("totaal", "post", "bijdrage")
BEPALINGEN = ("genoemd", "afgeleid")
MATCHINGEN = ("genoemd", "afgeleid", "hele_gemeente")
ROLLEN_GEBIED = ("doelgebied", "extra_aandacht")
SCHOOLTYPES = ("po", "vo", "so", "mbo", "kinderopvang")
AFSPRAAK_SOORTEN = (
    "bestuurlijk_overleg", "beleidsoverleg", "analyse", "lopend_onderzoek", "kennisdeling", "overig",
)
# Amounts without a number must say why; amounts with a number cannot be PM/onbekend.
STATUS_ZONDER_BEDRAG = ("PM", "onbekend")

_GM = r"^GM\d{4}$"
_AGENDA = r"^GM\d{4}-\d{4}$"
_INTERVENTIE = r"^GM\d{4}-\d{4}-[IEC]\d+$"
_GEBIED = r"^(GM\d{4}|WK\d{6}|BU\d{8})$"
_DATUM = r"^\d{4}-\d{2}-\d{2}$"
_SCHOOLJAAR = r"^\d{4}-\d{4}$"

# --------------------------------------------------------------------------- columns, defined once
# type: 'string' | 'integer' | 'number' | 'boolean'. required: not empty. values: allowed values.
# pattern: regular expression the text must match. unit: in the name where there is one.
COLUMNS: dict[str, dict] = {
    "gemeente_code": {"type": "string", "required": True, "pattern": _GM,
                      "description": "CBS gemeentecode (GMxxxx), zonder opvulling."},
    "gemeente_naam": {"type": "string", "required": True, "description": "Naam van de gemeente (CBS)."},
    "agenda_id": {"type": "string", "required": True, "pattern": _AGENDA,
                  "description": "Sleutel van een agenda: gemeentecode-beginjaar, bijv. GM0119-2022."},
    "periode": {"type": "string", "required": True, "pattern": _SCHOOLJAAR,
                "description": "Agendaperiode zoals in de agenda, bijv. 2019-2021."},
    "jaar_start": {"type": "integer", "required": True, "description": "Eerste kalenderjaar van de agendaperiode."},
    "jaar_eind": {"type": "integer", "description": "Laatste kalenderjaar waarop het bedrag of de agenda betrekking heeft."},
    "ondertekend_gemeente": {"type": "string", "pattern": _DATUM,
                             "description": "Datum (JJJJ-MM-DD) van ondertekening door de gemeente; leeg als het blok leeg is."},
    "ondertekend_rijk": {"type": "string", "pattern": _DATUM,
                         "description": "Datum (JJJJ-MM-DD) van ondertekening door OCW; leeg als het blok leeg is."},
    "bron": {"type": "string", "required": True, "description": "Bestandsnaam van de agenda in ../shared/seeds."},
    "bron_citaat": {"type": "string",
                    "description": "Letterlijke tekst uit de agenda waar het feit vandaan komt (witruimte genormaliseerd)."},
    "toelichting": {"type": "string", "description": "Uitleg van de transcriptie: hoe gelezen, wat afgeleid is en waarom."},
    "interventie_id": {"type": "string", "pattern": _INTERVENTIE,
                       "description": "Sleutel: agenda_id-I<n> (interventie), -E<n> (experiment) of -C<n> (community)."},
    "soort": {"type": "string", "required": True,
              "description": "Soort blok (interventies: interventie|experiment|community; afspraken: soort afspraak)."},
    "volgnummer": {"type": "integer", "required": True, "description": "Nummer van het blok in de agenda (Interventie 1, 2, ...)."},
    "ingevuld": {"type": "boolean", "required": True,
                 "description": "false voor een leeg sjabloonblok: vastgelegd als afwezig, niets verzonnen."},
    "naam": {"type": "string", "description": "Naam van de interventie zoals in de agenda."},
    "thema": {"type": "string", "description": "GKA-thema(s), gescheiden door '; '; afgeleide thema's staan in toelichting."},
    "betrokken_partijen": {"type": "string", "description": "Betrokken partijen (tekst uit de agenda, zonder HTML)."},
    "doel": {"type": "string", "description": "Doel van de interventie (tekst uit de agenda, zonder HTML)."},
    "doelgroep": {"type": "string", "description": "Doelgroep (tekst uit de agenda)."},
    "leeftijd_min": {"type": "integer", "description": "Jongste leeftijd (jaren) van de doelgroep, alleen als de agenda die noemt."},
    "leeftijd_max": {"type": "integer",
                     "description": "Oudste leeftijd (jaren, inclusief) van de doelgroep, alleen als de agenda die noemt."},
    "planning": {"type": "string", "description": "Planning (tekst uit de agenda)."},
    "planning_start": {"type": "integer", "description": "Startjaar van de uitvoering volgens de planning."},
    "planning_eind": {"type": "integer", "description": "Eindjaar van de uitvoering volgens de planning."},
    "monitoring": {"type": "string", "description": "Monitoring en evaluatie (tekst uit de agenda)."},
    "regel": {"type": "integer", "required": True, "description": "Volgnummer van de regel binnen de agenda of interventie."},
    "rol": {"type": "string", "required": True,
            "description": "Rol van de regel (begroting: totaal|post|bijdrage; doelgebied: doelgebied|extra_aandacht; "
                           "school: rol van de school)."},
    "post": {"type": "string", "description": "Kostenpost zoals genoemd (bijv. procesbegeleider), bij rol 'post'."},
    "jaar": {"type": "integer",
             "description": "Eerste kalenderjaar waarvoor het bedrag geldt; leeg: de hele agendaperiode."},
    "schooljaar": {"type": "string", "pattern": _SCHOOLJAAR, "description": "Schooljaar (bijv. 2019-2020) als het bedrag per schooljaar is."},
    "financier": {"type": "string", "values": FINANCIERS,
                  "description": "Wie betaalt (GKA|gemeente|scholen/besturen|EU|overig); verplicht bij rol 'bijdrage'."},
    "bedrag_eur": {"type": "number", "unit": "EUR",
                   "description": "Bedrag in euro zoals gelezen; leeg bij PM of onbekend (nooit 0 voor 'onbekend')."},
    "status": {"type": "string", "required": True, "values": STATUSSEN,
               "description": "toegezegd|begroot|voorlopig|PM|onbekend."},
    "bepaling": {"type": "string", "required": True, "values": BEPALINGEN,
                 "description": "genoemd: bedrag staat in de agenda; afgeleid: berekend uit andere bedragen (met twijfel)."},
    "telt_mee": {"type": "boolean", "required": True,
                 "description": "false voor herhalingen en controlegetallen, zodat niets dubbel wordt opgeteld."},
    "twijfel": {"type": "string", "description": "Twijfel bij de lezing (typefout, tegenstrijdigheid, afleiding); het dashboard toont die."},
    "gebiedscode": {"type": "string", "required": True, "pattern": _GEBIED, "description": "CBS 2024-code (GM/WK/BU)."},
    "gebiedsnaam": {"type": "string", "required": True, "description": "Naam van het gebied in KWB 2024."},
    "matching": {"type": "string", "required": True, "values": MATCHINGEN,
                 "description": "genoemd (in de agenda), afgeleid (uit een naam die CBS niet gebruikt) of hele_gemeente (geen gebied genoemd)."},
    "gebied_onbepaald": {"type": "boolean", "required": True,
                         "description": "true als de agenda wijken bedoelt zonder ze te noemen; de kansenindex kan kandidaten voorstellen."},
    "school_naam": {"type": "string", "description": "Naam van de school zoals in de agenda; leeg als de agenda geen naam noemt."},
    "schooltype": {"type": "string", "values": SCHOOLTYPES, "description": "po|vo|so|mbo|kinderopvang."},
    "omschrijving": {"type": "string", "description": "Wat is afgesproken."},
    "frequentie": {"type": "string", "description": "Hoe vaak (zoals in de agenda)."},
    "samenstelling": {"type": "string", "description": "Wie er aan tafel zit."},
}

# Columns whose allowed values depend on the table.
_TABLE_VALUES = {
    ("interventies", "soort"): SOORTEN,
    ("afspraken", "soort"): AFSPRAAK_SOORTEN,
    ("begroting", "rol"): ROLLEN_BEGROTING,
    ("doelgebieden", "rol"): ROLLEN_GEBIED,
}
# Columns that are required in one table and optional in the others.
_TABLE_REQUIRED = {
    ("interventies", "interventie_id"), ("doelgebieden", "interventie_id"), ("scholen", "interventie_id"),
    ("interventies", "bron_citaat"), ("begroting", "bron_citaat"), ("scholen", "bron_citaat"),
    ("afspraken", "bron_citaat"), ("agendas", "bron_citaat"), ("agendas", "jaar_eind"),
}

TABLES: dict[str, dict] = {
    "gemeenten": {"fields": ["gemeente_code", "gemeente_naam"], "primary_key": ["gemeente_code"],
                  "description": "De gemeenten met een agenda."},
    "agendas": {"fields": ["agenda_id", "gemeente_code", "periode", "jaar_start", "jaar_eind", "ondertekend_gemeente",
                           "ondertekend_rijk", "bron", "bron_citaat", "toelichting"],
                "primary_key": ["agenda_id"], "description": "Eén rij per GKA-agenda."},
    "interventies": {"fields": ["interventie_id", "agenda_id", "soort", "volgnummer", "ingevuld", "naam", "thema",
                                "betrokken_partijen", "doel", "doelgroep", "leeftijd_min", "leeftijd_max", "planning",
                                "planning_start", "planning_eind", "monitoring", "bron_citaat", "toelichting"],
                     "primary_key": ["interventie_id"],
                     "description": "Interventies, experimenten en communities; lege sjabloonblokken met ingevuld=false."},
    "begroting": {"fields": ["agenda_id", "regel", "interventie_id", "rol", "post", "jaar", "jaar_eind", "schooljaar",
                             "financier", "bedrag_eur", "status", "bepaling", "telt_mee", "bron_citaat", "twijfel",
                             "toelichting"],
                  "primary_key": ["agenda_id", "regel"],
                  "description": "Elk geldbedrag uit de agenda, één rij per bedrag × jaar × financier; interventie_id "
                                 "leeg voor bedragen van de agenda als geheel."},
    "doelgebieden": {"fields": ["interventie_id", "gebiedscode", "gebiedsnaam", "matching", "rol", "gebied_onbepaald",
                                "bron_citaat", "toelichting"],
                     "primary_key": ["interventie_id", "gebiedscode"],
                     "description": "Doelgebieden per interventie op CBS 2024-codes, met hoe ze gevonden zijn."},
    "scholen": {"fields": ["interventie_id", "regel", "school_naam", "schooltype", "gemeente_code", "rol",
                           "bron_citaat", "toelichting"],
                "primary_key": ["interventie_id", "regel"], "description": "Scholen die de agenda noemt."},
    "afspraken": {"fields": ["agenda_id", "regel", "soort", "omschrijving", "frequentie", "samenstelling", "bron_citaat"],
                  "primary_key": ["agenda_id", "regel"], "description": "Bestuurlijke en werkafspraken."},
}
TABLE_NAMES = tuple(TABLES)

_PANDERA_DTYPES = {"string": str, "integer": "Int64", "number": "float64", "boolean": "boolean"}
_TRUE = {"true", "waar", "ja", "1"}
_FALSE = {"false", "onwaar", "nee", "0"}


class AgendaValidationError(ValueError):
    """One or more problems in the agenda tables; ``problems`` lists each Dutch message."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Fouten in de agendagegevens:\n" + "\n".join(f"- {p}" for p in problems))


# --------------------------------------------------------------------------- schemas
def column_spec(table: str, column: str) -> dict:
    """The definition of ``column`` as used in ``table`` (table-specific values/required applied)."""
    spec = dict(COLUMNS[column])
    if (table, column) in _TABLE_VALUES:
        spec["values"] = _TABLE_VALUES[(table, column)]
    if (table, column) in _TABLE_REQUIRED:
        spec["required"] = True
    return spec


def schema(table: str) -> pa.DataFrameSchema:
    """The pandera schema of one table, built from :data:`COLUMNS` and :data:`TABLES`."""
    meta = TABLES[table]
    columns = {}
    for name in meta["fields"]:
        spec = column_spec(table, name)
        checks = []
        if "values" in spec:
            checks.append(pa.Check.isin(list(spec["values"])))
        if "pattern" in spec:
            checks.append(pa.Check.str_matches(spec["pattern"]))
        columns[name] = pa.Column(
            _PANDERA_DTYPES[spec["type"]], checks=checks, nullable=not spec.get("required", False),
            coerce=True, description=spec["description"],
        )
    return pa.DataFrameSchema(columns, unique=meta["primary_key"], strict=True, ordered=False, name=table)


# --------------------------------------------------------------------------- reading and validating
@dataclass(frozen=True)
class AgendaData:
    """All agenda tables, validated."""

    gemeenten: pd.DataFrame
    agendas: pd.DataFrame
    interventies: pd.DataFrame
    begroting: pd.DataFrame
    doelgebieden: pd.DataFrame
    scholen: pd.DataFrame
    afspraken: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLE_NAMES}


def load_agenda(directory: Path | str | None = None, gebiedscodes: set[str] | None = None) -> AgendaData:
    """Read and validate every table in ``directory`` (default ``data/agenda``).

    Args:
        directory: folder with ``<table>.csv`` files.
        gebiedscodes: known CBS codes; when given, every ``gebiedscode`` must be one of them.

    Raises:
        AgendaValidationError: with one Dutch message per problem (file, row, column, value, why).
    """
    directory = Path(directory) if directory is not None else paths.AGENDA_DIR
    raw = {name: _read_raw(directory / f"{name}.csv") for name in TABLE_NAMES}
    return validate_tables(raw, gebiedscodes=gebiedscodes)


def validate_tables(raw: dict[str, pd.DataFrame], gebiedscodes: set[str] | None = None) -> AgendaData:
    """Validate raw tables (all text, empty = missing) and return typed frames.

    Each table is checked against its schema, then across tables; all problems are gathered
    before raising :class:`AgendaValidationError`.
    """
    problems: list[str] = []
    typed: dict[str, pd.DataFrame] = {}
    for name in TABLE_NAMES:
        frame = raw.get(name)
        if frame is None:
            problems.append(f"{name}.csv: bestand ontbreekt")
            continue
        result, table_problems = _validate_table(name, frame)
        problems.extend(table_problems)
        if result is not None:
            typed[name] = result
    if not problems:
        problems.extend(_cross_checks(typed, gebiedscodes))
    if problems:
        raise AgendaValidationError(problems)
    return AgendaData(**typed)


def _read_raw(path: Path) -> pd.DataFrame | None:
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return frame


def _row(index) -> int:
    """Spreadsheet row number: the header is row 1."""
    return int(index) + 2


def _prepare(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Empty text -> missing; booleans spelled true/false (or waar/onwaar, ja/nee) -> bool."""
    out = frame.copy().astype(object)
    for column in out.columns:
        values = out[column].map(lambda v: v.strip() if isinstance(v, str) else v)
        values = values.map(lambda v: None if v == "" else v)
        if column in COLUMNS and COLUMNS[column]["type"] == "boolean":
            values = values.map(_parse_bool)
        out[column] = values
    return out


def _parse_bool(value):
    if value is None or isinstance(value, bool):
        return value
    low = str(value).lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    return value  # left as text: the schema reports it


def _validate_table(table: str, frame: pd.DataFrame) -> tuple[pd.DataFrame | None, list[str]]:
    file = f"{table}.csv"
    expected = TABLES[table]["fields"]
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected]
    problems = [f"{file}: kolom '{c}' ontbreekt" for c in missing]
    problems += [f"{file}: onbekende kolom '{c}'; toegestaan zijn: {', '.join(expected)}" for c in extra]
    if problems:
        return None, problems
    prepared = _prepare(table, frame[expected])
    try:
        return schema(table).validate(prepared, lazy=True), []
    except pa.errors.SchemaErrors as err:
        return None, _messages(table, err.failure_cases)


def _messages(table: str, cases: pd.DataFrame) -> list[str]:
    file = f"{table}.csv"
    key = TABLES[table]["primary_key"]
    seen: set[tuple] = set()
    out: list[tuple[int, str]] = []
    for case in cases.itertuples(index=False):
        column, check, value, index = case.column, str(case.check), case.failure_case, case.index
        if check == "multiple_fields_uniqueness":
            ident = ("uniek", index)
            if ident in seen or index is None:
                continue
            seen.add(ident)
            out.append((_row(index), f"{file}, rij {_row(index)}: sleutel ({', '.join(key)}) komt dubbel voor"))
            continue
        ident = (column, index)
        if ident in seen:
            continue  # a failed coercion is also reported as a wrong dtype
        seen.add(ident)
        why = _why(table, column, check)
        value = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
        where = f"rij {_row(index)}, " if index is not None and not pd.isna(index) else ""
        out.append((_row(index) if where else 0, f"{file}, {where}kolom {column}: waarde '{value}' {why}"))
    return [message for _, message in sorted(out, key=lambda item: item[0])]


def _why(table: str, column: str, check: str) -> str:
    spec = column_spec(table, column) if column in COLUMNS else {}
    if check.startswith("not_nullable"):
        return "is leeg; dit veld is verplicht"
    if check.startswith("isin"):
        return f"is niet toegestaan; kies uit: {', '.join(spec.get('values', ()))}"
    if check.startswith("str_matches"):
        return f"heeft niet de juiste vorm (patroon {spec.get('pattern')})"
    if "dtype" in check:
        return {
            "integer": "is geen geheel getal; schrijf bijvoorbeeld 2020",
            "number": "is geen bedrag; schrijf het als getal met een punt als decimaalteken, bijvoorbeeld 25000 of 25000.50",
            "boolean": "is geen ja/nee-waarde; schrijf true of false",
        }.get(spec.get("type"), f"heeft niet het type {spec.get('type')}")
    return f"voldoet niet aan {check}"


# --------------------------------------------------------------------------- cross-table checks
def _cross_checks(t: dict[str, pd.DataFrame], gebiedscodes: set[str] | None) -> list[str]:
    problems: list[str] = []
    gemeenten = set(t["gemeenten"]["gemeente_code"])
    agendas = t["agendas"].set_index("agenda_id")
    interventies = t["interventies"].set_index("interventie_id")

    def bad(table, index, column, value, why):
        problems.append(f"{table}.csv, rij {_row(index)}, kolom {column}: waarde '{value}' {why}")

    for i, r in t["agendas"].iterrows():
        if r["gemeente_code"] not in gemeenten:
            bad("agendas", i, "gemeente_code", r["gemeente_code"], "staat niet in gemeenten.csv")
        if not r["agenda_id"].startswith(r["gemeente_code"]):
            bad("agendas", i, "agenda_id", r["agenda_id"], f"hoort met {r['gemeente_code']} te beginnen")
        if r["jaar_eind"] < r["jaar_start"]:
            bad("agendas", i, "jaar_eind", r["jaar_eind"], "ligt voor jaar_start")
    for i, r in t["interventies"].iterrows():
        if r["agenda_id"] not in agendas.index:
            bad("interventies", i, "agenda_id", r["agenda_id"], "staat niet in agendas.csv")
        elif not r["interventie_id"].startswith(r["agenda_id"] + "-"):
            bad("interventies", i, "interventie_id", r["interventie_id"], f"hoort met {r['agenda_id']}- te beginnen")
        if r["ingevuld"] and pd.isna(r["naam"]):
            bad("interventies", i, "naam", "", "is leeg bij een ingevuld blok")
        if not r["ingevuld"] and pd.notna(r["naam"]):
            bad("interventies", i, "naam", r["naam"], "hoort leeg te zijn bij een leeg sjabloonblok (ingevuld=false)")
        lo, hi = r["leeftijd_min"], r["leeftijd_max"]
        if pd.notna(lo) and pd.notna(hi) and hi < lo:
            bad("interventies", i, "leeftijd_max", hi, "is lager dan leeftijd_min")
    empty_blocks = set(interventies.index[~interventies["ingevuld"].astype(bool)])
    for i, r in t["begroting"].iterrows():
        iid = r["interventie_id"]
        if r["agenda_id"] not in agendas.index:
            bad("begroting", i, "agenda_id", r["agenda_id"], "staat niet in agendas.csv")
        if pd.notna(iid):
            if iid not in interventies.index:
                bad("begroting", i, "interventie_id", iid, "staat niet in interventies.csv")
            elif interventies.loc[iid, "agenda_id"] != r["agenda_id"]:
                bad("begroting", i, "interventie_id", iid, f"hoort niet bij agenda {r['agenda_id']}")
            elif iid in empty_blocks:
                bad("begroting", i, "interventie_id", iid, "is een leeg sjabloonblok; daar horen geen bedragen bij")
        if r["rol"] == "bijdrage" and pd.isna(r["financier"]):
            bad("begroting", i, "financier", "", "is leeg; een bijdrage heeft een financier")
        if pd.isna(r["bedrag_eur"]) and r["status"] not in STATUS_ZONDER_BEDRAG:
            bad("begroting", i, "status", r["status"], f"past niet bij een leeg bedrag; gebruik {' of '.join(STATUS_ZONDER_BEDRAG)}")
        if pd.notna(r["bedrag_eur"]) and r["status"] in STATUS_ZONDER_BEDRAG:
            bad("begroting", i, "status", r["status"], "past niet bij een ingevuld bedrag")
        if pd.notna(r["bedrag_eur"]) and r["bedrag_eur"] < 0:
            bad("begroting", i, "bedrag_eur", r["bedrag_eur"], "is negatief")
        if r["bepaling"] == "afgeleid" and pd.isna(r["twijfel"]):
            bad("begroting", i, "twijfel", "", "is leeg; een afgeleid bedrag krijgt een twijfel-notitie")
        if pd.notna(r["jaar"]) and pd.notna(r["jaar_eind"]) and r["jaar_eind"] < r["jaar"]:
            bad("begroting", i, "jaar_eind", r["jaar_eind"], "ligt voor jaar")
        if pd.isna(r["jaar"]) and pd.notna(r["jaar_eind"]):
            bad("begroting", i, "jaar", "", "is leeg terwijl jaar_eind is ingevuld")
    for i, r in t["doelgebieden"].iterrows():
        iid, code = r["interventie_id"], r["gebiedscode"]
        if iid not in interventies.index:
            bad("doelgebieden", i, "interventie_id", iid, "staat niet in interventies.csv")
            continue
        gm = agendas.loc[interventies.loc[iid, "agenda_id"], "gemeente_code"]
        if _gemeente_of_code(code) != gm:
            bad("doelgebieden", i, "gebiedscode", code, f"ligt niet in gemeente {gm}")
        if gebiedscodes is not None and code not in gebiedscodes:
            bad("doelgebieden", i, "gebiedscode", code, "bestaat niet in de CBS-indeling 2024")
        if r["matching"] == "hele_gemeente" and not code.startswith("GM"):
            bad("doelgebieden", i, "matching", r["matching"], "hoort bij een gemeentecode (GM)")
    for i, r in t["scholen"].iterrows():
        if r["interventie_id"] not in interventies.index:
            bad("scholen", i, "interventie_id", r["interventie_id"], "staat niet in interventies.csv")
        if r["gemeente_code"] not in gemeenten:
            bad("scholen", i, "gemeente_code", r["gemeente_code"], "staat niet in gemeenten.csv")
    for i, r in t["afspraken"].iterrows():
        if r["agenda_id"] not in agendas.index:
            bad("afspraken", i, "agenda_id", r["agenda_id"], "staat niet in agendas.csv")
    targeted = set(t["doelgebieden"].loc[t["doelgebieden"]["rol"] == "doelgebied", "interventie_id"])
    for iid, r in interventies.iterrows():
        if r["ingevuld"] and iid not in targeted:
            problems.append(f"doelgebieden.csv: interventie '{iid}' heeft geen doelgebied; "
                            "voeg een rij toe (de gemeentecode met matching=hele_gemeente als de agenda geen gebied noemt)")
    return problems


def _gemeente_of_code(code: str) -> str:
    """GM code of a GM/WK/BU code (CBS codes nest: WK0546 05, BU0546 05 01)."""
    return "GM" + code[2:6]


# --------------------------------------------------------------------------- convenience views
def interventies_met_gemeente(data: AgendaData) -> pd.DataFrame:
    """Interventies with their agenda's gemeente_code, gemeente_naam and periode."""
    agendas = data.agendas.merge(data.gemeenten, on="gemeente_code")
    return data.interventies.merge(
        agendas[["agenda_id", "gemeente_code", "gemeente_naam", "periode", "jaar_start", "jaar_eind"]]
        .rename(columns={"jaar_eind": "agenda_jaar_eind"}),
        on="agenda_id", how="left",
    )


def twijfels(data: AgendaData) -> pd.DataFrame:
    """Every flagged doubt: table, key, quote and note (for the dashboard and the README)."""
    begroting = data.begroting[data.begroting["twijfel"].notna()]
    out = begroting.assign(tabel="begroting")[["tabel", "agenda_id", "regel", "interventie_id", "bedrag_eur",
                                               "bron_citaat", "twijfel"]]
    return out.reset_index(drop=True)


def columns_markdown() -> str:
    """The column reference of every table as Markdown, rendered from :data:`COLUMNS`/:data:`TABLES`."""
    parts = []
    for table, meta in TABLES.items():
        parts.append(f"### {table}.csv\n\n{meta['description']} Sleutel: {', '.join(meta['primary_key'])}.\n")
        parts.append("| kolom | type | verplicht | beschrijving |\n|---|---|---|---|")
        for name in meta["fields"]:
            spec = column_spec(table, name)
            values = f" Waarden: {', '.join(spec['values'])}." if "values" in spec else ""
            parts.append(f"| {name} | {spec['type']} | {'ja' if spec.get('required') else 'nee'} | "
                         f"{spec['description']}{values} |")
        parts.append("")
    return "\n".join(parts)


def doubts_markdown(data: AgendaData) -> str:
    """Every flagged doubt of the begroting as a Markdown list (gemeente, regel, quote, note)."""
    owner = data.agendas.set_index("agenda_id")["gemeente_code"].map(
        data.gemeenten.set_index("gemeente_code")["gemeente_naam"])
    lines = []
    for r in twijfels(data).itertuples():
        amount = "leeg" if pd.isna(r.bedrag_eur) else f"{r.bedrag_eur:,.0f}".replace(",", ".")
        target = r.interventie_id if isinstance(r.interventie_id, str) else "agenda als geheel"
        lines.append(f"- **{owner[r.agenda_id]}**, begroting regel {r.regel} ({target}), bedrag_eur {amount}: "
                     f"citaat \"{r.bron_citaat}\" — {r.twijfel}")
    return "\n".join(lines)


def children_by_area(codes: list[str], jaar: int | None = None, feiten: pd.DataFrame | None = None) -> pd.DataFrame:
    """Children counts per CBS code from the facts (snapshot merged with uploads).

    Args:
        codes: GM/WK/BU/NL codes.
        jaar: latest KWB year to use (None: the latest available).
        feiten: long facts; default :func:`gka_dash.facts.load_feiten`.

    Returns:
        Long frame ``code, indicator, jaar, waarde`` for the age-band indicators of
        :data:`gka_dash.funding.BANDS`, as :func:`gka_dash.funding.funding_per_child` expects.
    """
    from gka_dash import facts, funding

    if feiten is None:
        feiten = facts.load_feiten()
    wanted = [band.indicator for band in funding.BANDS.values()]
    rows = feiten[feiten["code"].astype(str).isin(codes) & feiten["indicator"].astype(str).isin(wanted)]
    if jaar is not None:
        rows = rows[rows["jaar"] <= jaar]
    out = rows[["code", "indicator", "jaar", "waarde"]].copy()
    for column in ("code", "indicator"):
        out[column] = out[column].astype(str)
    out["jaar"] = out["jaar"].astype(int)
    return out.reset_index(drop=True)


def codes_needed(data: AgendaData) -> list[str]:
    """All codes whose children counts funding needs: doelgebieden, their gemeenten and NL."""
    codes = set(data.doelgebieden["gebiedscode"]) | set(data.gemeenten["gemeente_code"]) | {"NL00"}
    return sorted(codes)
