"""``python -m gka_dash fetch``: fetch CBS Kerncijfers wijken en buurten for gemeenten.

Examples::

    python -m gka_dash fetch --year 2024 --gemeente GM0546
    python -m gka_dash fetch --year 2024 --gemeente GM0119 --gemeente GM0546 --json
    python -m gka_dash fetch --year 2024 --gemeente GM0546 --offline   # only the cache

The rows are cached under ``var/cbs_cache`` (``$GKA_DASH_CBS_CACHE``). Without ``--offline`` CBS is
asked again; when it cannot be reached the cache is used and the summary says so. The CBS address
comes from ``$GKA_DASH_CBS_CATALOG_URL`` (default https://opendata.cbs.nl; the tests point it to a
local server) and the timeout from ``$GKA_DASH_CBS_TIMEOUT`` (seconds). Exit code 1 with a Dutch
message when nothing could be fetched.
"""

from __future__ import annotations

import argparse
import json
import sys

from gka_dash import cbs
from gka_dash.indicators import CATALOGUE


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "fetch", help="CBS-kerncijfers wijken en buurten ophalen (met cache)",
        description="CBS-kerncijfers wijken en buurten ophalen voor gemeenten; zonder verbinding "
        "wordt de cache gebruikt (en dat wordt gemeld).",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--year", type=int, required=True, choices=sorted(cbs.KWB_TABLES),
                        help="KWB-jaar")
    parser.add_argument("--gemeente", action="append", required=True, metavar="GMxxxx",
                        help="gemeentecode; herhaal voor meer gemeenten")
    parser.add_argument("--offline", action="store_true", help="alleen de cache gebruiken")
    parser.add_argument("--json", action="store_true", help="samenvatting als JSON")
    parser.set_defaults(func=run)


def summary(result: cbs.KwbResult) -> dict:
    """What the command prints: counts per level and per catalogue indicator (values present)."""
    data = result.data
    indicators = {c: int(data[c].notna().sum()) for c in data.columns if c in CATALOGUE}
    return {
        "jaar": result.jaar,
        "tabel": result.table_id,
        "bron": result.bron,
        "gemeenten": list(result.gemeenten),
        "regios": {lvl: int(data["niveau"].eq(lvl).sum()) for lvl in ("gemeente", "wijk", "buurt")},
        "kolommen": int(len(data.columns) - len(cbs.ID_COLUMNS)),
        "indicatoren_met_waarden": indicators,
        "uit_cache": result.from_cache,
        "melding": result.melding,
        "opgehaald": result.opgehaald,
        "cache": str(result.cache_file),
    }


def _text(info: dict) -> str:
    regios = info["regios"]
    filled = {k: v for k, v in info["indicatoren_met_waarden"].items() if v}
    empty = sorted(k for k, v in info["indicatoren_met_waarden"].items() if not v)
    lines = [
        f"{info['bron']}: {', '.join(info['gemeenten'])}",
        f"  {regios['gemeente']} gemeente(n), {regios['wijk']} wijken, {regios['buurt']} buurten; "
        f"{info['kolommen']} kolommen",
        f"  indicatoren met waarden: {len(filled)}; zonder (geheim/onbekend): "
        f"{', '.join(empty) if empty else 'geen'}",
        f"  {'uit de cache' if info['uit_cache'] else 'opgehaald bij CBS'} ({info['opgehaald']}): "
        f"{info['cache']}",
    ]
    if info["melding"]:
        lines.insert(0, f"Let op: {info['melding']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        if args.offline:
            result = cbs.read_cache(args.year, args.gemeente)
            if result is None:
                codes = ", ".join(cbs.normalise_gemeenten(args.gemeente))
                raise cbs.CbsError(
                    f"Er is geen cache voor KWB {args.year} van {codes}; haal de gegevens eerst op "
                    "zonder --offline."
                )
        else:
            result = cbs.fetch_kwb(args.year, args.gemeente, refresh=True)
    except (cbs.CbsError, ValueError) as err:
        print(f"Fout: {err}", file=sys.stderr)
        return 1
    info = summary(result)
    print(json.dumps(info, ensure_ascii=False, indent=2) if args.json else _text(info))
    return 0
