"""Snapshot: build time from ../shared/cbs and the size of data/. Prints figures; asserts nothing.

Usage: .venv/bin/python benchmarks/bench_snapshot.py [--source ../shared/cbs]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gka_dash import paths, snapshot  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source", type=Path, default=paths.SHARED_CBS_DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    timings = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            report = snapshot.build(args.source, Path(out))
            timings.append(time.perf_counter() - started)
    print(f"snapshot build: min {min(timings):.2f} s, max {max(timings):.2f} s over {args.repeat} runs")
    for name, value in report.counts.items():
        print(f"  {name}: {value:,}")
    files = [p for p in paths.DATA_DIR.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    print(f"data/ committed: {len(files)} files, {total / 1e6:.2f} MB")
    for path in sorted(files):
        print(f"  {path.relative_to(paths.DATA_DIR)}: {path.stat().st_size / 1e6:.3f} MB")


if __name__ == "__main__":
    main()
