"""Interventies: a searchable table and a timeline of the agendas' interventions, each with its source quote."""

import streamlit as st

from gka_dash import agendaview, charts, ui

ui.ensure_app_navigation()

st.title("Interventies uit de GKA-agenda's")

with ui.guard("De interventies tonen"):
    data = ui.agenda_data()
    frame = agendaview.interventions(data)
    gemeente_code = st.session_state.get("gemeente") or ui.DEFAULT_GEMEENTE  # robust on a first run
    names = dict(zip(frame["gemeente_code"], frame["gemeente_naam"], strict=False))
    if gemeente_code not in names:
        st.info(f"{ui.gemeenten().set_index('code').at[gemeente_code, 'naam']} heeft (nog) geen GKA-agenda in het "
                "dashboard; hieronder de interventies van alle agenda's.")
    default = [gemeente_code] if gemeente_code in names else []

    cols = st.columns([2, 2, 2, 1])
    query = cols[0].text_input("Zoeken (naam, doel, doelgroep, partners, citaat)", key="iv_zoek",
                               bind="query-params")
    themes = cols[1].multiselect("Thema", agendaview.themes(frame), key="iv_thema", bind="query-params",
                            placeholder="alle thema's")
    gemeenten = cols[2].multiselect("Gemeente", sorted(names), default=default, key="iv_gemeenten",
                                    bind="query-params", format_func=lambda c: names.get(c, c),
                                    placeholder="alle gemeenten")
    soorten = cols[3].multiselect("Soort", sorted(frame["soort"].unique()), key="iv_soort", bind="query-params",
                            placeholder="alle")
    found = agendaview.search(frame, query, themes, gemeenten, soorten)
    source = "Bron: GKA-agenda's (data/agenda/interventies.csv), planning zoals de agenda die noemt"
    st.markdown(f"**{len(found)}** van {len(frame)} interventies.")

    if found.empty:
        st.info("Geen interventies gevonden met deze zoekterm en filters.")
    else:
        timeline = found.assign(label=found["gemeente_naam"] + ": " + found["naam"].str.slice(0, 50))
        fig = charts.timeline(timeline, start="planning_start", end="planning_eind", label="label", group="thema",
                              title="Planning per interventie (kleur = thema)", source=source, hover="doelgroep")
        ui.show_figure(fig, found[["gemeente_naam", "naam", "thema", "planning_start", "planning_eind", "planning"]],
                       source, key="iv_timeline", file_stem="interventies_planning")
        without = found["planning_start"].isna().sum()
        if without:
            st.caption(f"{without} interventie(s) zonder startjaar in de agenda staan niet op de tijdlijn, wel in de tabel.")
        columns = {
            "gemeente_naam": "gemeente", "periode": "agenda", "soort": "soort", "naam": "interventie", "thema": "thema",
            "betrokken_partijen": "partners", "doelgroep": "doelgroep", "planning": "planning", "doel": "doel",
            "bron_citaat": "citaat uit de agenda",
        }
        st.dataframe(found[list(columns)].rename(columns=columns), hide_index=True)
        st.caption(source)
        ui.csv_download(found, "interventies", key="iv_table_csv")
