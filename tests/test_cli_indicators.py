"""`python -m gka_dash indicators` as a script would call it."""

import json
import subprocess
import sys

import pytest

from gka_dash.__main__ import main


def _json(capsys, *args) -> list[dict]:
    assert main(["indicators", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_leiden_wijken(capsys):
    rows = _json(capsys, "--gemeente", "GM0546", "--level", "wijk")
    assert len(rows) == 10
    by_code = {r["code"]: r for r in rows}
    assert by_code["WK054601"]["naam"] == "Binnenstad-Noord"
    assert by_code["WK054601"]["inwoners"] == 15545 and by_code["WK054601"]["kinderen_0_15"] == 1010
    assert "aandeel_0_15_pct" in by_code["WK054601"]


@pytest.mark.parametrize(("level", "count"), [("buurt", 54), ("gemeente", 1)])
def test_other_levels(capsys, level, count):
    rows = _json(capsys, "--gemeente", "GM0546", "--level", level)
    assert len(rows) == count
    assert all(set(r) >= {"code", "naam", "inwoners", "kinderen_0_15"} for r in rows)


def test_secret_values_are_null_not_zero(capsys):
    rows = _json(capsys, "--gemeente", "GM0546", "--level", "buurt")
    incomes = [r.get("inkomen_per_inwoner_x1000_eur") for r in rows]
    assert None in incomes and 0 not in incomes  # CBS hides income below 2,500 inhabitants


def test_unknown_code_exits_1_with_message():
    result = subprocess.run(
        [sys.executable, "-m", "gka_dash", "indicators", "--gemeente", "GM9999", "--json"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 1
    assert "onbekende CBS-code 'GM9999'" in result.stdout
