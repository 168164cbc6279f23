"""``python -m gka_dash export --gemeente GM0119 --format pptx --out deck.pptx`` (also ``pdf``).

Builds the standard REA deck of a gemeente (:func:`gka_dash.deck.standard_deck`) on the same data
the app shows (snapshot + uploads in the store) and writes it as PPTX or PDF. Exit code 1 with a
Dutch message for an unknown gemeente, a missing kaleido/Chromium or a missing font.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gka_dash import agenda, deck, export, facts

FORMATS = ("pptx", "pdf")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="the standard REA slide deck of a gemeente as PPTX or PDF")
    parser.add_argument("--gemeente", required=True, action="append",
                        help="CBS gemeentecode, e.g. GM0119 (repeat for several gemeenten)")
    parser.add_argument("--format", choices=FORMATS, default=None,
                        help="pptx or pdf (default: from the extension of --out)")
    parser.add_argument("--out", required=True, type=Path, help="output file, e.g. deck.pptx")
    parser.add_argument("--dia", action="append", choices=list(deck.SLIDE_KINDS), default=None,
                        help="slide kinds to include, in order (default: all that have data)")
    parser.add_argument("--jaar", type=int, default=None, help="latest CBS year to use")
    parser.set_defaults(func=_run)


def _store_data():
    """Uploaded facts and agenda tables when a store is configured, so the deck matches the app."""
    try:
        from gka_dash import store
    except ImportError:
        return None, None
    engine = store.engine_from_env()
    return store.uploaded_feiten(engine), store.uploaded_agenda(engine)


def _agenda(uploaded) -> agenda.AgendaData:
    snapshot = agenda.load_agenda()
    if not uploaded:
        return snapshot
    from gka_dash import store

    return agenda.AgendaData(**store.merge_agenda(snapshot.tables(), uploaded))


def _format(args: argparse.Namespace) -> str | None:
    if args.format:
        return args.format
    suffix = args.out.suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def _run(args: argparse.Namespace) -> int:
    fmt = _format(args)
    if fmt is None:
        print(f"Fout: kies --format pptx of pdf (de extensie van '{args.out}' zegt het niet).", file=sys.stderr)
        return 1
    codes = [code.strip().upper() for code in args.gemeente]
    started = time.perf_counter()
    try:
        for code in codes:
            if facts.area(code)["niveau"] != "gemeente":
                raise facts.UnknownAreaError(f"'{code}' is geen gemeentecode (GMxxxx)")
        uploaded_feiten, uploaded_agenda = _store_data()
        agenda_data = _agenda(uploaded_agenda)
        feiten = facts.load_feiten(uploaded_feiten)
        slides = deck.build_deck(codes, feiten, kinds=args.dia, agenda_data=agenda_data, jaar=args.jaar)
        build = export.deck_to_pptx if fmt == "pptx" else export.deck_to_pdf
        data = build(slides, deck.deck_title(codes), deck.deck_subtitle(codes, agenda_data))
    except facts.UnknownAreaError as exc:
        print(f"Fout: {exc}. Gebruik een gemeentecode zoals GM0119 (Meppel).", file=sys.stderr)
        return 1
    except (export.ImageExportUnavailable, export.FontUnavailable) as exc:
        detail = f" ({exc.detail})" if getattr(exc, "detail", None) else ""
        print(f"Fout: {exc}{detail}", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    for notice in deck.agenda_notices(codes, agenda_data):
        print(notice)
    print(f"{args.out}: {len(slides)} dia's, {len(data) / 1024:.0f} kB, {time.perf_counter() - started:.1f} s")
    return 0
