"""Browser: upload a bad file (report shown), a good one (on the Kaart at once), roll back (gone).

Runs its own app with its own empty SQLite store, listening on 127.0.0.1 only (so uploads are
allowed without a login, as the page says).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import assert_no_errors, start_app, stop_app, wait_for_app

CORPUS = Path(__file__).resolve().parents[1] / "data" / "uploads"
OWN_INDICATOR = "vve bereik pct"


@pytest.fixture(scope="module")
def upload_app(tmp_path_factory):
    store = tmp_path_factory.mktemp("upload_store") / "e2e_upload.sqlite"
    process, url = start_app({"GKA_DASH_DATABASE_URL": f"sqlite:///{store}"})
    yield url
    stop_app(process)


def _open_upload_page(page, url):
    page.goto(f"{url}/Uploaden")
    wait_for_app(page)
    page.get_by_role("heading", name="Gegevens uploaden").wait_for(timeout=60_000)


def _upload(page, name: str) -> None:
    page.locator("input[type='file']").set_input_files(str(CORPUS / name))
    page.get_by_text(name).first.wait_for(timeout=30_000)
    page.get_by_role("button", name="Controleren en opslaan").click()
    wait_for_app(page)


def _matching_indicators(page, url, typed: str = OWN_INDICATOR) -> list[str]:
    """Open the Kaart, type into the indicator box (its list is virtualised) and read the matches."""
    page.goto(f"{url}/?gemeente=GM0546&niveau=Wijken")
    wait_for_app(page)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Indicator")
    box.click()
    page.locator("[role='option']").first.wait_for(timeout=30_000)
    page.keyboard.type(typed)
    # the list is filtered as you type: wait until every option left matches (or none is left)
    page.wait_for_function(
        "(typed) => Array.from(document.querySelectorAll('[role=option]'))"
        ".every(o => o.innerText.toLowerCase().includes(typed) || /no results|geen resultaten/i.test(o.innerText))",
        arg=typed.lower(), timeout=30_000,
    )
    return page.locator("[role='option']").all_inner_texts()


def test_bad_file_good_file_rollback(upload_app, page, screenshot_dir):
    _open_upload_page(page, upload_app)
    assert "127.0.0.1" in page.locator("[data-testid='stAlert']").first.inner_text()

    _upload(page, "fout_negatief.csv")
    error = page.locator("[data-testid='stAlert']").filter(has_text="afgewezen")
    error.wait_for(timeout=30_000)
    assert "1 probleem" in error.inner_text()
    with page.expect_download() as download:
        page.get_by_role("button", name="Foutenrapport (CSV)").click()
    report = Path(download.value.path()).read_text(encoding="utf-8-sig")
    # the value is text in the report, so a leading '-' is neutralised against formula injection
    assert "fout_negatief.csv;3;waarde;'-4;een negatieve waarde" in report
    wait_for_app(page)
    assert page.locator("[data-testid='stAlert']").filter(has_text="afgewezen").count() == 1, "report stays"
    assert page.locator("[data-testid='stDataFrame']").count() >= 1
    page.screenshot(path=str(screenshot_dir / "upload_afgewezen.png"), full_page=True)
    assert not [o for o in _matching_indicators(page, upload_app) if OWN_INDICATOR in o]

    _open_upload_page(page, upload_app)
    _upload(page, "ok_puntkomma_bom.csv")
    page.locator("[data-testid='stAlert']").filter(has_text="Versie 1 opgeslagen").wait_for(timeout=30_000)
    assert_no_errors(page)

    options = _matching_indicators(page, upload_app)
    own = [o for o in options if OWN_INDICATOR in o]
    assert own, options
    page.get_by_role("option", name=own[0]).click()
    wait_for_app(page)
    page.wait_for_function(
        "() => { const gd = document.querySelector('.js-plotly-plot');"
        " return gd && gd._fullData && gd._fullData.some(t => t.type === 'choroplethmap'"
        " && Array.from(t.z || []).includes(61.5)); }",
        timeout=60_000,
    )
    page.screenshot(path=str(screenshot_dir / "upload_op_kaart.png"), full_page=True)
    assert_no_errors(page)

    _open_upload_page(page, upload_app)
    page.get_by_role("button", name="Terugdraaien").click()
    wait_for_app(page)
    page.locator("[data-testid='stAlert']").filter(has_text="teruggedraaid").wait_for(timeout=30_000)
    assert not [o for o in _matching_indicators(page, upload_app) if OWN_INDICATOR in o]
    assert_no_errors(page)
