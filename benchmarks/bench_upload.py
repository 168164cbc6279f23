"""Upload figures: import time of a 100,000-row indicator file, fuzz cases, parallel imports.

    python benchmarks/bench_upload.py [--rows 100000] [--fuzz 500] [--workers 8 --per-worker 5]

Runs on SQLite in a temporary folder and, when GKA_DASH_TEST_POSTGRES_URL is set (see
scripts/start_test_postgres.sh), on PostgreSQL as well. Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import concurrent.futures as futures
import multiprocessing
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gka_dash import facts, store, validation  # noqa: E402


def _indicator_file(rows: int) -> bytes:
    """Real wijk and buurt codes × own indicators, Dutch style (';', decimal comma)."""
    codes = facts.load_gebieden().query("niveau in ['wijk', 'buurt']")["code"].to_numpy()
    per_indicator = len(codes)
    indicators = [f"bench_indicator_{i}" for i in range(-(-rows // per_indicator))]
    frame = pd.DataFrame({
        "gebiedscode": np.tile(codes, len(indicators))[:rows],
        "jaar": 2024,
        "indicator": np.repeat(indicators, per_indicator)[:rows],
        "waarde": np.round(np.random.default_rng(1).uniform(0, 5000, rows), 2),
        "eenheid": "aantal",
        "bron": "benchmark",
    })
    text = frame.to_csv(index=False, sep=";", decimal=",")
    return ("\ufeff" + text).encode("utf-8")


def _engines(tmp: Path):
    yield "sqlite", store.make_engine(f"sqlite:///{tmp / 'bench.sqlite'}"), None
    url = os.environ.get("GKA_DASH_TEST_POSTGRES_URL")
    if url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        full = sa.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield "postgresql", store.make_engine(full.render_as_string(hide_password=False)), (admin, schema)


def _cleanup(extra) -> None:
    if extra:
        admin, schema = extra
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def bench_import(engine, data: bytes) -> dict:
    facts.load_gebieden()
    validation.known_codes()
    t0 = time.perf_counter()
    result = validation.validate("indicator", [("bench.csv", data)])
    t1 = time.perf_counter()
    assert result.ok, result.problems[:3]
    store.add_version(engine, "indicator", [("bench.csv", data)], facts=result.facts, uploaded_by="bench")
    t2 = time.perf_counter()
    uploaded = store.uploaded_feiten(engine)
    t3 = time.perf_counter()
    return {"rows": len(result.facts), "validate_s": t1 - t0, "store_s": t2 - t1, "read_back_s": t3 - t2,
            "total_s": t2 - t0, "read_rows": len(uploaded)}


def _worker(url: str, worker: int, count: int, rows: int) -> list[float]:
    engine = store.make_engine(url)
    times = []
    for i in range(count):
        frame = pd.DataFrame({"code": "WK054600", "indicator": f"w{worker}_{i}", "jaar": range(1990, 1990 + rows),
                              "waarde": float(worker), "eenheid": "aantal", "bron": "bench"})
        t0 = time.perf_counter()
        store.add_version(engine, "indicator", [(f"w{worker}_{i}.csv", b"x")], facts=frame, uploaded_by=f"w{worker}")
        times.append(time.perf_counter() - t0)
    engine.dispose()
    return times


def bench_concurrency(engine, workers: int, per_worker: int, rows: int) -> dict:
    url = engine.url.render_as_string(hide_password=False)
    before = len(store.list_versions(engine))
    t0 = time.perf_counter()
    with futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_worker, [url] * workers, range(workers), [per_worker] * workers, [rows] * workers))
    wall = time.perf_counter() - t0
    latencies = sorted(t for r in results for t in r)
    versions = store.list_versions(engine)
    new = versions[: len(versions) - before]  # newest first
    consistent = all(len(store.version_facts(engine, v.id)) == v.rows == rows for v in new)
    return {"imports": workers * per_worker, "stored": len(new), "consistent": consistent,
            "wall_s": wall, "imports_per_s": workers * per_worker / wall,
            "p50_ms": 1000 * latencies[len(latencies) // 2], "max_ms": 1000 * latencies[-1]}


def bench_fuzz(examples: int) -> dict:
    """Run the property of tests/test_store.py with many examples on a fresh SQLite store."""
    from hypothesis import HealthCheck, given, settings

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests import test_store as t

    counter = {"accepted": 0, "rejected": 0}
    with tempfile.TemporaryDirectory() as tmp:
        engine = store.make_engine(f"sqlite:///{Path(tmp) / 'fuzz.sqlite'}")
        inner = t.test_property_rejected_and_unchanged_or_accepted_and_equal.hypothesis.inner_test

        @settings(max_examples=examples, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(rows=t.st.lists(t.row_strategy, max_size=6), delimiter=t.st.sampled_from([";", ",", "\t"]),
               dutch=t.st.booleans(), encoding=t.st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
        def run(rows, delimiter, dutch, encoding):
            before = len(store.list_versions(engine))
            inner(engine, rows, delimiter, dutch, encoding)
            counter["accepted" if len(store.list_versions(engine)) > before else "rejected"] += 1

        t0 = time.perf_counter()
        run()
        elapsed = time.perf_counter() - t0
    return {"cases": counter["accepted"] + counter["rejected"], **counter, "seconds": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--fuzz", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--per-worker", type=int, default=5)
    parser.add_argument("--concurrency-rows", type=int, default=1_000)
    args = parser.parse_args()
    data = _indicator_file(args.rows)
    print(f"indicator file: {args.rows:,} rows, {len(data) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        for name, engine, extra in _engines(Path(tmp)):
            try:
                r = bench_import(engine, data)
                print(f"[{name}] import {r['rows']:,} rows: validate {r['validate_s']:.2f} s + store "
                      f"{r['store_s']:.2f} s = {r['total_s']:.2f} s; uploaded_feiten read back "
                      f"{r['read_rows']:,} rows in {r['read_back_s']:.2f} s")
                c = bench_concurrency(engine, args.workers, args.per_worker, args.concurrency_rows)
                print(f"[{name}] parallel imports: {args.workers} processes × "
                      f"{args.per_worker} imports of {args.concurrency_rows:,} rows: {c['stored']}/{c['imports']} "
                      f"stored, consistent={c['consistent']}, {c['wall_s']:.2f} s wall, "
                      f"{c['imports_per_s']:.1f} imports/s, latency p50 {c['p50_ms']:.0f} ms, max {c['max_ms']:.0f} ms")
            finally:
                engine.dispose()
                _cleanup(extra)
    f = bench_fuzz(args.fuzz)
    print(f"fuzz: {f['cases']} cases ({f['accepted']} accepted and read back equal, {f['rejected']} rejected "
          f"with the store unchanged) in {f['seconds']:.1f} s")


if __name__ == "__main__":
    main()
