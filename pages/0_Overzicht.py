"""Overzicht: all GKA agendas at a glance — period, interventions, money by year/theme/financier, children, € per child."""

import streamlit as st

from gka_dash import agenda, agendaview, charts, formatting, funding, ui

ui.ensure_app_navigation()

st.title("Overzicht van de GKA-agenda's")

with ui.guard("Het overzicht maken"):
    data = ui.agenda_data()
    kinderen = agenda.children_by_area(agenda.codes_needed(data), feiten=ui.feiten())
    table = agendaview.overview(data, kinderen)
    cbs_jaar = ", ".join(str(int(j)) for j in sorted(table["cbs_jaar"].dropna().unique()))
    source = (f"Bron: GKA-agenda's (data/agenda, {len(table)} agenda's); kinderen 0-15: CBS KWB {cbs_jaar}; "
              f"OAB-referentie € {funding.OAB_EUR_PER_JAAR / 1e6:.0f} mln per jaar")
    gemeente_code = st.session_state.get("gemeente") or ui.DEFAULT_GEMEENTE  # robust on a first run
    if gemeente_code not in set(table["gemeente_code"]):
        st.info(f"{ui.gemeenten().set_index('code').at[gemeente_code, 'naam']} heeft (nog) geen GKA-agenda in het "
                "dashboard. Kaarten, kansenindex en vergelijkingen werken wel voor elke gemeente.")

    shown = table.assign(**{
        "GKA": table["gka_eur"].map(agendaview.euro),
        "totaal": table["totaal_eur"].map(agendaview.euro),
        "kinderen 0-15": table["kinderen_0_15"].map(formatting.number),
        "GKA per kind": table["gka_eur_per_kind"].map(agendaview.euro_per_kind),
        "GKA per kind per jaar": table["gka_eur_per_kind_per_jaar"].map(agendaview.euro_per_kind),
        "totaal per kind per jaar": table["totaal_eur_per_kind_per_jaar"].map(agendaview.euro_per_kind),
        "volledig": (table["gka_volledig"] & table["totaal_volledig"]).map({True: "ja", False: "nee: bedragen ontbreken"}),
    })
    st.dataframe(
        shown[["gemeente", "periode", "interventies", "GKA", "totaal", "kinderen 0-15", "GKA per kind",
               "GKA per kind per jaar", "totaal per kind per jaar", "volledig", "twijfels"]],
        hide_index=True,
    )
    st.caption(source + ". ‘twijfels’ = bedragen met een toelichting (typefout, afgeleid, voorlopig); zie Financiering.")
    ui.csv_download(table, "overzicht_agendas", key="ov_table_csv")

    st.markdown("**Open de kaart van een gemeente**")

    cols = st.columns(len(table))
    for col, row in zip(cols, table.itertuples(), strict=True):
        col.page_link("pages/1_Kaart.py", label=f"Kaart {row.gemeente}", icon=":material/map:",
                      query_params={"gemeente": row.gemeente_code})

    per_kind = agendaview.per_kind_long(table)
    fig = charts.grouped_bar(
        per_kind, "gemeente", "eur_per_kind_per_jaar", color="soort",
        title=f"Geld per kind 0-15 per jaar (CBS {cbs_jaar}), met de landelijke OAB-referentie",
        value_label="€ per kind per jaar", source=source, formatter=agendaview.euro_per_kind,
        reference_lines={"OAB per kind per jaar": table["oab_eur_per_kind_per_jaar"].dropna().median()},
    )
    ui.show_figure(fig, per_kind, source, key="ov_per_kind", file_stem="overzicht_per_kind_per_jaar")

    tab_jaar, tab_thema, tab_financier = st.tabs(["Per jaar", "Per thema", "Per financier"], key="ov_tab",
                                                 bind="query-params")
    money_views = [  # tab, rows, bar label, colour, horizontal, title, key
        (tab_jaar, agendaview.money_by_year, ("tijdvak", " "), "soort_geld", True,
         "GKA- en totaalbedrag per gemeente en (school)jaar", "ov_jaar"),
        (tab_thema, agendaview.money_by_theme, ("thema", ": "), "soort_geld", True,
         "GKA- en totaalbedrag per gemeente en thema", "ov_thema"),
        (tab_financier, agendaview.money_by_financier, None, "financier", False,
         "Genoemde bijdragen per financier", "ov_financier"),
    ]
    for tab, rows_of, label_of, colour, horizontal, title, key in money_views:
        if not tab.open:
            continue
        with tab:
            rows = rows_of(data)
            category = "gemeente_naam"
            if label_of is not None:
                rows, category = rows.assign(label=agendaview.chart_label(rows, *label_of)), "label"
            fig = charts.grouped_bar(rows, category, "bedrag_eur", color=colour, horizontal=horizontal, title=title,
                                     value_label="€", source=source, formatter=agendaview.euro)
            ui.show_figure(fig, rows.drop(columns=["label"], errors="ignore"), source, key=key,
                           file_stem=f"overzicht_{key.removeprefix('ov_')}")
            unknown = rows[rows["onbekend"] > 0] if "onbekend" in rows else rows.iloc[0:0]
            if not unknown.empty:
                st.caption("Bijdragen zonder bedrag (PM/onbekend): " + "; ".join(
                    f"{r.gemeente_naam} – {r.financier} ({r.onbekend}×)" for r in unknown.itertuples()))
