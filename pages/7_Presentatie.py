"""Presentatie: a short deck for a REA meeting, one chart per screen, with PPTX/PDF/PNG/SVG/CSV/XLSX exports."""

import streamlit as st

from gka_dash import deck, ui, ui_presentation

ui.ensure_app_navigation()
gemeente_code = st.session_state["gemeente"]

fullscreen = ui_presentation.fullscreen_toggle()
if not fullscreen:
    st.title("Presentatie")
    st.caption("Kies gemeenten en dia's, presenteer op volledig scherm en deel het deck als PPTX of PDF.")

with ui.guard("De presentatie samenstellen"):
    with st.expander("Deck samenstellen", expanded=not fullscreen):
        codes, kinds = ui_presentation.deck_controls(gemeente_code)
    if not codes or not kinds:
        st.info("Kies ten minste één gemeente en één dia.")
        st.stop()
    for notice in deck.agenda_notices(codes, ui.agenda_data()):
        st.info(notice)
    slides = ui_presentation.slides_for(codes, kinds)
    if not slides:
        st.info("Geen dia's met gegevens voor deze keuze.")
        st.stop()
    index = ui_presentation.current_index(len(slides))
    ui_presentation.navigation(index, len(slides))
    ui_presentation.show_slide(slides[index], index)
    if not fullscreen:
        ui_presentation.downloads(codes, kinds, slides[index], index)
