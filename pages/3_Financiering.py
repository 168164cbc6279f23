"""Financiering per kind: € per child per intervention, area, gemeente and year; GKA vs total; the OAB reference."""

import streamlit as st

from gka_dash import agenda, agendaview, charts, facts, formatting, funding, fundinglayer, ui

ui.ensure_app_navigation()

gemeente_code = st.session_state.get("gemeente") or ui.DEFAULT_GEMEENTE  # robust on a first run
niveau = st.session_state.get("niveau") or ui.NIVEAUS[0]
naam = facts.area(gemeente_code)["naam"]
st.title(f"Financiering per kind — {naam}")

with ui.guard("De financiering per kind berekenen"):
    data = ui.agenda_data()
    kinderen = agenda.children_by_area(agenda.codes_needed(data), feiten=ui.feiten())
    has_agenda = gemeente_code in set(data.agendas["gemeente_code"])
    st.caption(
        "€ per kind = bedrag ÷ kinderen in het doelgebied, in de CBS-leeftijdsband die de doelgroep dekt (standaard "
        "0-15), in het KWB-jaar dat het dichtst bij het begrotingsjaar ligt. Zonder genoemd gebied: de hele gemeente. "
        f"Landelijke referentie: OAB-geld voor gemeenten, € {funding.OAB_EUR_PER_JAAR / 1e6:.0f} mln per jaar vanaf "
        f"{funding.OAB_VANAF_JAAR}, gedeeld door alle kinderen 0-15 van Nederland."
    )
    if not has_agenda:
        st.info(f"{naam} heeft (nog) geen GKA-agenda in het dashboard: geen bedragen per kind voor deze gemeente. "
                "Hieronder de gemeenten met een agenda, naast de landelijke OAB-referentie.")
    else:
        per_jaar = st.radio(
            "Bedragen", ["periode", "jaar"], key="fin_tijdvak", bind="query-params", horizontal=True,
            format_func={"periode": "hele agendaperiode", "jaar": "per (school)jaar zoals de agenda ze noemt"}.get,
        )
        rows = ui.funding_per_child(gemeente_code, per_tijdvak=per_jaar == "jaar")
        names = dict(zip(facts.load_gebieden()["code"], facts.load_gebieden()["naam"], strict=True))
        long = agendaview.per_intervention_long(rows, names)
        bands = ", ".join(sorted(rows["leeftijdsband"].unique()))
        years = ", ".join(str(int(j)) for j in sorted(rows["cbs_jaar"].dropna().unique()))
        source = f"Bron: GKA-agenda {', '.join(sorted(rows['agenda_id'].unique()))}; kinderen: CBS KWB {years}"
        oab = funding.oab_reference(kinderen, int(rows["cbs_jaar"].max()) if rows["cbs_jaar"].notna().any() else None)
        agenda_row = data.agendas[data.agendas["gemeente_code"] == gemeente_code].iloc[-1]
        jaren = int(agenda_row["jaar_eind"]) - int(agenda_row["jaar_start"]) + 1
        reference = ({"OAB per kind per jaar": oab["eur_per_kind_per_jaar"]} if per_jaar == "jaar"
                     else {f"OAB per kind × {jaren} jaar": oab["eur_per_kind_per_jaar"] * jaren})
        fig = charts.grouped_bar(
            long, "label", "eur_per_kind", color="soort", horizontal=True,
            title=f"€ per kind per interventie — leeftijdsband {bands}, CBS {years}",
            value_label="€ per kind", source=source, formatter=agendaview.euro_per_kind, reference_lines=reference,
        )
        ui.show_figure(fig, long, source, key="fin_interventie", file_stem=f"per_kind_interventies_{gemeente_code}")
        shown = rows.assign(
            doelgebied=long.drop_duplicates(["interventie_id", "tijdvak"])["doelgebied"].to_numpy(),
            GKA=rows["gka_eur"].map(agendaview.euro), totaal=rows["totaal_eur"].map(agendaview.euro),
            kinderen_tekst=rows["kinderen"].map(formatting.number),
            GKA_per_kind=rows["eur_per_kind_gka"].map(agendaview.euro_per_kind),
            totaal_per_kind=rows["eur_per_kind_totaal"].map(agendaview.euro_per_kind),
        )
        st.dataframe(shown[[
            "interventie", "tijdvak", "doelgebied", "matching", "leeftijdsband", "cbs_jaar", "kinderen_tekst", "GKA",
            "totaal", "GKA_per_kind", "totaal_per_kind", "twijfel_aantal",
        ]].rename(columns={"kinderen_tekst": "kinderen", "GKA_per_kind": "GKA per kind",
                           "totaal_per_kind": "totaal per kind", "twijfel_aantal": "twijfels"}), hide_index=True)
        st.caption(source + ". ‘onbekend’: de agenda noemt geen bedrag (PM) of het bedrag ontbreekt.")
        ui.csv_download(rows.assign(doelgebied_codes=rows["doelgebied_codes"].map(" ".join)),
                        f"per_kind_tabel_{gemeente_code}", key="fin_table_csv")

        if niveau in ("wijk", "buurt"):
            st.subheader(f"Per {niveau}: geld per kind dat de interventies er samen brengen")
            layer = st.radio("Geld", ["gka", "totaal"], key="fin_laag", bind="query-params", horizontal=True,
                             format_func={"gka": "GKA", "totaal": "Totaal"}.get)
            areas = fundinglayer.per_area(fundinglayer.latest_agenda(ui.funding_per_child(gemeente_code)),
                                          ui.wide(gemeente_code, niveau).frame, layer)
            ranked = areas.sort_values("waarde", ascending=False, na_position="last").reset_index(drop=True)
            area_source = f"{source}; verdeling over gebieden: zie de Kaart (laag geld per kind)"
            fig = charts.ranking_bar(
                ranked.dropna(subset=["waarde"]).head(40), "waarde",
                title=f"{fundinglayer.LAYERS[layer][1]} per {niveau} — CBS {years}",
                value_label="€ per kind", source=area_source, formatter=agendaview.euro_per_kind,
            )
            ui.show_figure(fig, ranked, area_source, key="fin_gebied", file_stem=f"per_kind_{niveau}_{gemeente_code}")

        doubts = agendaview.doubts(data, gemeente_code)
        if not doubts.empty:
            st.subheader("Twijfels bij bedragen")
            st.dataframe(doubts.assign(bedrag_eur=doubts["bedrag_eur"].map(agendaview.euro)), hide_index=True)
            ui.csv_download(doubts, f"twijfels_{gemeente_code}", key="fin_twijfels_csv")

    st.subheader("Alle agenda's naast de OAB-referentie")
    overview = agendaview.overview(data, kinderen)
    per_kind = agendaview.per_kind_long(overview)
    cbs = ", ".join(str(int(j)) for j in sorted(overview["cbs_jaar"].dropna().unique()))
    all_source = f"Bron: GKA-agenda's (data/agenda); kinderen 0-15: CBS KWB {cbs}"
    fig = charts.grouped_bar(
        per_kind, "gemeente", "eur_per_kind_per_jaar", color="soort",
        title=f"€ per kind 0-15 per jaar, hele gemeente — CBS {cbs}", value_label="€ per kind per jaar",
        source=all_source, formatter=agendaview.euro_per_kind,
        reference_lines={"OAB per kind per jaar": overview["oab_eur_per_kind_per_jaar"].dropna().median()},
    )
    ui.show_figure(fig, per_kind, all_source, key="fin_alle", file_stem="per_kind_alle_agendas")
