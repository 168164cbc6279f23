"""gka_dash.export: real images through kaleido + Chromium, PPTX/PDF read back, safe CSV/XLSX.

The image tests render Meppel's standard deck once per module (one browser start, ~15 s) and
skip when kaleido or a local Chromium is missing (CI has both). The document-structure tests
also run without a browser, on small PNGs made with Pillow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pptx import Presentation

from gka_dash import agenda, charts, deck, export, facts

MEPPEL = "GM0119"
DAY = dt.date(2026, 11, 23)
DAY_TEXT = "23 november 2026"
needs_images = pytest.mark.skipif(not export.image_export_available(), reason="no kaleido or no local Chromium")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


@pytest.fixture(scope="module")
def agenda_data():
    return agenda.load_agenda()


@pytest.fixture(scope="module")
def meppel_slides(agenda_data):
    return deck.standard_deck(MEPPEL, facts.load_feiten(), agenda_data=agenda_data)


@pytest.fixture(scope="module")
def rendered(meppel_slides):
    """PNG per slide, rendered once (the slow part)."""
    return export.render_slides(meppel_slides)


def _fake_png(width=640, height=310, colour=(0, 114, 178)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def _small_slides(n=2) -> list[export.Slide]:
    frame = pd.DataFrame({"code": ["WK011900", "WK011901"], "naam": ["Centrum", "Oosterboer"], "waarde": [12.5, None]})
    slides = []
    for i in range(n):
        fig = charts.ranking_bar(frame, "waarde", title=f"Grafiek {i + 1}", value_label="Aandeel",
                                 source=f"Bron: test {i + 1}")
        slides.append(export.Slide(f"Dia {i + 1} — € en ë", fig, f"Bron: CBS KWB 2024 (test {i + 1})",
                                   f"Centrum: 12,5%\nOosterboer: geheim/onbekend ({i + 1})", frame, f"dia_{i + 1}"))
    return slides


def _pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "deck.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    return text.split("\f")[:-1]


# --------------------------------------------------------------------------- images (real rendering)
@needs_images
def test_pngs_are_real_images_of_the_expected_size(meppel_slides, rendered):
    assert len(rendered) == len(meppel_slides)
    for png in rendered:
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG"
            assert image.size == (export.SLIDE_IMAGE_WIDTH * export.SLIDE_IMAGE_SCALE,
                                  export.SLIDE_IMAGE_HEIGHT * export.SLIDE_IMAGE_SCALE)
            colours = image.convert("RGB").resize((64, 32)).getcolors(maxcolors=4096)
            assert colours is not None and len(colours) > 5, "the image is (nearly) blank"


@needs_images
def test_svg_and_png_of_one_figure():
    frame = pd.DataFrame({"code": ["A", "B"], "naam": ["Wijk Aa", "Wijk Bé"], "waarde": [3.0, 7.5]})
    fig = charts.ranking_bar(frame, "waarde", title="Test", value_label="Waarde", source="Bron: SVG-test 2024")
    svg, png = export.figures_to_images([fig, fig], "svg", 400, 300, 1)[0], export.figure_to_png(fig, 400, 300, 1)
    assert svg.lstrip().startswith(b"<svg") and b"Bron: SVG-test 2024" in svg and "Wijk Bé".encode() in svg
    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (400, 300)


@needs_images
def test_real_deck_as_pptx_reads_back(meppel_slides, rendered):
    data = export.deck_to_pptx(meppel_slides, "Gelijke kansen in Meppel", "REA-overleg", images=rendered, day=DAY)
    deck_file = Presentation(io.BytesIO(data))
    slides = list(deck_file.slides)
    assert len(slides) == 1 + len(meppel_slides)
    assert slides[0].shapes.title.text == "Gelijke kansen in Meppel"
    for page, slide in zip(slides[1:], meppel_slides, strict=True):
        assert page.shapes.title.text == slide.title
        pictures = [s for s in page.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == 1 and pictures[0].image.content_type == "image/png"
        text = "\n".join(s.text_frame.text for s in page.shapes if s.has_text_frame)
        assert slide.source in text and DAY_TEXT in text
        assert page.notes_slide.notes_text_frame.text.endswith(slide.notes)


@needs_images
@needs_pdftotext
def test_real_deck_as_pdf_has_pages_and_text(meppel_slides, rendered, tmp_path, agenda_data):
    title, subtitle = deck.deck_title([MEPPEL]), deck.deck_subtitle([MEPPEL], agenda_data)
    pages = _pdf_pages(export.deck_to_pdf(meppel_slides, title, subtitle, images=rendered, day=DAY), tmp_path)
    assert len(pages) >= 1 + len(meppel_slides)
    assert "Gelijke kansen in Meppel" in pages[0] and "GKA-agenda 2022-2024" in pages[0]
    flat = [" ".join(p.split()) for p in pages]
    for slide in meppel_slides:
        page = next(p for p in flat[1:] if " ".join(slide.title.split()) in p)
        assert " ".join(slide.source.split()) in page and DAY_TEXT in page
    assert any("€ 9,17" in p for p in flat), "funding per child (€ 50.000 / 5.450 kinderen) in the notes"


# --------------------------------------------------------------------------- documents (no browser needed)
def test_pptx_structure_with_given_images():
    slides = _small_slides(3)
    data = export.deck_to_pptx(slides, "Titel", "Ondertitel", images=[_fake_png()] * 3, day=DAY)
    pages = list(Presentation(io.BytesIO(data)).slides)
    assert [p.shapes.title.text for p in pages] == ["Titel", "Dia 1 — € en ë", "Dia 2 — € en ë", "Dia 3 — € en ë"]
    assert "Ondertitel" in pages[0].placeholders[1].text and DAY_TEXT in pages[0].placeholders[1].text
    assert "Oosterboer: geheim/onbekend (2)" in pages[2].notes_slide.notes_text_frame.text
    picture = next(s for s in pages[1].shapes if s.shape_type == 13)
    assert abs(picture.width / picture.height - 640 / 310) < 0.01  # aspect ratio kept


@needs_pdftotext
def test_pdf_structure_with_given_images(tmp_path):
    slides = _small_slides(2)
    pages = _pdf_pages(export.deck_to_pdf(slides, "Rapport", "Ondertitel", images=[_fake_png()] * 2, day=DAY),
                       tmp_path)
    assert len(pages) == 3
    assert "Rapport" in pages[0] and "1. Dia 1 — € en ë" in pages[0]
    for number, page in enumerate(pages[1:], start=1):
        assert f"Dia {number} — € en ë" in page
        assert f"Bron: CBS KWB 2024 (test {number}) · {DAY_TEXT}" in page  # the footer names this page's source
        assert f"Oosterboer: geheim/onbekend ({number})" in page


def test_images_and_slides_must_match():
    with pytest.raises(ValueError, match="2 dia's maar 1 afbeeldingen"):
        export.deck_to_pptx(_small_slides(2), "T", images=[_fake_png()])


def test_missing_font_has_dutch_message(monkeypatch, tmp_path):
    monkeypatch.setattr(export, "FONT_DIR", tmp_path)
    with pytest.raises(export.FontUnavailable, match="fonts-dejavu-core"):
        export.deck_to_pdf(_small_slides(1), "T", images=[_fake_png()])


# --------------------------------------------------------------------------- missing kaleido / Chromium
def test_missing_browser_raises_plain_dutch_message(monkeypatch):
    monkeypatch.setenv("GKA_DASH_CHROMIUM", "/nergens/chromium")
    assert not export.image_export_available()
    with pytest.raises(export.ImageExportUnavailable, match="kaleido en een lokale Chromium") as info:
        export.figure_to_png(go.Figure())
    assert "camera-icoon" in str(info.value) and "/nergens/chromium" in info.value.detail


def test_missing_kaleido_raises_plain_dutch_message(monkeypatch):
    monkeypatch.setitem(sys.modules, "kaleido", None)  # import kaleido -> ImportError
    assert not export.image_export_available()
    with pytest.raises(export.ImageExportUnavailable, match="downloadknop"):
        export.figure_to_svg(go.Figure())


def test_browser_path_prefers_our_setting(monkeypatch):
    monkeypatch.setenv("GKA_DASH_CHROMIUM", "/opt/chrome")
    monkeypatch.setenv("BROWSER_PATH", "/usr/bin/other")
    assert export.browser_path() == "/opt/chrome"
    monkeypatch.delenv("GKA_DASH_CHROMIUM")
    assert export.browser_path() == "/usr/bin/other"


def test_unknown_image_format():
    with pytest.raises(ValueError, match="png of svg"):
        export.figures_to_images([go.Figure()], "bmp")


# --------------------------------------------------------------------------- CSV / XLSX
INJECTED = "=HYPERLINK(\"http://x\",\"klik\")"
TABLE = pd.DataFrame({"naam": ["Centrum", INJECTED, "@SUM(A1)"], "aandeel_pct": [12.5, float("nan"), -3.25]})


def test_csv_is_dutch_excel_and_neutralised():
    data = export.frame_to_csv(TABLE)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["naam", "aandeel_pct"]
    assert rows[1] == ["Centrum", "12,5"]
    assert rows[2] == ["'" + INJECTED, ""]  # NaN stays empty, never 0
    assert rows[3] == ["'@SUM(A1)", "-3,25"]  # a negative number is data, not a formula


def test_xlsx_has_no_formulas_and_keeps_numbers():
    book = openpyxl.load_workbook(io.BytesIO(export.frame_to_xlsx(TABLE)))
    sheet = book["gegevens"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert sheet["A3"].value == "'" + INJECTED
    assert sheet["B2"].value == 12.5 and sheet["B3"].value is None and sheet["B4"].value == -3.25


def test_xlsx_sheet_names_are_valid_and_unique():
    long_name = "Aandeel kinderen 0-15 jaar / wijken van Leiden [kaart]"
    book = openpyxl.load_workbook(io.BytesIO(export.frames_to_xlsx({long_name: TABLE, long_name + " ": TABLE})))
    names = book.sheetnames
    assert len(names) == 2 and len(set(n.lower() for n in names)) == 2
    assert all(len(n) <= 31 and not set("[]:*?/\\") & set(n) for n in names)


def test_dutch_date():
    assert export.dutch_date(dt.date(2026, 3, 1)) == "1 maart 2026"


def test_no_browser_anywhere_means_unavailable(monkeypatch, tmp_path):
    for name in ("GKA_DASH_CHROMIUM", "BROWSER_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(export, "DEBIAN_CHROMIUM", tmp_path / "chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert export.browser_path() is None
    assert not export.image_export_available()
