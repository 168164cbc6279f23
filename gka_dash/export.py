"""Pure output functions: plotly figures and slides in, file bytes out (PNG/SVG, PPTX, PDF, CSV/XLSX).

Static images come from kaleido 1.x, which drives a local Chrome/Chromium (DESIGN §6). Kaleido is
imported lazily; when it or the browser is missing, :class:`ImageExportUnavailable` carries a plain
Dutch message and the in-browser plotly download button is the way out. Rendering works offline:
plotly.js comes from the installed plotly package and MathJax (a CDN script) is switched off.

The browser: ``GKA_DASH_CHROMIUM``, else choreographer's ``BROWSER_PATH``, else Debian's
``/usr/bin/chromium`` when it exists, else whatever kaleido/choreographer find themselves.

Every slide, page and table export carries its source line and the export date (DESIGN §5).
"""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
import io
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

IMAGE_UNAVAILABLE_MESSAGE = (
    "Afbeeldingen exporteren vraagt kaleido en een lokale Chromium; "
    "gebruik anders de downloadknop (camera-icoon) in de grafiek."
)
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
RENDER_TIMEOUT_S = 90

# Slide images: 16:9 with room for the title and the source line; rendered at 2x for projectors.
SLIDE_IMAGE_WIDTH = 1280
SLIDE_IMAGE_HEIGHT = 620
SLIDE_IMAGE_SCALE = 2
SLIDE_FONT_SIZE = 18

# Unicode TTF for the PDF (Debian package fonts-dejavu-core); fpdf2's core fonts are Latin-1 only.
FONT_DIR = Path(os.environ.get("GKA_DASH_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))
FONT_REGULAR = "DejaVuSans.ttf"
FONT_BOLD = "DejaVuSans-Bold.ttf"
PDF_NOTE_COLUMNS = 3
PDF_IMAGE_MAX_HEIGHT_MM = 118.0

_MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
            "oktober", "november", "december")


class ImageExportUnavailable(RuntimeError):
    """Static image export cannot run here (no kaleido, or no local Chrome/Chromium)."""

    def __init__(self, detail: str | None = None):
        super().__init__(IMAGE_UNAVAILABLE_MESSAGE)
        self.detail = detail


class FontUnavailable(RuntimeError):
    """The Unicode font the PDF needs is not installed."""


@dataclass
class Slide:
    """One chart or map for a presentation, a slide deck and a PDF page.

    Attributes:
        title: Dutch title shown above the figure.
        figure: the plotly figure, as the dashboard draws it.
        source: "Bron: ..." line (required: every figure carries its source and year).
        notes: the figure's numbers as text (speaker notes, PDF text).
        data: exactly the data drawn, for CSV/XLSX.
        file_stem: base file name for this slide's downloads (no extension).
    """

    title: str
    figure: go.Figure
    source: str
    notes: str
    data: pd.DataFrame = field(default_factory=pd.DataFrame)
    file_stem: str = "grafiek"


# --------------------------------------------------------------------------- dates
def dutch_date(day: dt.date | None = None) -> str:
    """2026-11-23 -> '23 november 2026' (today when not given)."""
    day = day or dt.date.today()
    return f"{day.day} {_MAANDEN[day.month - 1]} {day.year}"


# --------------------------------------------------------------------------- images
def browser_path() -> str | None:
    """The Chrome/Chromium kaleido should use (None: let choreographer search)."""
    for name in ("GKA_DASH_CHROMIUM", "BROWSER_PATH"):
        if value := os.environ.get(name):
            return value
    return str(DEBIAN_CHROMIUM) if DEBIAN_CHROMIUM.exists() else None


def image_export_available() -> bool:
    """Cheap check (no browser start): kaleido importable and a browser path that exists."""
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return False
    path = browser_path()
    if path is not None:
        return Path(path).exists()
    from choreographer.utils import get_browser_path

    return get_browser_path(["chromium", "chromium-browser", "google-chrome", "chrome"]) is not None


def figure_to_png(fig: go.Figure, width: int = SLIDE_IMAGE_WIDTH, height: int = SLIDE_IMAGE_HEIGHT,
                  scale: float = SLIDE_IMAGE_SCALE) -> bytes:
    """PNG bytes of ``width*scale`` x ``height*scale`` pixels.

    Raises:
        ImageExportUnavailable: kaleido or the browser is missing or fails to start.
    """
    return figures_to_images([fig], "png", width, height, scale)[0]


def figure_to_svg(fig: go.Figure, width: int = SLIDE_IMAGE_WIDTH, height: int = SLIDE_IMAGE_HEIGHT,
                  scale: float = 1) -> bytes:
    """SVG bytes (map tiles/WebGL layers are embedded as raster images by plotly.js)."""
    return figures_to_images([fig], "svg", width, height, scale)[0]


def figures_to_images(figs: Sequence[go.Figure], fmt: str = "png", width: int = SLIDE_IMAGE_WIDTH,
                      height: int = SLIDE_IMAGE_HEIGHT, scale: float = SLIDE_IMAGE_SCALE) -> list[bytes]:
    """Render several figures with one browser start (the start costs ~3 s, each image ~1-2 s).

    Raises:
        ImageExportUnavailable: kaleido or the browser is missing or fails to start.
    """
    if fmt not in ("png", "svg", "jpeg", "webp", "pdf"):
        raise ValueError(f"onbekend afbeeldingsformaat '{fmt}': kies png of svg")
    if not figs:
        return []
    try:
        import kaleido
        from kaleido import errors as kaleido_errors
    except ImportError as exc:
        raise ImageExportUnavailable(f"kaleido is niet geïnstalleerd ({exc})") from exc
    kopts: dict = {"mathjax": False, "timeout": RENDER_TIMEOUT_S}
    path = browser_path()
    if path is not None:
        if not Path(path).exists():
            raise ImageExportUnavailable(f"geen browser op {path}")
        kopts["path"] = path
    opts = {"format": fmt, "width": int(width), "height": int(height), "scale": scale}

    async def _render() -> list[bytes]:
        async with kaleido.Kaleido(**kopts) as renderer:
            return [await renderer.calc_fig(fig, opts=opts) for fig in figs]

    browser_errors = (kaleido_errors.ChromeNotFoundError, kaleido_errors.BrowserFailedError,
                      kaleido_errors.BrowserClosedError)
    try:
        return _run_in_thread(_render)
    except browser_errors as exc:
        raise ImageExportUnavailable(str(exc)) from exc


def _run_in_thread(coroutine_function):
    """Run a coroutine in its own thread and event loop (Streamlit and pytest may run a loop here)."""
    result: dict = {}

    def _target():
        try:
            result["value"] = asyncio.run(coroutine_function())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=_target, name="gka-dash-kaleido")
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def slide_figure(slide: Slide, font_size: int = SLIDE_FONT_SIZE) -> go.Figure:
    """The slide's figure for a slide image: title removed (the slide shows it), larger type."""
    fig = go.Figure(copy.deepcopy(slide.figure))
    fig.update_layout(title=None, font={"size": font_size, "color": "#000000"}, height=None, width=None)
    top = fig.layout.margin.t
    if top is not None and top > 20:
        fig.update_layout(margin={"t": 20})
    return fig


def render_slides(slides: Sequence[Slide], fmt: str = "png", width: int = SLIDE_IMAGE_WIDTH,
                  height: int = SLIDE_IMAGE_HEIGHT, scale: float = SLIDE_IMAGE_SCALE) -> list[bytes]:
    """One image per slide, in one browser session."""
    return figures_to_images([slide_figure(s) for s in slides], fmt, width, height, scale)


# --------------------------------------------------------------------------- PPTX
def deck_to_pptx(slides: Sequence[Slide], title: str, subtitle: str = "", *,
                 images: Sequence[bytes] | None = None, day: dt.date | None = None) -> bytes:
    """A 16:9 deck: a title slide, then one slide per chart with its source line and date.

    The figure's numbers go in the speaker notes. ``images`` (PNG, one per slide) are rendered
    when not given.
    """
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    images = list(images) if images is not None else render_slides(slides)
    _check_images(slides, images)
    datum = dutch_date(day)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    black = RGBColor(0, 0, 0)

    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = title
    first.placeholders[1].text = f"{subtitle}\n{datum}" if subtitle else datum
    first.notes_slide.notes_text_frame.text = "\n".join(f"{i}. {s.title}" for i, s in enumerate(slides, 1))

    margin = Inches(0.4)
    width = deck.slide_width - 2 * margin
    for slide, png in zip(slides, images, strict=True):
        page = deck.slides.add_slide(deck.slide_layouts[5])  # "Title Only": a real title placeholder
        heading = page.shapes.title
        heading.left, heading.top, heading.width, heading.height = margin, Inches(0.2), width, Inches(0.9)
        heading.text = slide.title
        for paragraph in heading.text_frame.paragraphs:
            paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(30), True, black
        image_top, image_bottom = Inches(1.15), deck.slide_height - Inches(0.75)
        picture = page.shapes.add_picture(io.BytesIO(png), margin, image_top)
        _fit(picture, width, image_bottom - image_top, margin, image_top)
        footer = page.shapes.add_textbox(margin, deck.slide_height - Inches(0.65), width, Inches(0.5))
        footer.text_frame.word_wrap = True
        footer.text_frame.text = f"{slide.source} · {datum}"
        for paragraph in footer.text_frame.paragraphs:
            paragraph.font.size, paragraph.font.color.rgb = Pt(14), black
        page.notes_slide.notes_text_frame.text = f"{slide.title}\n{slide.source}\n\n{slide.notes}"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _fit(picture, max_width: int, max_height: int, left: int, top: int) -> None:
    """Scale a picture to fit the box, keeping its aspect ratio, centred horizontally."""
    ratio = min(max_width / picture.width, max_height / picture.height)
    picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
    picture.left, picture.top = int(left + (max_width - picture.width) / 2), int(top)


def _check_images(slides: Sequence[Slide], images: Sequence[bytes]) -> None:
    if len(images) != len(slides):
        raise ValueError(f"{len(slides)} dia's maar {len(images)} afbeeldingen")


# --------------------------------------------------------------------------- PDF
def deck_to_pdf(slides: Sequence[Slide], title: str, subtitle: str = "", *,
                images: Sequence[bytes] | None = None, day: dt.date | None = None) -> bytes:
    """An A4-landscape report: a title page with the contents, then a page per chart.

    Each chart page has the title, the image, the figure's numbers and a footer with the source
    line, the date and the page number.

    Raises:
        FontUnavailable: the DejaVu fonts (Debian package fonts-dejavu-core) are missing.
        ImageExportUnavailable: when ``images`` is not given and rendering is impossible.
    """
    images = list(images) if images is not None else render_slides(slides)
    _check_images(slides, images)
    pdf = _ReportPdf(dutch_date(day))
    pdf.set_title(title)
    pdf.set_creator("gka-dash")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 26)
    pdf.ln(30)
    _para(pdf, 12, title)
    if subtitle:
        pdf.set_font("DejaVu", "", 16)
        pdf.ln(4)
        _para(pdf, 8, subtitle)
    pdf.set_font("DejaVu", "", 12)
    pdf.ln(8)
    _para(pdf, 7, f"Gemaakt op {pdf.datum}. Inhoud:")
    for number, slide in enumerate(slides, start=1):
        _para(pdf, 6, f"{number}. {slide.title}")
    for slide, png in zip(slides, images, strict=True):
        pdf.add_page()
        pdf.source = slide.source  # the footer of a page is drawn when the next one starts
        pdf.set_font("DejaVu", "B", 18)
        _para(pdf, 9, slide.title)
        pdf.ln(2)
        _pdf_image(pdf, png)
        if slide.notes:
            pdf.ln(2)
            pdf.set_font("DejaVu", "", 8)
            with pdf.text_columns(ncols=PDF_NOTE_COLUMNS, gutter=6, line_height=1.15, balance=True) as columns:
                columns.write(slide.notes)
    return bytes(pdf.output())


def _para(pdf, height: float, text: str) -> None:
    """A wrapped paragraph at the left margin; the cursor goes to the next line."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _pdf_image(pdf, png: bytes) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        ratio = image.height / image.width
    width = pdf.epw
    max_height = PDF_IMAGE_MAX_HEIGHT_MM
    if width * ratio > max_height:
        width = max_height / ratio
    x = pdf.l_margin + (pdf.epw - width) / 2
    pdf.image(io.BytesIO(png), x=x, w=width)


def _font_files() -> tuple[Path, Path]:
    regular, bold = FONT_DIR / FONT_REGULAR, FONT_DIR / FONT_BOLD
    for path in (regular, bold):
        if not path.exists():
            raise FontUnavailable(
                f"PDF maken vraagt het lettertype {path}; installeer het Debian-pakket fonts-dejavu-core "
                "of zet GKA_DASH_FONT_DIR op een map met DejaVuSans.ttf en DejaVuSans-Bold.ttf."
            )
    return regular, bold


def _report_pdf_class():
    from fpdf import FPDF

    class ReportPdf(FPDF):
        def __init__(self, datum: str):
            super().__init__(orientation="L", unit="mm", format="A4")
            regular, bold = _font_files()
            self.add_font("DejaVu", "", str(regular))
            self.add_font("DejaVu", "B", str(bold))
            self.datum = datum
            self.source = ""
            self.set_auto_page_break(auto=True, margin=18)
            self.set_margins(15, 12, 15)

        def footer(self):
            self.set_y(-16)
            top = self.get_y()
            self.set_font("DejaVu", "", 8)
            self.set_text_color(40, 40, 40)
            self.set_x(self.l_margin + self.epw - 15)
            self.cell(15, 4, f"{self.page_no()}", align="R")
            self.set_xy(self.l_margin, top)
            line = f"{self.source} · {self.datum}" if self.source else self.datum
            self.multi_cell(self.epw - 20, 3.8, line)  # a long source line wraps, never runs off the page
            self.set_text_color(0, 0, 0)

    return ReportPdf


def _ReportPdf(datum: str):  # noqa: N802 - a factory that reads like the class it builds
    return _report_pdf_class()(datum)


# --------------------------------------------------------------------------- tables
def _safe(df: pd.DataFrame) -> pd.DataFrame:
    from gka_dash import export_safety

    return export_safety.neutralise_formulas(df)


def frame_to_csv(df: pd.DataFrame) -> bytes:
    """CSV for Dutch Excel: ';' separated, decimal comma, UTF-8 with BOM; formulas neutralised."""
    return _safe(df).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


def frame_to_xlsx(df: pd.DataFrame, sheet_name: str = "gegevens") -> bytes:
    """One-sheet XLSX; formulas neutralised, so no cell is ever stored as a formula."""
    return frames_to_xlsx({sheet_name: df})


def frames_to_xlsx(frames: dict[str, pd.DataFrame]) -> bytes:
    """XLSX with one sheet per frame (sheet names cut to Excel's 31 characters, made unique)."""
    out = io.BytesIO()
    used: set[str] = set()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in frames.items():
            sheet = _sheet_name(name, used)
            _safe(frame).to_excel(writer, sheet_name=sheet, index=False)
            _plain_strings(writer.sheets[sheet])
    return out.getvalue()


def _plain_strings(worksheet) -> None:
    """openpyxl stores any text starting with '=' as a formula; force every text cell to text."""
    for row in worksheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def _sheet_name(name: str, used: set[str]) -> str:
    base = (str(name).translate(_BAD_SHEET_CHARS).strip() or "blad")[:31]
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate
