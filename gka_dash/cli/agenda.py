"""``python -m gka_dash summary`` and ``python -m gka_dash funding``: the agendas in numbers.

Both cover the whole agenda period (there is no --year).
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import pandas as pd

from gka_dash import agenda, funding

_FUNDING_FIELDS = ["interventie", "doelgebied_codes", "kinderen", "leeftijdsband", "cbs_jaar", "gka_eur",
                   "totaal_eur", "eur_per_kind_gka", "eur_per_kind_totaal"]
_EXTRA_FIELDS = ["interventie_id", "soort", "matching", "gebied_onbepaald", "gka_volledig", "totaal_volledig",
                 "twijfel_aantal"]
_GEMEENTE_EXTRA = ["jaren", "eur_per_kind_gka_per_jaar", "oab_eur_per_kind_per_jaar"]


def register(subparsers) -> None:
    summary = subparsers.add_parser("summary", help="per agenda: aantal interventies, GKA- en totaalbedrag")
    summary.add_argument("--json", action="store_true", help="JSON in plaats van een tabel")
    summary.set_defaults(func=run_summary)

    fund = subparsers.add_parser("funding", help="euro per kind per interventie voor één gemeente")
    fund.add_argument("--gemeente", required=True, help="CBS-gemeentecode, bijv. GM0119")
    fund.add_argument("--json", action="store_true", help="JSON in plaats van een tabel")
    fund.set_defaults(func=run_funding)


def run_summary(args: argparse.Namespace) -> int:
    data = _load()
    if data is None:
        return 1
    frame = funding.agenda_summary(data.gemeenten, data.agendas, data.interventies, data.begroting)
    if args.json:
        _print_json([_record(r) for r in frame.to_dict("records")])
    else:
        print(_table(frame, {"gemeente_code": "code", "gemeente": "gemeente", "periode": "periode",
                             "interventies": "interventies", "gka_eur": "GKA (€)", "totaal_eur": "totaal (€)"}))
        print("\nBedragen: som over de hele agendaperiode; '*' = onvolledig (een bedrag is PM of onbekend).")
    return 0


def run_funding(args: argparse.Namespace) -> int:
    data = _load()
    if data is None:
        return 1
    code = args.gemeente.strip().upper()
    if code not in set(data.agendas["gemeente_code"]):
        known = ", ".join(f"{r.gemeente_code} ({r.gemeente_naam})" for r in data.gemeenten.itertuples())
        print(f"Onbekende gemeente '{args.gemeente}': er is geen GKA-agenda voor deze code. "
              f"Bekend zijn: {known}.", file=sys.stderr)
        return 1
    kinderen = agenda.children_by_area(agenda.codes_needed(data))
    tables = (data.interventies, data.agendas, data.begroting, data.doelgebieden, kinderen)
    per_intervention = funding.funding_per_child(*tables, gemeente_code=code)
    per_gemeente = funding.funding_per_gemeente(*tables, gemeente_code=code)
    if args.json:
        records = [_record(r, _FUNDING_FIELDS + _EXTRA_FIELDS) for r in per_intervention.to_dict("records")]
        records += [_record(r, _FUNDING_FIELDS + _EXTRA_FIELDS + _GEMEENTE_EXTRA) for r in per_gemeente.to_dict("records")]
        _print_json(records)
        return 0
    both = pd.concat([per_intervention, per_gemeente], ignore_index=True)
    both["interventie"] = both["interventie"].fillna("(hele gemeente, alle interventies)")
    both["doelgebied_codes"] = both["doelgebied_codes"].map(", ".join)
    print(_table(both, {"interventie": "interventie", "doelgebied_codes": "doelgebied", "leeftijdsband": "band",
                        "kinderen": "kinderen", "gka_eur": "GKA (€)", "totaal_eur": "totaal (€)",
                        "eur_per_kind_gka": "GKA €/kind", "eur_per_kind_totaal": "totaal €/kind"}))
    jaar = per_gemeente["cbs_jaar"].iloc[0] if len(per_gemeente) else None
    oab = per_gemeente["oab_eur_per_kind_per_jaar"].iloc[0] if len(per_gemeente) else float("nan")
    print(f"\nKinderen: CBS KWB {jaar}; bedragen over de hele agendaperiode; '*' = onvolledig.")
    print(f"Landelijke referentie OAB: € {_eur(oab, 2)} per kind 0-15 per jaar (€486 mln / kinderen NL, KWB {jaar}).")
    return 0


def _load() -> agenda.AgendaData | None:
    try:
        return agenda.load_agenda()
    except agenda.AgendaValidationError as err:
        print(str(err), file=sys.stderr)
        return None


def _record(row: dict, fields: list[str] | None = None) -> dict:
    keys = fields or list(row)
    return {k: _plain(row.get(k)) for k in keys}


def _plain(value):
    if isinstance(value, tuple):
        return list(value)
    if value is None:
        return None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else round(value, 2)
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    if value is pd.NA:
        return None
    return value


def _print_json(records: list[dict]) -> None:
    print(json.dumps(records, ensure_ascii=False, indent=2))


def _eur(value, decimals: int = 0) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "geen gegevens"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _table(frame: pd.DataFrame, labels: dict[str, str]) -> str:
    shown = pd.DataFrame()
    for column, label in labels.items():
        values = frame[column]
        if column in ("gka_eur", "totaal_eur", "eur_per_kind_gka", "eur_per_kind_totaal", "kinderen"):
            decimals = 2 if column.startswith("eur_per") else 0
            flag = {"gka_eur": "gka_volledig", "totaal_eur": "totaal_volledig",
                    "eur_per_kind_gka": "gka_volledig", "eur_per_kind_totaal": "totaal_volledig"}.get(column)
            text = values.map(lambda v, d=decimals: _eur(v, d))
            if flag in frame:
                text = text.where(frame[flag].astype(bool) | values.isna(), text + "*")
            values = text
        shown[label] = values.astype(str)
    return shown.to_string(index=False)
