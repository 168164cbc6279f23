"""The upload store on SQLite and (when GKA_DASH_TEST_POSTGRES_URL is set) PostgreSQL.

Start a throwaway server with: eval "$(scripts/start_test_postgres.sh)". CI also sets
GKA_DASH_REQUIRE_POSTGRES=1, which turns a missing server into an error instead of a skip.
"""

from __future__ import annotations

import concurrent.futures as futures
import csv
import io
import multiprocessing
import os
import uuid
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gka_dash import agenda, facts, paths, store, validation

POSTGRES_URL = os.environ.get("GKA_DASH_TEST_POSTGRES_URL")
if not POSTGRES_URL and os.environ.get("GKA_DASH_REQUIRE_POSTGRES") == "1":
    raise RuntimeError("GKA_DASH_REQUIRE_POSTGRES=1 but GKA_DASH_TEST_POSTGRES_URL is not set; "
                       "run: eval \"$(scripts/start_test_postgres.sh)\"")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
CORPUS = Path(__file__).parent / "data" / "uploads"


def _new_engine(backend: str, tmp_path: Path):
    """A fresh, empty store; on PostgreSQL a schema of its own (dropped by :func:`_drop`)."""
    if backend == "sqlite":
        return store.make_engine(f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.sqlite'}"), None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    admin.dispose()
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return store.make_engine(url.render_as_string(hide_password=False)), schema


def _drop(engine, schema) -> None:
    engine.dispose()
    if schema:
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    engine, schema = _new_engine(request.param, tmp_path)
    yield engine
    _drop(engine, schema)


def _accepted(name: str, kind: str = "indicator", jaar: int | None = None):
    data = (CORPUS / name).read_bytes()
    result = validation.validate(kind, [(name, data)], jaar=jaar)
    assert result.ok, [p.line() for p in result.problems]
    return [(name, data)], result


def _add(engine, name="ok_puntkomma_bom.csv", kind="indicator", jaar=None, who="analist"):
    files, result = _accepted(name, kind, jaar)
    return store.add_version(engine, kind, files, facts=result.facts, tables=result.tables,
                             uploaded_by=who, jaar=result.jaar)


def test_empty_store(engine):
    assert store.current_revision(engine) == "r0"
    assert store.uploaded_feiten(engine).columns.tolist() == ["code", "indicator", "jaar", "waarde", "bron"]
    assert store.uploaded_feiten(engine).empty
    assert store.uploaded_agenda(engine) == {}
    assert store.versions_frame(engine).empty


def test_upload_is_a_version_with_its_original(engine):
    files, result = _accepted("ok_puntkomma_bom.csv")
    version = store.add_version(engine, "indicator", files, facts=result.facts, uploaded_by="analist")
    assert version.rows == 4 and version.uploaded_by == "analist" and version.active
    assert version.sha256 == store.sha256(files[0][1])
    assert store.original_download(engine, version.id) == files[0]
    listed = store.versions_frame(engine)
    assert listed[["versie", "soort", "bestand", "rijen", "door", "actief"]].values.tolist() == [
        [version.id, "indicator", "ok_puntkomma_bom.csv", 4, "analist", True]]
    back = store.version_facts(engine, version.id)
    pd.testing.assert_frame_equal(back, result.facts.reset_index(drop=True), check_dtype=False)


def test_uploaded_feiten_overlay_snapshot_and_units(engine):
    _add(engine, "ok_komma.csv")
    uploaded = store.uploaded_feiten(engine)
    merged = facts.load_feiten(uploaded)
    row = merged[(merged.code == "WK054601") & (merged.indicator == "vve_bereik_pct")]
    assert row["waarde"].tolist() == [58.25] and row["jaar"].tolist() == [2023]
    assert store.uploaded_indicator_units(engine) == {"vve_bereik_pct": "pct", "leerlingen_po": "aantal"}
    table = facts.wide(merged, "GM0546", "wijk")
    assert table.frame.set_index("code").loc["WK054600", "vve_bereik_pct"] == 61.5


def test_newest_version_wins_and_rollback_restores_older(engine):
    first = _add(engine, "ok_komma.csv")
    text = "gebiedscode;jaar;indicator;waarde;eenheid;bron\nWK054600;2023;vve_bereik_pct;70,0;pct;tweede levering\n"
    result = validation.validate("indicator", [("nieuw.csv", text.encode())])
    second = store.add_version(engine, "indicator", [("nieuw.csv", text.encode())], facts=result.facts)

    def value():
        frame = store.uploaded_feiten(engine)
        return frame.loc[(frame.code == "WK054600") & (frame.indicator == "vve_bereik_pct"), "waarde"].tolist()

    assert value() == [70.0]
    revision = store.current_revision(engine)
    store.rollback(engine, second.id, "beheerder")
    assert value() == [61.5] and store.current_revision(engine) != revision
    store.rollback(engine, first.id, "beheerder")
    assert value() == [] and store.uploaded_feiten(engine).empty
    store.restore(engine, second.id, "beheerder")
    assert value() == [70.0]
    assert store.events_frame(engine)["action"].tolist() == ["upload", "upload", "rollback", "rollback", "restore"]
    with pytest.raises(store.StoreError, match="al teruggedraaid"):
        store.rollback(engine, first.id)
    with pytest.raises(store.StoreError, match="bestaat niet"):
        store.rollback(engine, 999)


def test_compare_versions(engine):
    first = _add(engine, "ok_komma.csv")
    text = ("gebiedscode;jaar;indicator;waarde;eenheid;bron\n"
            "WK054600;2023;vve_bereik_pct;70;pct;b\nWK054601;2023;vve_bereik_pct;58,25;pct;b\n"
            "WK054602;2023;vve_bereik_pct;10;pct;b\n")
    result = validation.validate("indicator", [("n.csv", text.encode())])
    second = store.add_version(engine, "indicator", [("n.csv", text.encode())], facts=result.facts)
    diff = store.compare_versions(engine, first.id, second.id).set_index("code")
    assert diff.loc["WK054600", "verschil"] == "gewijzigd"
    assert diff.loc["WK054601", "verschil"] == "gelijk"
    assert diff.loc["WK054602", "verschil"] == "nieuw"
    assert diff.loc["WK054603", "verschil"] == "vervallen"


def test_kwb_upload_keeps_nan_and_source(engine):
    version = _add(engine, "kwb_leiden_2024.csv", "kwb", jaar=2025)
    assert version.jaar == 2025
    uploaded = store.uploaded_feiten(engine)
    assert set(uploaded["bron"]) == {"CBS KWB 2025 (upload kwb_leiden_2024.csv)"}
    merged = facts.load_feiten(uploaded)
    table = facts.wide(merged, "GM0546", "gemeente")
    assert table.jaren["inwoners"] == 2025


def test_failed_write_changes_nothing(engine):
    _add(engine, "ok_komma.csv")
    before = (store.current_revision(engine), len(store.uploaded_feiten(engine)), len(store.list_versions(engine)))
    bad = pd.DataFrame({"code": ["WK054600"], "indicator": ["x" * 5000], "jaar": ["geen jaar"], "waarde": [1.0],
                        "eenheid": [""], "bron": ["b"]})
    with pytest.raises(Exception):
        store.add_version(engine, "indicator", [("kapot.csv", b"x")], facts=bad)
    after = (store.current_revision(engine), len(store.uploaded_feiten(engine)), len(store.list_versions(engine)))
    assert after == before
    with engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(store.files_table)).scalar() == 1


def _agenda_upload(agenda_id: str = "GM0361-2019"):
    from tests.test_validation import _agenda_csv_files

    files = _agenda_csv_files(agenda_id)
    result = validation.validate("agenda", files)
    assert result.ok, [p.line() for p in result.problems]
    return files, result


def test_agenda_upload_round_trip_and_merge_as_new_gemeente(engine):
    files, result = _agenda_upload()
    version = store.add_version(engine, "agenda", files, tables=result.tables)
    assert version.rows == sum(len(t) for t in result.tables.values())
    uploaded = store.uploaded_agenda(engine)
    for name, frame in result.tables.items():
        back = uploaded.get(name, pd.DataFrame(columns=frame.columns))
        assert back.columns.tolist() == frame.columns.tolist()
        assert len(back) == len(frame)
    assert uploaded["begroting"]["bedrag_eur"].sum() == pytest.approx(result.tables["begroting"]["bedrag_eur"].sum())
    # A snapshot without this gemeente: the upload brings in the whole agenda.
    snapshot = agenda.load_agenda().tables()
    without = {name: frame[~frame.apply(lambda r: "GM0361" in " ".join(map(str, r.values)), axis=1)]
               for name, frame in snapshot.items()}
    merged = store.merge_agenda(without, uploaded)
    assert "GM0361" in set(merged["gemeenten"]["gemeente_code"])
    assert "GM0361-2019" in set(merged["agendas"]["agenda_id"])
    assert len(merged["begroting"]) == len(without["begroting"]) + len(result.tables["begroting"])
    name, data = store.original_download(engine, version.id)
    assert name.endswith(".zip") and data[:2] == b"PK"
    store.rollback(engine, version.id)
    assert store.uploaded_agenda(engine) == {}


def test_merge_agenda_replaces_an_existing_agenda():
    snapshot = agenda.load_agenda().tables()
    _, result = _agenda_upload()
    uploaded = {k: v.copy() for k, v in result.tables.items()}
    uploaded["begroting"] = uploaded["begroting"].iloc[:1]
    merged = store.merge_agenda(snapshot, uploaded)
    begroting = merged["begroting"]
    assert (begroting["agenda_id"] == "GM0361-2019").sum() == 1
    assert len(merged["gemeenten"]) == len(snapshot["gemeenten"])


def test_default_url_is_sqlite_under_var(monkeypatch, tmp_path):
    monkeypatch.delenv(store.ENV_URL, raising=False)
    monkeypatch.delenv(store.ENV_SQLITE, raising=False)
    assert store.database_url() == f"sqlite:///{paths.DEFAULT_SQLITE_FILE}"
    monkeypatch.setenv(store.ENV_URL, f"sqlite:///{tmp_path / 'x.sqlite'}")
    engine = store.engine_from_env()
    assert store.current_revision(engine) == "r0" and (tmp_path / "x.sqlite").exists()


# --------------------------------------------------------------------------- property-based
CODES = ["GM0546", "WK054600", "WK054601", "BU05460000", "WK999999"]


def _render(rows: list[tuple], delimiter: str, dutch: bool, encoding: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(validation.INDICATOR_COLUMNS)
    for code, jaar, indicator, value, eenheid, bron in rows:
        if isinstance(value, float):
            value = f"{value:,.2f}"
            value = value.replace(",", "_").replace(".", ",").replace("_", ".") if dutch else value.replace(",", "")
        writer.writerow([code, jaar, indicator, value, eenheid, bron])
    return buffer.getvalue().encode(encoding)


VALID_CODES = CODES[:4]


def _mostly(valid: list, invalid, one_in: int = 15):
    """Draw a valid option, or the invalid one about once in ``one_in`` draws."""
    return st.integers(0, one_in - 1).map(lambda i: invalid if i == 0 else valid[i % len(valid)])


row_strategy = st.tuples(
    _mostly(VALID_CODES, "WK999999"),
    _mostly([2020, 2024], 1850),
    st.sampled_from(["inwoners", "eigen_score"]),
    st.tuples(st.floats(0, 1_000_000, allow_nan=False), st.integers(0, 14)).map(
        lambda t: "n.v.t." if t[1] == 0 else round(-t[0] / 1000 if t[1] == 1 else t[0], 2)),
    st.integers(0, 14),
    st.sampled_from(["Gemeente Leiden", "GGD café", "bron; met \"quotes\""]),
).map(lambda r: (r[0], r[1], r[2], r[3],
                 # the unit fits the indicator, except about once in 15 rows
                 ("" if r[2] == "inwoners" else "score") if r[4] else ("score" if r[2] == "inwoners" else ""),
                 r[5]))


def _should_pass(rows) -> bool:
    if not rows:
        return False
    keys = [(r[0], r[2], r[1]) for r in rows]
    if len(set(keys)) != len(keys):
        return False
    for code, jaar, indicator, value, eenheid, _ in rows:
        if code == "WK999999" or jaar == 1850 or isinstance(value, str):
            return False
        if indicator == "inwoners" and (value < 0 or eenheid == "score"):
            return False
        if indicator == "eigen_score" and not eenheid:
            return False
    return True


@settings(max_examples=int(os.environ.get("GKA_DASH_FUZZ_EXAMPLES", "60")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(row_strategy, max_size=6), delimiter=st.sampled_from([";", ",", "\t"]), dutch=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_property_rejected_and_unchanged_or_accepted_and_equal(engine, rows, delimiter, dutch, encoding):
    data = _render(rows, delimiter, dutch, encoding)
    before = (store.current_revision(engine), store.uploaded_feiten(engine))
    result = validation.validate("indicator", [("fuzz.csv", data)])
    assert result.ok == _should_pass(rows), ([p.line() for p in result.problems], rows)
    if not result.ok:
        assert result.problems and all(p.reden for p in result.problems)
        assert store.current_revision(engine) == before[0]
        pd.testing.assert_frame_equal(store.uploaded_feiten(engine), before[1])
        return
    version = store.add_version(engine, "indicator", [("fuzz.csv", data)], facts=result.facts)
    back = store.version_facts(engine, version.id)
    expected = pd.DataFrame(
        [(c, i, j, v, e or "aantal", b) for c, j, i, v, e, b in rows],
        columns=["code", "indicator", "jaar", "waarde", "eenheid", "bron"])
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)
    assert store.original_download(engine, version.id) == ("fuzz.csv", data)


# --------------------------------------------------------------------------- concurrency
def _import_in_process(url: str, worker: int, count: int) -> list[int]:
    engine = store.make_engine(url)
    ids = []
    for i in range(count):
        frame = pd.DataFrame({"code": ["WK054600", "WK054601"] * 100, "indicator": [f"w{worker}_{i}"] * 200,
                              "jaar": list(range(1800, 1900)) * 2, "waarde": [float(worker)] * 200,
                              "eenheid": ["aantal"] * 200, "bron": [f"worker {worker}"] * 200})
        frame["jaar"] = [2000 + k // 2 for k in range(200)]
        version = store.add_version(engine, "indicator", [(f"w{worker}_{i}.csv", f"{worker}-{i}".encode())],
                                    facts=frame, uploaded_by=f"worker{worker}")
        ids.append(version.id)
    engine.dispose()
    return ids


@pytest.mark.parametrize("use_processes", [False, True], ids=["threads", "processes"])
def test_parallel_imports_all_stored_and_consistent(engine, use_processes):
    workers, per_worker = 6, 4
    url = engine.url.render_as_string(hide_password=False)
    if use_processes:
        pool = futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    else:
        pool = futures.ThreadPoolExecutor(workers)
    with pool:
        results = list(pool.map(_import_in_process, [url] * workers, range(workers), [per_worker] * workers))
    ids = sorted(i for r in results for i in r)
    assert ids == sorted(set(ids)) and len(ids) == workers * per_worker
    versions = store.list_versions(engine)
    assert len(versions) == workers * per_worker
    assert store.current_revision(engine) == f"r{workers * per_worker}"
    for version in versions:
        stored = store.version_facts(engine, version.id)
        assert len(stored) == version.rows == 200
        assert stored["indicator"].nunique() == 1
    assert len(store.uploaded_feiten(engine)) == workers * per_worker * 200


def test_new_gemeente_agenda_upload_rebuilds_the_snapshot_exactly(engine):
    """Remove Alkmaar from the snapshot, upload its agenda: the merged tables equal the snapshot."""
    files, result = _agenda_upload("GM0361-2019")
    store.add_version(engine, "agenda", files, tables=result.tables)
    snapshot = agenda.load_agenda().tables()
    without = {name: frame[~frame.apply(lambda r: "GM0361" in " ".join(map(str, r.values)), axis=1)]
               for name, frame in snapshot.items()}
    merged = store.merge_agenda(without, store.uploaded_agenda(engine))
    for name, frame in snapshot.items():
        key = agenda.TABLES[name]["primary_key"]
        expected = frame.sort_values(key).reset_index(drop=True)
        got = merged[name].sort_values(key).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected)
    agenda.AgendaData(**merged)  # what gka_dash.ui builds from it
