"""gka-dash command line: python -m gka_dash <command> ...

Each command lives in its own module under ``gka_dash/cli/`` and exposes
``register(subparsers)``; the module's parser sets ``func`` which returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from gka_dash import cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m gka_dash", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True)
    for module_info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{cli.__name__}.{module_info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
