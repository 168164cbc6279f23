"""``python -m gka_dash versions``: list upload versions; roll back, restore or download one.

Honours ``GKA_DASH_DATABASE_URL`` (default: the SQLite file under var/).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("versions", help="list upload versions; roll back, restore or download one",
                                   description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--rollback", type=int, metavar="VERSIE", help="take a version out of the dashboard")
    action.add_argument("--restore", type=int, metavar="VERSIE", help="put a rolled-back version back")
    action.add_argument("--download", type=int, metavar="VERSIE", help="write the original file(s) of a version")
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for --download (default: .)")
    parser.add_argument("--user", default=None, help="who rolls back/restores (default: the login name)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from gka_dash import store

    engine = store.engine_from_env()
    try:
        if args.rollback is not None:
            version = store.rollback(engine, args.rollback, args.user)
            print(f"versie {version.id} teruggedraaid ({version.filename})")
            return 0
        if args.restore is not None:
            version = store.restore(engine, args.restore, args.user)
            print(f"versie {version.id} weer actief ({version.filename})")
            return 0
        if args.download is not None:
            name, data = store.original_download(engine, args.download)
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out / Path(name).name
            target.write_bytes(data)
            print(f"versie {args.download}: {target} ({len(data)} bytes)")
            return 0
    except store.StoreError as exc:
        print(str(exc))
        return 1
    frame = store.versions_frame(engine)
    if frame.empty:
        print("Nog geen uploads.")
        return 0
    for v in frame.itertuples():
        state = "actief" if v.actief else "teruggedraaid"
        jaar = "" if pd.isna(v.jaar) else f" jaar {v.jaar}"
        print(f"{v.versie}\t{v.soort}\t{state}\t{v.op}\t{v.door}\t{v.rijen} rijen\t{v.bestand}{jaar}\t{v.sha256[:12]}")
    return 0
