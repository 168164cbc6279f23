"""gka-dash: entry point. Page config, navigation and the shared sidebar (gemeente, niveau)."""

from pathlib import Path

import streamlit as st

from gka_dash import ui

st.set_page_config(page_title="Dashboard gelijke kansen", page_icon=":material/bar_chart:", layout="wide")

PAGES_DIR = Path(__file__).parent / "pages"
PAGES = [
    ("0_Overzicht.py", "Overzicht", ":material/dashboard:"),
    ("1_Kaart.py", "Kaart", ":material/map:"),
    ("2_Kansenindex.py", "Kansenindex", ":material/leaderboard:"),
    ("3_Financiering.py", "Financiering per kind", ":material/euro:"),
    ("4_Interventies.py", "Interventies", ":material/list_alt:"),
    ("5_Vergelijken.py", "Vergelijken", ":material/compare_arrows:"),
    ("7_Presentatie.py", "Presentatie", ":material/slideshow:"),
    ("6_Uploaden.py", "Gegevens uploaden", ":material/upload_file:"),
]

pages = [
    st.Page(PAGES_DIR / file_name, title=title, icon=icon, default=file_name == "1_Kaart.py")
    for i, (file_name, title, icon) in enumerate(PAGES)
    if (PAGES_DIR / file_name).exists()
]
navigation = st.navigation(pages)

with st.sidebar:
    st.markdown("### Dashboard gelijke kansen")
    ui.gemeente_selector()
    ui.niveau_selector()
    st.caption("Bron: CBS Kerncijfers wijken en buurten (CC BY 4.0) en de GKA-agenda's.")

navigation.run()
