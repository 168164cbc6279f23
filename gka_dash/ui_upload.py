"""The upload page's building blocks: choose a kind, download its template, upload, see the report,
and manage versions (list, compare, roll back, download the original).

Text from uploads (file names, cell values) is only shown in tables or escaped before it goes into
a message, never rendered as HTML or markdown.
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from gka_dash import export_safety, store, ui, ui_auth, validation

UPLOAD_TYPES = ["csv", "tsv", "txt", "xlsx", "zip"]
KIND_HELP = {
    "indicator": "Eén rij per gebied, jaar en indicator: kolommen " + ", ".join(validation.INDICATOR_COLUMNS)
                 + ". Een eigen indicator (niet in de catalogus) verschijnt na het opslaan meteen als keuze op de kaart.",
    "kwb": "Een CSV zoals CBS StatLine die downloadt (Kerncijfers wijken en buurten; puntkomma, '.' voor geheim). "
           "Vink in StatLine bij 'Regioaanduiding' ook 'Codering' aan. Geef het jaar van de tabel op.",
    "agenda": "Een hele agenda: één Excel-werkmap met een blad per tabel, of één CSV per tabel "
              "(gemeenten.csv, agendas.csv, interventies.csv, begroting.csv, doelgebieden.csv; scholen.csv en "
              "afspraken.csv mogen ontbreken), of het zip-sjabloon. Een geüploade agenda vervangt de agenda met "
              "hetzelfde agenda_id; een nieuwe gemeente kan ook.",
}
_FLASH = "upload_flash"
_OUTCOME = "upload_outcome"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: object) -> str:
    """Escape markdown so uploaded text shows literally inside st.success/st.error messages."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A CSV download (';', decimal comma, UTF-8 BOM) with formula injection neutralised."""
    return export_safety.neutralise_formulas(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


# --------------------------------------------------------------------------- upload
def upload_section(user: str | None) -> None:
    kind = st.selectbox("Soort gegevens", validation.KINDS, format_func=validation.KIND_LABELS.get, key="upload_kind")
    st.caption(KIND_HELP[kind])
    left, right = st.columns(2)
    for column, fmt in zip((left, right), validation.TEMPLATE_FORMATS):
        name, data = validation.template(kind, fmt)
        column.download_button(f"Sjabloon ({fmt.upper()})", data, file_name=name, key=f"template_{kind}_{fmt}",
                               on_click="ignore")
    if user is None:
        return
    limit_mb = max(1, validation.max_upload_bytes() // (1024 * 1024))
    uploaded = st.file_uploader(
        "Bestand (CSV of Excel)" if kind != "agenda" else "Bestand(en): Excel-werkmap, zip of CSV per tabel",
        type=UPLOAD_TYPES, accept_multiple_files=kind == "agenda", key=f"upload_file_{kind}",
        max_upload_size=limit_mb, help=f"Hoogstens {limit_mb} MB.",
    )
    jaar = None
    if kind == "kwb":
        jaar = st.number_input("Jaar van de KWB-tabel", min_value=validation.MIN_JAAR, max_value=validation.max_jaar(),
                               value=None, step=1, key="upload_jaar", placeholder="bijvoorbeeld 2025")
    if st.button("Controleren en opslaan", key="upload_submit", type="primary"):
        files = uploaded if isinstance(uploaded, list) else ([uploaded] if uploaded is not None else [])
        if not files:
            st.warning("Kies eerst een bestand.")
            return
        submit(kind, [(f.name, f.getvalue()) for f in files], None if jaar is None else int(jaar), user)
    show_outcome()


def submit(kind: str, files: list[tuple[str, bytes]], jaar: int | None, user: str) -> None:
    """Validate and, when everything is right, store; the outcome stays on the page (session state)."""
    with st.spinner("Bestand controleren…"):
        result = validation.validate(kind, files, jaar=jaar)
    if not result.ok:
        count = len(result.problems)
        st.session_state[_OUTCOME] = {
            "ok": False,
            "message": f"Het bestand is afgewezen: {count} {'probleem' if count == 1 else 'problemen'}. "
                       "Er is niets opgeslagen. Verbeter het bestand en upload het opnieuw.",
            "table": validation.problems_frame(result.problems), "notes": [],
        }
        return
    version = store.add_version(ui.engine(), kind, files, facts=result.facts, tables=result.tables,
                                uploaded_by=user, jaar=result.jaar)
    st.session_state[_OUTCOME] = {
        "ok": True,
        "message": f"Versie {version.id} opgeslagen: {version.rows} rijen uit {plain(version.filename)}. "
                   "De kaarten en grafieken tonen de nieuwe gegevens meteen.",
        "table": result.facts.head(200) if result.facts is not None else None, "notes": result.notes,
    }


def show_outcome() -> None:
    """The report of the last upload of this session: problems (rejected) or a preview (stored)."""
    outcome = st.session_state.get(_OUTCOME)
    if not outcome:
        return
    if not outcome["ok"]:
        st.error(outcome["message"])
        st.dataframe(outcome["table"], hide_index=True, key="upload_report")
        st.download_button("Foutenrapport (CSV)", csv_bytes(outcome["table"]), file_name="foutenrapport.csv",
                           key="upload_report_csv", on_click="ignore")
        return
    st.success(outcome["message"])
    for note in outcome["notes"]:
        st.text(note)
    if outcome["table"] is not None:
        st.dataframe(outcome["table"], hide_index=True, key="upload_preview")


# --------------------------------------------------------------------------- versions
def versions_section(user: str | None) -> None:
    engine = ui.engine()
    frame = store.versions_frame(engine)
    st.subheader("Versies")
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash)
    if frame.empty:
        st.info("Nog geen uploads: het dashboard toont de ingebouwde gegevens.")
        return
    shown = frame.assign(actief=frame["actief"].map({True: "actief", False: "teruggedraaid"}),
                         sha256=frame["sha256"].str[:12])
    st.dataframe(shown, hide_index=True, key="versions_table")
    ids = frame["versie"].tolist()
    labels = {row.versie: f"{row.versie} — {row.soort}, {row.bestand} ({row.actief})" for row in shown.itertuples()}
    chosen = st.selectbox("Versie", ids, format_func=labels.get, key="version_choice")
    version = store.get_version(engine, chosen)
    name, data = store.original_download(engine, chosen)
    st.download_button("Origineel bestand downloaden", data, file_name=name, key=f"version_original_{chosen}",
                       on_click="ignore")
    if user is not None:
        if version.active:
            if st.button("Terugdraaien", key="version_rollback"):
                store.rollback(engine, chosen, user)
                st.session_state.pop(_OUTCOME, None)
                st.session_state[_FLASH] = f"Versie {chosen} is teruggedraaid; de kaarten tonen weer de vorige gegevens."
                st.rerun()
        elif st.button("Weer activeren", key="version_restore"):
            store.restore(engine, chosen, user)
            st.session_state[_FLASH] = f"Versie {chosen} is weer actief."
            st.rerun()
    if version.kind in store.FACT_KINDS:
        others = [i for i in ids if i != chosen and frame.set_index("versie").at[i, "soort"] in store.FACT_KINDS]
        if others:
            other = st.selectbox("Vergelijk met versie", others, key="version_compare")
            diff = store.compare_versions(engine, other, chosen)
            counts = diff["verschil"].value_counts().to_dict()
            st.caption(", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
            st.dataframe(diff[diff["verschil"] != "gelijk"].head(1000), hide_index=True, key="version_diff")
    with st.expander("Logboek (uploads en terugdraaiingen)"):
        st.dataframe(store.events_frame(engine), hide_index=True, key="version_events")


def render_page() -> None:
    st.title("Gegevens uploaden")
    st.caption("Upload een nieuwe of bijgewerkte agenda, een nieuwere CBS-export of een eigen indicator per wijk. "
               "Een bestand met fouten wordt helemaal geweigerd; elke upload wordt als versie bewaard en kan "
               "worden teruggedraaid.")
    user = ui_auth.login_panel()
    upload_section(user)
    versions_section(user)
