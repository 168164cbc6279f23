"""The upload store: every accepted upload is a version, kept with its original file (SQLAlchemy).

By default a SQLite file outside the tracked files (:data:`gka_dash.paths.DEFAULT_SQLITE_FILE`,
or ``GKA_DASH_SQLITE_FILE``); ``GKA_DASH_DATABASE_URL`` selects any SQLAlchemy URL, e.g.
``postgresql+psycopg://user:pw@host/db``. Each write is one transaction: a version, its rows,
its original file(s) and its audit event are stored together or not at all.

Reading (DESIGN §1): :func:`uploaded_feiten` gives the facts of the active versions (newest
version wins per code/indicator/jaar), to be overlaid on the snapshot with
:func:`gka_dash.facts.merge_feiten`; :func:`uploaded_agenda` gives the agenda tables of the
active agenda versions (newest version wins per agenda_id). :func:`current_revision` changes with
every upload and rollback, so caches can use it as a key.
"""

from __future__ import annotations

import getpass
import hashlib
import io
import json
import math
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event

from gka_dash import paths

FACT_KINDS = ("indicator", "kwb")
AGENDA_KIND = "agenda"
ENV_URL = "GKA_DASH_DATABASE_URL"
ENV_SQLITE = "GKA_DASH_SQLITE_FILE"
_BATCH = 5_000

metadata = sa.MetaData()

versions_table = sa.Table(
    "upload_versions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("uploaded_by", sa.String(200), nullable=False),
    sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("jaar", sa.Integer, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("note", sa.Text, nullable=True),
)

files_table = sa.Table(
    "upload_files", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("upload_versions.id"), nullable=False, index=True),
    sa.Column("filename", sa.String(500), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

facts_table = sa.Table(
    "upload_facts", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("upload_versions.id"), nullable=False, index=True),
    sa.Column("code", sa.String(12), nullable=False),
    sa.Column("indicator", sa.String(80), nullable=False),
    sa.Column("jaar", sa.Integer, nullable=False),
    sa.Column("waarde", sa.Float, nullable=True),  # NULL = missing (NaN), never 0
    sa.Column("eenheid", sa.String(80), nullable=False, default=""),
    sa.Column("bron", sa.String(500), nullable=False),
)

agenda_rows_table = sa.Table(
    "upload_agenda_rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("upload_versions.id"), nullable=False, index=True),
    sa.Column("tabel", sa.String(40), nullable=False),
    sa.Column("rij", sa.Integer, nullable=False),
    sa.Column("data", sa.Text, nullable=False),  # one row as a JSON object, columns in order
)

events_table = sa.Table(
    "upload_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("upload_versions.id"), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),  # upload | rollback | restore
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)


class StoreError(RuntimeError):
    """A store operation that cannot be done (unknown version, ...), with a Dutch message."""


# --------------------------------------------------------------------------- engine
def database_url() -> str:
    """``GKA_DASH_DATABASE_URL``, else SQLite at ``GKA_DASH_SQLITE_FILE`` or the default under var/."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    path = Path(os.environ.get(ENV_SQLITE) or paths.DEFAULT_SQLITE_FILE)
    return f"sqlite:///{path}"


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the store's tables created (idempotent)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"timeout": 60})
        _sqlite_transactions(engine)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    _create_tables(engine)
    return engine


def engine_from_env() -> sa.Engine:
    """The store engine (``GKA_DASH_DATABASE_URL`` or the SQLite default); tables are created."""
    return make_engine(database_url())


def _create_tables(engine: sa.Engine) -> None:
    try:
        metadata.create_all(engine)
    except sa.exc.SQLAlchemyError:
        # Several processes creating the tables at once: one wins, the others see them exist.
        metadata.create_all(engine)


def _sqlite_transactions(engine: sa.Engine) -> None:
    """Let SQLAlchemy, not pysqlite, issue BEGIN; writes take the write lock at BEGIN IMMEDIATE.

    Without this, two processes that both read and then write can deadlock on the lock upgrade
    (SQLAlchemy docs, "Serializable isolation / Savepoints / Transactional DDL" for pysqlite).
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        mode = "IMMEDIATE" if connection.get_execution_options().get("gka_write") else "DEFERRED"
        connection.exec_driver_sql(f"BEGIN {mode}")


def _write(engine: sa.Engine):
    """A transaction for writing: all or nothing."""
    return engine.connect().execution_options(gka_write=True)


# --------------------------------------------------------------------------- writing
@dataclass(frozen=True)
class Version:
    id: int
    kind: str
    filename: str
    sha256: str
    rows: int
    uploaded_by: str
    uploaded_at: datetime
    jaar: int | None
    active: bool


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "onbekend"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def add_version(
    engine: sa.Engine,
    kind: str,
    files: list[tuple[str, bytes]],
    *,
    facts: pd.DataFrame | None = None,
    tables: dict[str, pd.DataFrame] | None = None,
    uploaded_by: str | None = None,
    jaar: int | None = None,
    note: str | None = None,
) -> Version:
    """Store a validated upload as a new active version, atomically.

    Args:
        kind: 'indicator', 'kwb' or 'agenda'.
        files: the original file(s) as uploaded: (file name, content).
        facts: for the fact kinds: ``code, indicator, jaar, waarde, eenheid, bron``.
        tables: for 'agenda': one frame per agenda table.
    """
    if not files:
        raise StoreError("een versie heeft ten minste één bestand nodig")
    if kind in FACT_KINDS and facts is None:
        raise StoreError(f"soort '{kind}' heeft feiten nodig")
    if kind == AGENDA_KIND and tables is None:
        raise StoreError("soort 'agenda' heeft tabellen nodig")
    who = uploaded_by or default_user()
    filename = ", ".join(name for name, _ in files)
    digest = sha256(b"".join(data for _, data in files)) if len(files) > 1 else sha256(files[0][1])
    rows = len(facts) if facts is not None else sum(len(t) for t in tables.values())
    at = _now()
    with _write(engine) as conn, conn.begin():
        version_id = conn.execute(
            versions_table.insert().values(
                kind=kind, filename=filename[:500], sha256=digest, rows=int(rows), uploaded_by=who[:200],
                uploaded_at=at, jaar=jaar, active=True, note=note,
            )
        ).inserted_primary_key[0]
        conn.execute(files_table.insert(), [
            {"version_id": version_id, "filename": name[:500], "sha256": sha256(data), "content": data}
            for name, data in files
        ])
        if facts is not None:
            _insert_batches(conn, facts_table, _fact_records(version_id, facts))
        if tables is not None:
            _insert_batches(conn, agenda_rows_table, _agenda_records(version_id, tables))
        conn.execute(events_table.insert().values(version_id=version_id, action="upload", who=who[:200], at=at))
    return Version(version_id, kind, filename, digest, int(rows), who, at, jaar, True)


def _insert_batches(conn, table: sa.Table, records: list[dict]) -> None:
    for start in range(0, len(records), _BATCH):
        conn.execute(table.insert(), records[start:start + _BATCH])


def _fact_records(version_id: int, facts: pd.DataFrame) -> list[dict]:
    frame = facts.copy()
    if "eenheid" not in frame:
        frame["eenheid"] = ""
    waarde = frame["waarde"].astype(float)
    return [
        {"version_id": version_id, "code": str(c), "indicator": str(i), "jaar": int(j),
         "waarde": None if math.isnan(w) else float(w), "eenheid": str(e or ""), "bron": str(b)}
        for c, i, j, w, e, b in zip(frame["code"], frame["indicator"], frame["jaar"], waarde,
                                    frame["eenheid"].fillna(""), frame["bron"])
    ]


def _json_value(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return str(value)


def _agenda_records(version_id: int, tables: dict[str, pd.DataFrame]) -> list[dict]:
    records = []
    for name, frame in tables.items():
        columns = list(frame.columns)
        for position, row in enumerate(frame.itertuples(index=False, name=None)):
            data = {c: _json_value(v) for c, v in zip(columns, row)}
            records.append({"version_id": version_id, "tabel": name, "rij": position,
                            "data": json.dumps(data, ensure_ascii=False)})
        if frame.empty:  # keep the columns of an empty table
            records.append({"version_id": version_id, "tabel": name, "rij": -1,
                            "data": json.dumps({c: None for c in columns})})
    return records


def rollback(engine: sa.Engine, version_id: int, who: str | None = None) -> Version:
    """Deactivate a version: its data leaves the merged view (older versions/snapshot show again)."""
    return _set_active(engine, version_id, False, "rollback", who)


def restore(engine: sa.Engine, version_id: int, who: str | None = None) -> Version:
    """Reactivate a rolled-back version."""
    return _set_active(engine, version_id, True, "restore", who)


def _set_active(engine, version_id: int, active: bool, action: str, who: str | None) -> Version:
    who = who or default_user()
    with _write(engine) as conn, conn.begin():
        row = conn.execute(sa.select(versions_table).where(versions_table.c.id == int(version_id))).mappings().first()
        if row is None:
            raise StoreError(f"versie {version_id} bestaat niet")
        if bool(row["active"]) == active:
            state = "actief" if active else "al teruggedraaid"
            raise StoreError(f"versie {version_id} is {state}")
        conn.execute(versions_table.update().where(versions_table.c.id == int(version_id)).values(active=active))
        conn.execute(events_table.insert().values(version_id=int(version_id), action=action, who=who[:200], at=_now()))
    return get_version(engine, version_id)


# --------------------------------------------------------------------------- reading
def current_revision(engine: sa.Engine) -> str:
    """A token that changes with every upload, rollback and restore (one indexed query)."""
    with engine.connect() as conn:
        last = conn.execute(sa.select(sa.func.max(events_table.c.id))).scalar()
    return f"r{last or 0}"


def _version(row) -> Version:
    at = row["uploaded_at"]
    if at is not None and at.tzinfo is None:  # SQLite returns naive datetimes
        at = at.replace(tzinfo=timezone.utc)
    return Version(int(row["id"]), row["kind"], row["filename"], row["sha256"], int(row["rows"]),
                   row["uploaded_by"], at, row["jaar"], bool(row["active"]))


def get_version(engine: sa.Engine, version_id: int) -> Version:
    with engine.connect() as conn:
        row = conn.execute(sa.select(versions_table).where(versions_table.c.id == int(version_id))).mappings().first()
    if row is None:
        raise StoreError(f"versie {version_id} bestaat niet")
    return _version(row)


def list_versions(engine: sa.Engine) -> list[Version]:
    """All versions, newest first."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(versions_table).order_by(versions_table.c.id.desc())).mappings().all()
    return [_version(r) for r in rows]


def versions_frame(engine: sa.Engine) -> pd.DataFrame:
    """All versions as a table with Dutch headers, newest first."""
    rows = [
        {"versie": v.id, "soort": v.kind, "bestand": v.filename, "rijen": v.rows, "door": v.uploaded_by,
         "op": v.uploaded_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"), "jaar": v.jaar,
         "actief": v.active, "sha256": v.sha256}
        for v in list_versions(engine)
    ]
    columns = ["versie", "soort", "bestand", "rijen", "door", "op", "jaar", "actief", "sha256"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["jaar"] = frame["jaar"].astype("Int64")
    return frame


def events_frame(engine: sa.Engine) -> pd.DataFrame:
    """The audit trail: every upload, rollback and restore."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(events_table).order_by(events_table.c.id)).mappings().all()
    return pd.DataFrame([dict(r) for r in rows], columns=["id", "version_id", "action", "who", "at"])


def original_files(engine: sa.Engine, version_id: int) -> list[tuple[str, bytes]]:
    """The file(s) of a version exactly as uploaded."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(files_table.c.filename, files_table.c.content)
            .where(files_table.c.version_id == int(version_id)).order_by(files_table.c.id)
        ).all()
    if not rows:
        raise StoreError(f"versie {version_id} bestaat niet")
    return [(name, bytes(content)) for name, content in rows]


def original_download(engine: sa.Engine, version_id: int) -> tuple[str, bytes]:
    """One file to download: the original, or a zip when the version had several files."""
    files = original_files(engine, version_id)
    if len(files) == 1:
        return files[0]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            archive.writestr(os.path.basename(name), data)
    return f"versie_{version_id}.zip", buffer.getvalue()


def version_facts(engine: sa.Engine, version_id: int) -> pd.DataFrame:
    """The facts stored for one version (``code, indicator, jaar, waarde, eenheid, bron``)."""
    query = sa.select(facts_table.c.code, facts_table.c.indicator, facts_table.c.jaar, facts_table.c.waarde,
                      facts_table.c.eenheid, facts_table.c.bron).where(facts_table.c.version_id == int(version_id))
    return _facts_frame(engine, query.order_by(facts_table.c.id))


_FACT_DTYPES = {"version_id": "int64", "code": "str", "indicator": "str", "jaar": "int64", "waarde": "float64",
                "eenheid": "str", "bron": "str"}


def _facts_frame(engine: sa.Engine, query) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(query)
        columns = list(result.keys())
        frame = pd.DataFrame(result.all(), columns=columns)
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=_FACT_DTYPES[c]) for c in columns})
    frame["jaar"] = frame["jaar"].astype(int)
    frame["waarde"] = pd.to_numeric(frame["waarde"], errors="coerce").astype(float)
    return frame


def _active_facts(engine: sa.Engine) -> pd.DataFrame:
    query = (
        sa.select(facts_table.c.version_id, facts_table.c.code, facts_table.c.indicator, facts_table.c.jaar,
                  facts_table.c.waarde, facts_table.c.eenheid, facts_table.c.bron)
        .join(versions_table, versions_table.c.id == facts_table.c.version_id)
        .where(versions_table.c.active.is_(True))
        .order_by(facts_table.c.version_id.desc(), facts_table.c.id)
    )
    frame = _facts_frame(engine, query)
    return frame.drop_duplicates(["code", "indicator", "jaar"], keep="first").reset_index(drop=True)


def uploaded_feiten(engine: sa.Engine) -> pd.DataFrame:
    """Facts of the active versions, newest version first per code/indicator/jaar.

    Columns ``code, indicator, jaar, waarde, bron`` (as :func:`gka_dash.facts.merge_feiten` expects).
    """
    frame = _active_facts(engine)
    return frame[["code", "indicator", "jaar", "waarde", "bron"]].reset_index(drop=True)


def uploaded_indicator_units(engine: sa.Engine) -> dict[str, str]:
    """Unit per uploaded indicator id (newest active version wins), so the UI can label own indicators."""
    frame = _active_facts(engine)
    frame = frame[frame["eenheid"].astype(str).str.strip().ne("")]
    return frame.drop_duplicates("indicator", keep="first").set_index("indicator")["eenheid"].to_dict()


# --------------------------------------------------------------------------- agenda
def _agenda_frames(engine: sa.Engine, version_ids: list[int]) -> dict[int, dict[str, pd.DataFrame]]:
    if not version_ids:
        return {}
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(agenda_rows_table.c.version_id, agenda_rows_table.c.tabel, agenda_rows_table.c.rij,
                      agenda_rows_table.c.data)
            .where(agenda_rows_table.c.version_id.in_(version_ids))
            .order_by(agenda_rows_table.c.version_id, agenda_rows_table.c.tabel, agenda_rows_table.c.rij)
        ).all()
    grouped: dict[int, dict[str, list]] = {}
    columns: dict[tuple[int, str], list[str]] = {}
    for version_id, tabel, rij, data in rows:
        record = json.loads(data)
        columns.setdefault((version_id, tabel), list(record))
        bucket = grouped.setdefault(version_id, {}).setdefault(tabel, [])
        if rij >= 0:
            bucket.append(record)
    return {
        vid: {t: pd.DataFrame(records, columns=columns[(vid, t)]) for t, records in tables.items()}
        for vid, tables in grouped.items()
    }


def version_agenda(engine: sa.Engine, version_id: int) -> dict[str, pd.DataFrame]:
    """The agenda tables stored for one version."""
    return _agenda_frames(engine, [int(version_id)]).get(int(version_id), {})


def uploaded_agenda(engine: sa.Engine) -> dict[str, pd.DataFrame]:
    """Agenda tables of the active agenda versions; per agenda_id the newest version wins.

    Every row carries its table's own columns. Snapshot rows of the agendas in
    ``result['agendas']['agenda_id']`` are replaced wholesale (see :func:`merge_agenda`).
    Returns ``{}`` when there are no active agenda uploads.
    """
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(
            sa.select(versions_table.c.id)
            .where(versions_table.c.kind == AGENDA_KIND, versions_table.c.active.is_(True))
            .order_by(versions_table.c.id.desc())
        )]
    by_version = _agenda_frames(engine, ids)
    taken: set[str] = set()
    parts: dict[str, list[pd.DataFrame]] = {}
    for version_id in ids:  # newest first
        tables = by_version.get(version_id, {})
        agendas = set(tables.get("agendas", pd.DataFrame(columns=["agenda_id"]))["agenda_id"]) - taken
        if not agendas:
            continue
        for name, frame in tables.items():
            parts.setdefault(name, []).append(_rows_of_agendas(name, frame, tables, agendas))
        taken |= agendas
    return {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}


def _agenda_of_rows(name: str, frame: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """The agenda_id each row of ``frame`` belongs to (via its interventie where needed)."""
    if "agenda_id" in frame:
        return frame["agenda_id"]
    if "interventie_id" in frame:
        lookup = tables.get("interventies", pd.DataFrame(columns=["interventie_id", "agenda_id"]))
        return frame["interventie_id"].map(lookup.set_index("interventie_id")["agenda_id"])
    if name == "gemeenten" and "agendas" in tables:
        gemeenten = tables["agendas"][["gemeente_code", "agenda_id"]].drop_duplicates("gemeente_code")
        return frame["gemeente_code"].map(gemeenten.set_index("gemeente_code")["agenda_id"])
    return pd.Series(None, index=frame.index, dtype=object)


def _rows_of_agendas(name, frame, tables, agendas: set[str]) -> pd.DataFrame:
    owner = _agenda_of_rows(name, frame, tables)
    return frame[owner.isin(agendas)]


def merge_agenda(snapshot: dict[str, pd.DataFrame], uploaded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Replace the snapshot's rows of every uploaded agenda by the uploaded rows; add new gemeenten."""
    if not uploaded or "agendas" not in uploaded:
        return snapshot
    replaced = set(uploaded["agendas"]["agenda_id"])
    merged = {}
    for name, frame in snapshot.items():
        owner = _agenda_of_rows(name, frame, snapshot)
        keep = frame[~owner.isin(replaced)] if name != "gemeenten" else frame
        extra = uploaded.get(name)
        if extra is None or extra.empty:
            merged[name] = keep.reset_index(drop=True)
            continue
        if name == "gemeenten":
            extra = extra[~extra["gemeente_code"].isin(frame["gemeente_code"])]
        extra = extra.reindex(columns=frame.columns)
        for column in frame.columns:  # keep the snapshot's dtypes where the values allow
            try:
                extra[column] = extra[column].astype(frame[column].dtype)
            except (TypeError, ValueError):
                pass
        merged[name] = pd.concat([keep, extra], ignore_index=True)
    return merged


# --------------------------------------------------------------------------- compare
def compare_versions(engine: sa.Engine, old_id: int, new_id: int) -> pd.DataFrame:
    """What changed from one fact version to another, per code/indicator/jaar.

    Columns ``code, indicator, jaar, waarde_oud, waarde_nieuw, verschil`` where ``verschil`` is
    'nieuw', 'vervallen', 'gewijzigd' or 'gelijk'.
    """
    key = ["code", "indicator", "jaar"]
    old = version_facts(engine, old_id)[key + ["waarde"]].rename(columns={"waarde": "waarde_oud"})
    new = version_facts(engine, new_id)[key + ["waarde"]].rename(columns={"waarde": "waarde_nieuw"})
    both = old.merge(new, on=key, how="outer", indicator=True)
    same = (both["waarde_oud"] == both["waarde_nieuw"]) | (both["waarde_oud"].isna() & both["waarde_nieuw"].isna())
    both["verschil"] = np.select(
        [both["_merge"].eq("right_only"), both["_merge"].eq("left_only"), same],
        ["nieuw", "vervallen", "gelijk"], default="gewijzigd",
    )
    return both.drop(columns="_merge").sort_values(key).reset_index(drop=True)
