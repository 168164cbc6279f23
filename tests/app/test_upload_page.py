"""AppTest of the upload page: access modes, bad file -> report, good file -> on the Kaart page, rollback -> gone."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from gka_dash import store
from gka_dash.ui_auth import check_password, hash_password
from gka_dash.ui_upload import plain

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CORPUS = Path(__file__).resolve().parents[1] / "data" / "uploads"
TIMEOUT = 120


@pytest.fixture
def db(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path / 'page.sqlite'}"
    monkeypatch.setenv("GKA_DASH_DATABASE_URL", url)
    monkeypatch.delenv("GKA_DASH_UPLOAD_PASSWORD_HASH", raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield store.make_engine(url)
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def loopback():
    previous = st.get_option("server.address")
    st.config.set_option("server.address", "127.0.0.1")
    yield
    st.config.set_option("server.address", previous)


def _page(page: str = "6_Uploaden.py", secrets: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state["gemeente"] = state.pop("gemeente", "GM0546")
    at.session_state["niveau"] = state.pop("niveau", "wijk")
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> str:
    kinds = ("title", "caption", "markdown", "info", "warning", "success", "error", "text")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def _upload(at: AppTest, name: str, kind: str = "indicator") -> AppTest:
    at.selectbox(key="upload_kind").set_value(kind).run()
    at.file_uploader(key=f"upload_file_{kind}").set_value((name, (CORPUS / name).read_bytes(), "text/csv")).run()
    at.button(key="upload_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_without_any_login_and_on_a_network_address_uploads_are_off(db):
    at = _page()
    assert at.title[0].value == "Gegevens uploaden"
    assert "uitgeschakeld" in _texts(at)
    assert len(at.get("file_uploader")) == 0
    assert "Nog geen uploads" in _texts(at)
    assert len(at.get("download_button")) == 2  # the templates are always there


def test_on_loopback_the_page_says_uploads_are_allowed(db, loopback):
    at = _page()
    assert "127.0.0.1" in "\n".join(i.value for i in at.info)
    assert len(at.get("file_uploader")) == 1


def test_bad_file_shows_report_and_stores_nothing(db, loopback):
    at = _upload(_page(), "fout_negatief.csv")
    assert "afgewezen: 1 probleem" in at.error[0].value
    report = at.dataframe[0].value
    assert report[["rij", "kolom", "waarde"]].values.tolist() == [[3, "waarde", "-4"]]
    assert "negatieve" in report["reden"].iloc[0]
    assert store.list_versions(db) == []


def test_good_file_shows_on_kaart_and_rollback_removes_it(db, loopback):
    at = _upload(_page(), "ok_puntkomma_bom.csv")
    assert "Versie 1 opgeslagen: 4 rijen" in at.success[0].value
    assert [v.uploaded_by for v in store.list_versions(db)] == ["lokaal"]

    kaart = _page("1_Kaart.py")
    options = kaart.selectbox(key="indicator").options
    assert any("vve bereik pct" in o for o in options), options
    kaart.selectbox(key="indicator").set_value("vve_bereik_pct").run()
    cells = " ".join(df.value.astype(str).to_string() for df in kaart.dataframe)
    assert "61,5" in cells or "61.5" in cells, cells

    at = _page()
    at.button(key="version_rollback").click().run()
    assert not at.exception
    assert "teruggedraaid" in _texts(at)
    assert store.list_versions(db)[0].active is False
    kaart = _page("1_Kaart.py")
    assert not any("vve bereik pct" in o for o in kaart.selectbox(key="indicator").options)


def test_password_mode_login(db):
    secrets = {"upload_password_hash": hash_password("geheim-123")}
    at = _page(secrets=secrets)
    assert len(at.get("file_uploader")) == 0
    at.text_input(key="upload_login_name").input("Ana")
    at.text_input(key="upload_login_password").input("fout")
    at.button[0].click().run()
    assert "Onjuist wachtwoord" in _texts(at)
    at.text_input(key="upload_login_password").input("geheim-123")
    at.button[0].click().run()
    assert "Ingelogd als Ana" in _texts(at)
    _upload(at, "ok_komma.csv")
    assert [v.uploaded_by for v in store.list_versions(db)] == ["Ana"]


def test_password_hash_round_trip():
    stored = hash_password("s3cret")
    assert check_password("s3cret", stored) and not check_password("S3cret", stored)
    assert not check_password("s3cret", "kapot") and not check_password("s3cret", "md5$1$a$b")


def test_uploaded_text_is_escaped_in_messages():
    assert plain("[klik](javascript:alert(1))") == r"\[klik\]\(javascript\:alert\(1\)\)"
    assert plain("<img src=x onerror=alert(1)>") == r"\<img src=x onerror=alert\(1\)\>"
