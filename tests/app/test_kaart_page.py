"""AppTest of the Kaart page: the map, its source line and its values for two gemeenten."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _run(gemeente: str, niveau: str = "wijk") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["gemeente"] = gemeente
    at.session_state["niveau"] = niveau
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("gemeente", "naam", "wijken"), [("GM0546", "Leiden", 10), ("GM0118", "Hoogeveen", 13)]
)
def test_wijk_map_of_gemeente(gemeente, naam, wijken):
    at = _run(gemeente)
    assert at.title[0].value == f"Kaart — {naam}"
    assert not at.error
    table = at.dataframe[0].value
    assert len(table) == wijken
    assert any("CBS KWB 2024" in c.value for c in at.caption)


def test_buurt_level_and_indicator_switch():
    at = _run("GM0546", "buurt")
    assert len(at.dataframe[0].value) == 54
    at.selectbox(key="indicator").set_value("inkomen_per_inwoner_x1000_eur").run()
    assert not at.exception
    shown = at.dataframe[0].value.iloc[:, 2].tolist()
    assert "geheim/onbekend" in shown  # CBS hides income for small buurten: never shown as 0
