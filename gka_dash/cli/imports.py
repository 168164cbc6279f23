"""``python -m gka_dash import FILE... --kind KIND``: validate an upload and store it as a version.

Exit 0 and print the new version when the file is accepted; exit 1 and print one line per
problem (``file:row:column: reason``) when it is rejected — nothing is stored then. Honours
``GKA_DASH_DATABASE_URL`` (default: the SQLite file under var/).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gka_dash import validation


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("import", help="validate an upload file and store it as a new version",
                                   description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="CSV or XLSX file(s); kind agenda: one workbook or one CSV per table")
    parser.add_argument("--kind", required=True, choices=validation.KINDS, help="what the file holds")
    parser.add_argument("--jaar", type=int, default=None, help="year of the KWB table (required for --kind kwb)")
    parser.add_argument("--user", default=None, help="who uploads (default: the login name)")
    parser.add_argument("--dry-run", action="store_true", help="validate only, store nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    files = []
    for path in args.files:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            print(f"{path}:::bestand kan niet gelezen worden ({exc.strerror or exc})")
            return 1
    if args.kind == "kwb" and args.jaar is None:
        print(f"{files[0][0]}:::geef het jaar van de KWB-tabel op met --jaar (bijvoorbeeld --jaar 2024)")
        return 1
    result = validation.validate(args.kind, files, jaar=args.jaar)
    if not result.ok:
        for problem in result.problems:
            print(problem.line())
        print(f"Afgewezen: {len(result.problems)} probleem/problemen; er is niets opgeslagen.")
        return 1
    for note in result.notes:
        print(note)
    if args.dry_run:
        print(f"Goedgekeurd (niet opgeslagen, --dry-run): {result.rows} rijen.")
        return 0
    from gka_dash import store

    version = store.add_version(
        store.engine_from_env(), args.kind, files, facts=result.facts, tables=result.tables,
        uploaded_by=args.user, jaar=result.jaar,
    )
    print(f"versie {version.id} opgeslagen: {version.kind}, {version.filename}, {version.rows} rijen, "
          f"sha256 {version.sha256[:12]}")
    return 0
