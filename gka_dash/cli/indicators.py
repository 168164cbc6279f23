"""``python -m gka_dash indicators --gemeente GM0546 --level wijk [--json]``."""

from __future__ import annotations

import argparse
import json
import math

from gka_dash import facts, formatting, indicators


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("indicators", help="indicators per wijk/buurt/gemeente of a gemeente")
    parser.add_argument("--gemeente", required=True, help="CBS gemeentecode, e.g. GM0546")
    parser.add_argument("--level", choices=indicators.LEVELS, default="wijk")
    parser.add_argument("--jaar", type=int, default=None, help="latest year <= jaar per indicator")
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per area")
    parser.set_defaults(func=_run)


def rows(gemeente_code: str, level: str, jaar: int | None = None) -> list[dict]:
    """One dict per area: code, naam and every indicator under its catalogue id (NaN -> None)."""
    table = facts.wide(facts.load_feiten(_uploaded()), gemeente_code, level, jaar)
    out = []
    for record in table.frame.to_dict(orient="records"):
        item = {"code": record["code"], "naam": record["naam"]}
        for indicator_id in table.indicator_ids:
            value = record[indicator_id]
            item[indicator_id] = None if value is None or (isinstance(value, float) and math.isnan(value)) else value
        out.append(item)
    return out


def _uploaded():
    """Uploaded facts from the store when one is configured, so the CLI shows what the app shows."""
    try:
        from gka_dash import store
    except ImportError:
        return None
    return store.uploaded_feiten(store.engine_from_env())


def _run(args: argparse.Namespace) -> int:
    code = args.gemeente.strip().upper()
    try:
        result = rows(code, args.level, args.jaar)
    except facts.UnknownAreaError as exc:
        print(f"Fout: {exc}. Gebruik een gemeentecode zoals GM0546 (Leiden).")
        return 1
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for item in result:
        print(f"{item['code']}  {item['naam']:<32} inwoners {formatting.number(item.get('inwoners'))}"
              f"  kinderen 0-15 {formatting.number(item.get('kinderen_0_15'))}")
    return 0
