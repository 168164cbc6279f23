"""``python -m gka_dash snapshot build --source ../shared/cbs``: build data/cbs and data/geo."""

from __future__ import annotations

import argparse
from pathlib import Path

from gka_dash import paths


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("snapshot", help="build the embedded CBS snapshot")
    actions = parser.add_subparsers(dest="action", required=True)
    build = actions.add_parser("build", help="build data/cbs and data/geo from the raw CBS files")
    build.add_argument("--source", type=Path, default=paths.SHARED_CBS_DEFAULT,
                       help="folder with the raw CBS files (default: ../shared/cbs)")
    build.add_argument("--out", type=Path, default=paths.DATA_DIR, help="output folder (default: data/)")
    build.set_defaults(func=_build)


def _build(args: argparse.Namespace) -> int:
    from gka_dash import snapshot

    if not args.source.is_dir():
        print(f"Bronmap niet gevonden: {args.source}")
        return 1
    report = snapshot.build(args.source, args.out)
    print(snapshot.format_report(report))
    return 0
