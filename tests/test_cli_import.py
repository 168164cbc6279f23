"""``python -m gka_dash import`` and ``versions``: exit codes, one line per problem, the store honoured."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gka_dash import store
from gka_dash.__main__ import main

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "uploads"


@pytest.fixture
def db(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("GKA_DASH_DATABASE_URL", url)
    return url


def test_import_good_file_prints_version_and_stores(db, capsys):
    assert main(["import", str(CORPUS / "ok_puntkomma_bom.csv"), "--kind", "indicator", "--user", "ana"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("versie 1 opgeslagen: indicator, ok_puntkomma_bom.csv, 4 rijen")
    engine = store.make_engine(db)
    assert [v.uploaded_by for v in store.list_versions(engine)] == ["ana"]


def test_import_bad_file_exits_1_with_one_line_per_problem_and_stores_nothing(db, capsys):
    assert main(["import", str(CORPUS / "fout_dubbele_rijen.csv"), "--kind", "indicator"]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[:2] == [
        "fout_dubbele_rijen.csv:2:gebiedscode, indicator, jaar: deze combinatie van gebiedscode, indicator en jaar "
        "komt vaker voor in het bestand (waarde 'WK054600, vve_bereik_pct, 2023')",
        "fout_dubbele_rijen.csv:4:gebiedscode, indicator, jaar: deze combinatie van gebiedscode, indicator en jaar "
        "komt vaker voor in het bestand (waarde 'WK054600, vve_bereik_pct, 2023')",
    ]
    assert "niets opgeslagen" in lines[-1]
    assert store.list_versions(store.make_engine(db)) == []


def test_import_kwb_needs_jaar(db, capsys):
    assert main(["import", str(CORPUS / "kwb_leiden_2024.csv"), "--kind", "kwb"]) == 1
    assert "--jaar" in capsys.readouterr().out
    assert main(["import", str(CORPUS / "kwb_leiden_2024.csv"), "--kind", "kwb", "--jaar", "2024"]) == 0


def test_import_missing_file(db, capsys):
    assert main(["import", str(CORPUS / "bestaat_niet.csv"), "--kind", "indicator"]) == 1
    assert "kan niet gelezen worden" in capsys.readouterr().out


def test_dry_run_stores_nothing(db, capsys):
    assert main(["import", str(CORPUS / "ok.xlsx"), "--kind", "indicator", "--dry-run"]) == 0
    assert "niet opgeslagen" in capsys.readouterr().out
    assert store.list_versions(store.make_engine(db)) == []


def test_versions_list_rollback_restore_download(db, capsys, tmp_path):
    assert main(["versions"]) == 0
    assert "Nog geen uploads" in capsys.readouterr().out
    main(["import", str(CORPUS / "ok_komma.csv"), "--kind", "indicator", "--user", "ana"])
    capsys.readouterr()
    assert main(["versions"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("1\tindicator\tactief\t") and "ana\t4 rijen\tok_komma.csv" in line
    assert main(["versions", "--rollback", "1"]) == 0
    main(["versions"])
    assert "\tteruggedraaid\t" in capsys.readouterr().out
    assert main(["versions", "--rollback", "1"]) == 1
    assert main(["versions", "--restore", "1"]) == 0
    assert main(["versions", "--download", "1", "--out", str(tmp_path / "terug")]) == 0
    assert (tmp_path / "terug" / "ok_komma.csv").read_bytes() == (CORPUS / "ok_komma.csv").read_bytes()


def test_command_line_as_a_process(db, tmp_path):
    """The real entry point: exit codes and output through `python -m gka_dash`."""
    env = {"GKA_DASH_DATABASE_URL": db, "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"}
    bad = subprocess.run([sys.executable, "-m", "gka_dash", "import", str(CORPUS / "fout_negatief.csv"),
                          "--kind", "indicator"], capture_output=True, text=True, env=env, cwd=REPO)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0] == "fout_negatief.csv:3:waarde: een negatieve waarde kan niet bij deze eenheid (waarde '-4')"
    good = subprocess.run([sys.executable, "-m", "gka_dash", "import", str(CORPUS / "ok_tab.tsv"),
                           "--kind", "indicator"], capture_output=True, text=True, env=env, cwd=REPO)
    assert good.returncode == 0 and good.stdout.startswith("versie 1 opgeslagen")
    listed = subprocess.run([sys.executable, "-m", "gka_dash", "versions"], capture_output=True, text=True,
                            env=env, cwd=REPO)
    assert listed.returncode == 0 and "ok_tab.tsv" in listed.stdout
