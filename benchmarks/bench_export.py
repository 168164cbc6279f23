"""Exports: time to build a 10-slide REA deck as PPTX and PDF, and the file sizes. Prints; asserts nothing.

The deck: Leiden's standard deck (9 slides: 4 wijk maps, ranking, profile, 2 funding charts,
planning) plus Meppel's children map = 10 slides, rendered through kaleido + local Chromium.

Usage: .venv/bin/python benchmarks/bench_export.py [--repeat 2] [--out DIR]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from gka_dash import agenda, deck, export, facts  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def build_slides(feiten, agenda_data):
    return (deck.standard_deck("GM0546", feiten, agenda_data=agenda_data)
            + deck.standard_deck("GM0119", feiten, kinds=["kaart_aandeel_0_15_pct"], agenda_data=agenda_data))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path(tempfile.mkdtemp(prefix="gka_bench_export_")))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    feiten, agenda_data = facts.load_feiten(), agenda.load_agenda()
    title, subtitle = deck.deck_title(["GM0546", "GM0119"]), deck.deck_subtitle(["GM0546", "GM0119"], agenda_data)
    print(f"browser: {export.browser_path()}")

    timings: dict[str, list[float]] = {k: [] for k in ("slides", "png", "pptx_total", "pdf_total", "pptx_file",
                                                       "pdf_file", "svg")}
    for _ in range(args.repeat):
        slides, t = _timed(lambda: build_slides(feiten, agenda_data))
        timings["slides"].append(t)
        # End to end, as the CLI does it: slides -> images (one browser start) -> document.
        pptx, t = _timed(lambda: export.deck_to_pptx(build_slides(feiten, agenda_data), title, subtitle))
        timings["pptx_total"].append(t)
        pdf, t = _timed(lambda: export.deck_to_pdf(build_slides(feiten, agenda_data), title, subtitle))
        timings["pdf_total"].append(t)
        # The parts, as the app does it (images rendered once, shared by PPTX and PDF).
        images, t = _timed(lambda: export.render_slides(slides))
        timings["png"].append(t)
        _, t = _timed(lambda: export.deck_to_pptx(slides, title, subtitle, images=images))
        timings["pptx_file"].append(t)
        _, t = _timed(lambda: export.deck_to_pdf(slides, title, subtitle, images=images))
        timings["pdf_file"].append(t)
        svgs, t = _timed(lambda: export.render_slides(slides, "svg"))
        timings["svg"].append(t)

    print(f"slides: {len(slides)} ({', '.join(s.file_stem for s in slides)})")
    labels = {
        "slides": "build the 10 slides (data + plotly figures)",
        "pptx_total": "10-slide deck -> PPTX, end to end",
        "pdf_total": "10-slide deck -> PDF, end to end",
        "png": "render 10 PNGs (2560x1240) in one browser",
        "pptx_file": "PPTX from ready PNGs",
        "pdf_file": "PDF from ready PNGs",
        "svg": "render 10 SVGs in one browser",
    }
    for key, label in labels.items():
        values = timings[key]
        print(f"{label:<46} median {statistics.median(values):6.2f} s  (runs: {', '.join(f'{v:.2f}' for v in values)})")

    (args.out / "deck.pptx").write_bytes(pptx)
    (args.out / "deck.pdf").write_bytes(pdf)
    sizes = {
        "deck.pptx": len(pptx), "deck.pdf": len(pdf),
        "PNG per slide (median)": int(statistics.median(len(i) for i in images)),
        "PNG largest": max(len(i) for i in images),
        "SVG per slide (median)": int(statistics.median(len(s) for s in svgs)),
        "CSV of slide 1": len(export.frame_to_csv(slides[0].data)),
        "XLSX of all slides": len(export.frames_to_xlsx({s.file_stem: s.data for s in slides})),
    }
    for name, size in sizes.items():
        print(f"{name:<46} {size / 1024:8.0f} kB")
    print(f"files in {args.out}")


if __name__ == "__main__":
    main()
