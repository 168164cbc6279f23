"""Streamlit helpers for the Presentatie page: compose a deck, show it one slide per screen, export it.

The slides come from :func:`gka_dash.deck.build_deck` (the dashboard's own map and chart builders);
the files from :mod:`gka_dash.export`. The slide number lives in the URL (``?dia=3``) so a
presenter can share or reload the exact slide. Left/Right arrow keys trigger Vorige/Volgende.
"""

from __future__ import annotations

import streamlit as st

from gka_dash import deck, export, ui

SLIDE_PARAM = "dia"
SLIDE_KEY = "presentatie_dia"
FULLSCREEN_KEY = "presentatie_scherm"
PREVIOUS_SHORTCUT = "Left"
NEXT_SHORTCUT = "Right"
SLIDE_HEIGHT_PX = 560  # title + figure + source line fit a 1400x900 screen

# Large type and high contrast for a projector; in full-screen mode the sidebar and header go.
_BASE_CSS = """
<style>
.gka-slide-title {font-size: 2.6rem; font-weight: 700; color: #000; line-height: 1.15; margin: 0 0 .4rem 0;}
.gka-slide-meta {font-size: 1.15rem; color: #000; margin-top: .3rem;}
.gka-slide-counter {font-size: 1.2rem; font-weight: 600; color: #000;}
div[data-testid="stButton"] button p {font-size: 1.2rem; font-weight: 600;}
</style>
"""
_FULLSCREEN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
[data-testid="stMainBlockContainer"], .block-container {padding-top: 1rem; max-width: 100%;}
[data-testid="stApp"] {background: #ffffff;}
.gka-slide-title {font-size: 3.2rem;}
</style>
"""


# --------------------------------------------------------------------------- cached work
@st.cache_data(show_spinner="Dia's samenstellen…", max_entries=8)
def _slides(revision: str, codes: tuple[str, ...], kinds: tuple[str, ...]) -> list[export.Slide]:
    del revision  # part of the cache key: an upload rebuilds the deck
    return deck.build_deck(codes, ui.feiten(), kinds=kinds, agenda_data=ui.agenda_data())


def slides_for(codes: list[str], kinds: list[str]) -> list[export.Slide]:
    """The deck for these gemeenten and slide kinds, cached per store revision."""
    return _slides(ui.store_revision(), tuple(codes), tuple(kinds))


@st.cache_data(show_spinner="Afbeeldingen maken (enkele seconden per dia)…", max_entries=8)
def _images(revision: str, codes: tuple[str, ...], kinds: tuple[str, ...], fmt: str) -> list[bytes]:
    return export.render_slides(_slides(revision, codes, kinds), fmt)


@st.cache_data(show_spinner=False, max_entries=8)
def _document(revision: str, codes: tuple[str, ...], kinds: tuple[str, ...], kind: str) -> bytes:
    slides = _slides(revision, codes, kinds)
    images = _images(revision, codes, kinds, "png")
    title, subtitle = deck.deck_title(codes), deck.deck_subtitle(codes, ui.agenda_data())
    build = export.deck_to_pptx if kind == "pptx" else export.deck_to_pdf
    return build(slides, title, subtitle, images=images)


# --------------------------------------------------------------------------- widgets
def deck_controls(default_code: str) -> tuple[list[str], list[str]]:
    """Gemeenten and slide kinds for the deck (both bound to the URL)."""
    names = dict(zip(ui.gemeenten()["code"], ui.gemeenten()["naam"], strict=True))
    left, right = st.columns([1, 2])
    with left:
        codes = st.multiselect(
            "Gemeenten", list(names), default=[default_code], key="presentatie_gemeenten",
            format_func=lambda c: f"{names[c]} ({c})", bind="query-params",
        )
    with right:
        kinds = st.multiselect(
            "Dia's", list(deck.SLIDE_KINDS), default=list(deck.SLIDE_KINDS), key="presentatie_dias",
            format_func=lambda k: deck.SLIDE_KINDS[k].label, bind="query-params",
        )
    return codes, kinds


def fullscreen_toggle() -> bool:
    on = st.toggle("Volledig scherm (zonder zijbalk)", key=FULLSCREEN_KEY, bind="query-params")
    st.markdown(_BASE_CSS + (_FULLSCREEN_CSS if on else ""), unsafe_allow_html=True)
    return on


def current_index(count: int) -> int:
    """The 0-based slide index: session state, else ``?dia=`` (1-based), clamped to the deck."""
    if SLIDE_KEY not in st.session_state:
        try:
            st.session_state[SLIDE_KEY] = int(st.query_params.get(SLIDE_PARAM, "1")) - 1
        except ValueError:
            st.session_state[SLIDE_KEY] = 0
    index = min(max(int(st.session_state[SLIDE_KEY]), 0), max(count - 1, 0))
    st.session_state[SLIDE_KEY] = index
    st.query_params[SLIDE_PARAM] = str(index + 1)
    return index


def _step(delta: int, count: int) -> None:
    index = min(max(int(st.session_state.get(SLIDE_KEY, 0)) + delta, 0), max(count - 1, 0))
    st.session_state[SLIDE_KEY] = index
    st.query_params[SLIDE_PARAM] = str(index + 1)


def navigation(index: int, count: int) -> None:
    """Vorige / n van N / Volgende, with the arrow keys as shortcuts."""
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    with left:
        st.button("Vorige", icon=":material/arrow_back:", key="presentatie_vorige", shortcut=PREVIOUS_SHORTCUT,
                  disabled=index <= 0, on_click=_step, args=(-1, count), width="stretch")
    with middle:
        st.markdown(f"<div class='gka-slide-counter' style='text-align:center'>Dia {index + 1} van {count}"
                    " · pijltjestoetsen ← → bladeren</div>", unsafe_allow_html=True)
    with right:
        st.button("Volgende", icon=":material/arrow_forward:", key="presentatie_volgende", shortcut=NEXT_SHORTCUT,
                  disabled=index >= count - 1, on_click=_step, args=(1, count), width="stretch")


def show_slide(slide: export.Slide, index: int) -> None:
    """Title, the figure (large type, no duplicate title), the source line and today's date."""
    st.markdown(f"<div class='gka-slide-title'>{_escape(slide.title)}</div>", unsafe_allow_html=True)
    figure = export.slide_figure(slide)
    figure.update_layout(height=SLIDE_HEIGHT_PX)
    st.plotly_chart(figure, key=f"presentatie_figuur_{index}", config={
        "displaylogo": False, "toImageButtonOptions": {"filename": slide.file_stem, "scale": 2}})
    st.markdown(f"<div class='gka-slide-meta'>{_escape(slide.source)} · {export.dutch_date()}</div>",
                unsafe_allow_html=True)
    with st.expander("De cijfers van deze dia"):
        st.text(slide.notes)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def downloads(codes: list[str], kinds: list[str], slide: export.Slide, index: int) -> None:
    """CSV/XLSX always; PNG/SVG/PPTX/PDF once the images are made (they need kaleido + Chromium)."""
    revision = ui.store_revision()
    key = (revision, tuple(codes), tuple(kinds))
    stem = "_".join(codes) + "_presentatie"
    st.markdown("**Downloads**")
    cols = st.columns(3)
    cols[0].download_button("Data van deze dia (CSV)", export.frame_to_csv(slide.data), f"{slide.file_stem}.csv",
                            "text/csv", key="presentatie_csv")
    sheets = {f"{i + 1} {s.file_stem}": s.data for i, s in enumerate(_slides(*key))}
    cols[1].download_button(
        "Data van alle dia's (XLSX)", export.frames_to_xlsx(sheets), f"{stem}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="presentatie_xlsx")
    if not export.image_export_available():
        st.info(export.IMAGE_UNAVAILABLE_MESSAGE)
        return
    made_key = f"presentatie_gemaakt_{hash(key)}"
    if not st.session_state.get(made_key):
        if cols[2].button("Maak PPTX, PDF en afbeeldingen", key="presentatie_maak", icon=":material/slideshow:"):
            st.session_state[made_key] = True
        else:
            st.caption("Het maken kost een paar seconden per dia (een lokale Chromium tekent de figuren).")
            return
    try:
        pptx = _document(*key, "pptx")
        pdf = _document(*key, "pdf")
        png = _images(*key, "png")[index]
        svg = _images(*key, "svg")[index]
    except export.ImageExportUnavailable as exc:
        ui.LOG.warning("image export unavailable: %s", exc.detail)
        st.info(str(exc))
        return
    except export.FontUnavailable as exc:
        st.info(str(exc))
        return
    row = st.columns(4)
    row[0].download_button("Presentatie (PPTX)", pptx, f"{stem}.pptx",
                           "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                           key="presentatie_pptx", icon=":material/download:")
    row[1].download_button("Rapport (PDF)", pdf, f"{stem}.pdf", "application/pdf", key="presentatie_pdf",
                           icon=":material/download:")
    row[2].download_button("Deze dia (PNG)", png, f"{slide.file_stem}.png", "image/png", key="presentatie_png")
    row[3].download_button("Deze dia (SVG)", svg, f"{slide.file_stem}.svg", "image/svg+xml", key="presentatie_svg")
