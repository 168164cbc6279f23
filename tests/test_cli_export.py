"""`python -m gka_dash export`: PPTX/PDF of a gemeente's deck; exit 1 with a Dutch message on bad input."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pptx import Presentation

from gka_dash import export
from gka_dash.__main__ import main

needs_images = pytest.mark.skipif(not export.image_export_available(), reason="no kaleido or no local Chromium")
TWO_SLIDES = ["--dia", "kaart_aandeel_0_15_pct", "--dia", "geld_per_interventie"]


@needs_images
def test_pptx_for_meppel(tmp_path, capsys):
    out = tmp_path / "deck.pptx"
    assert main(["export", "--gemeente", "GM0119", "--format", "pptx", "--out", str(out), *TWO_SLIDES]) == 0
    slides = list(Presentation(io.BytesIO(out.read_bytes())).slides)
    assert [s.shapes.title.text for s in slides] == [
        "Gelijke kansen in Meppel", "Aandeel kinderen 0-15 jaar — wijken van Meppel",
        "Geld per kind per interventie — Meppel (hele agendaperiode)"]
    assert "2 dia's" in capsys.readouterr().out  # the title slide is not counted
    assert all(any(sh.shape_type == 13 for sh in s.shapes) for s in slides[1:])


@needs_images
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")
def test_pdf_for_a_gemeente_without_agenda(tmp_path, capsys):
    out = tmp_path / "hoorn.pdf"  # format from the extension
    assert main(["export", "--gemeente", "gm0405", "--out", str(out), "--dia", "profiel"]) == 0
    assert "Hoorn: geen GKA-agenda in de gegevens" in capsys.readouterr().out
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Gelijke kansen in Hoorn" in text and "geen GKA-agenda in de gegevens" in text
    assert "Hoorn naast Nederland" in text and "Bron: CBS KWB" in text


def test_unknown_gemeente_exits_1_with_dutch_message(tmp_path, capsys):
    out = tmp_path / "x.pptx"
    assert main(["export", "--gemeente", "GM9999", "--format", "pptx", "--out", str(out)]) == 1
    assert "onbekende CBS-code 'GM9999'" in capsys.readouterr().err
    assert not out.exists()


def test_wijk_code_is_not_a_gemeente(tmp_path, capsys):
    assert main(["export", "--gemeente", "WK054600", "--out", str(tmp_path / "x.pdf")]) == 1
    assert "geen gemeentecode" in capsys.readouterr().err


def test_missing_chromium_exits_1_with_dutch_message(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GKA_DASH_CHROMIUM", str(tmp_path / "geen-chromium"))
    out = tmp_path / "x.pdf"
    assert main(["export", "--gemeente", "GM0119", "--format", "pdf", "--out", str(out), "--dia", "profiel"]) == 1
    err = capsys.readouterr().err
    assert "kaleido en een lokale Chromium" in err and "geen-chromium" in err
    assert not out.exists()


def test_format_needed_when_extension_says_nothing(tmp_path, capsys):
    assert main(["export", "--gemeente", "GM0119", "--out", str(tmp_path / "deck.key")]) == 1
    assert "kies --format pptx of pdf" in capsys.readouterr().err
