"""python -m gka_dash summary / funding."""

from __future__ import annotations

import json

import pytest

from gka_dash import paths
from gka_dash.__main__ import main

pytestmark = pytest.mark.skipif(not paths.FEITEN_FILE.exists(), reason="CBS snapshot not built")


def test_summary_json(capsys):
    assert main(["summary", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    by_code = {r["gemeente_code"]: r for r in records}
    assert set(by_code) == {"GM0118", "GM0119", "GM0307", "GM0361", "GM0546"}
    meppel = by_code["GM0119"]
    assert (meppel["gemeente"], meppel["periode"], meppel["interventies"], meppel["gka_eur"], meppel["totaal_eur"]) == \
        ("Meppel", "2022-2024", 2, 100000, 100000)


def test_summary_table(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "Hoogeveen" in out and "380.000" in out


def test_funding_json_meppel(capsys):
    assert main(["funding", "--gemeente", "GM0119", "--json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert len(records) == 3 and records[-1]["interventie"] is None
    for r in records:
        assert {"interventie", "doelgebied_codes", "kinderen", "leeftijdsband", "cbs_jaar", "gka_eur", "totaal_eur",
                "eur_per_kind_gka", "eur_per_kind_totaal"} <= set(r)
    k4k = next(r for r in records if r["interventie"] == "Uitbreiding Kansen4Kinderen")
    assert k4k["doelgebied_codes"] == ["BU01190201", "BU01190202"]
    assert k4k["kinderen"] == 215 + 185 + 140 + 115 and k4k["cbs_jaar"] == 2024
    assert k4k["eur_per_kind_gka"] == round(50000 / 655, 2)
    assert records[-1]["kinderen"] == 5450 and records[-1]["gka_eur"] == 100000


def test_funding_table(capsys):
    assert main(["funding", "--gemeente", "GM0546"]) == 0
    out = capsys.readouterr().out
    assert "WK054605, WK054606" in out and "OAB" in out


def test_unknown_gemeente_exits_1_in_dutch(capsys):
    assert main(["funding", "--gemeente", "GM9999", "--json"]) == 1
    err = capsys.readouterr().err
    assert "Onbekende gemeente 'GM9999'" in err and "GM0119 (Meppel)" in err
