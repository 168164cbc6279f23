"""Kaart: a wijk/buurt map of a gemeente for a CBS indicator or the agenda's funding per child,
with the agenda's target areas outlined and listed, a selectable area profile and a buurt drill-down."""

import streamlit as st

from gka_dash import (
    agenda, agendaview, charts, compare, doelgebieden, facts, formatting, fundinglayer, labels, mapview, ui,
)

ui.ensure_app_navigation()

MAP_KEY = "kaart"
gemeente_code = st.session_state.get("gemeente") or ui.DEFAULT_GEMEENTE  # robust on a first run
niveau = st.session_state.get("niveau") or ui.NIVEAUS[0]
naam = facts.area(gemeente_code)["naam"]
st.title(f"Kaart — {naam}" if niveau != "gemeente" else f"Kaart — gemeenten van Nederland ({naam} gemarkeerd)")

# A click on the map (previous run) selects that area in the list below, before the list is drawn.
clicked = [p.get("location") for p in (st.session_state.get(MAP_KEY) or {}).get("selection", {}).get("points", [])]
clicked = [c for c in clicked if c]
if clicked and clicked[0] != st.session_state.get("_kaart_click"):
    st.session_state["_kaart_click"] = clicked[0]
    st.session_state["kaart_gebied"] = clicked[0]

with ui.guard("De kaart tekenen"):
    feiten = ui.feiten()
    national = niveau == "gemeente"  # the gemeente level shows every gemeente of the country
    scope = None if national else gemeente_code
    table = ui.wide(scope, niveau)
    data = ui.agenda_data()
    has_agenda = gemeente_code in set(data.agendas["gemeente_code"])

    controls = st.columns([1, 2, 2])
    with controls[0]:
        layer = st.radio(
            "Kaartlaag", ["cbs", "gka", "totaal"], key="kaart_laag", bind="query-params",
            format_func={"cbs": "CBS-indicator", "gka": "GKA-geld per kind", "totaal": "Totaal geld per kind"}.get,
        )
    with controls[1]:
        indicator_id = ui.indicator_selector(table) if layer == "cbs" else fundinglayer.LAYER_INDICATOR[layer]
    wijk_code = None
    with controls[2]:
        if niveau == "buurt":
            wijken = facts.areas(gemeente_code, "wijk")
            wijk_names = dict(zip(wijken["code"], wijken["naam"], strict=True))
            wijk_code = st.selectbox(
                "Inzoomen op wijk", [None, *wijk_names], key="kaart_wijk", bind="query-params",
                format_func=lambda c: "hele gemeente" if c is None else wijk_names[c],
            )

    targets = doelgebieden.for_gemeente(data.doelgebieden, data.interventies, gemeente_code)
    level_targets = doelgebieden.at_level(targets, facts.areas(gemeente_code, niveau), niveau)
    outline = doelgebieden.outline_codes(level_targets)
    if national:  # outline the gemeenten that have an agenda
        outline = list(dict.fromkeys(data.agendas["gemeente_code"]))

    area_frame = table.frame if wijk_code is None else table.frame[table.frame["code"].str[2:].str.startswith(wijk_code[2:])]
    area_names = dict(zip(area_frame["code"], area_frame["naam"], strict=True))
    if wijk_code is not None:  # drill-down: outline only the target buurten inside this wijk
        outline = [code for code in outline if code in area_names]
    if st.session_state.get("kaart_gebied") not in (None, *area_names):
        st.session_state["kaart_gebied"] = None  # a selection from another gemeente or level
    map_feiten, label, formatter, layer_frame = feiten, None, None, None
    if layer != "cbs":
        label = fundinglayer.LAYERS[layer][1]
        formatter = formatting.euro
        if national:
            overview = agendaview.overview(data, agenda.children_by_area(agenda.codes_needed(data), feiten=feiten))
            layer_frame = fundinglayer.per_gemeente(overview, layer)
            map_feiten = facts.merge_feiten(feiten, fundinglayer.as_facts(layer_frame, layer, "GKA-agenda's en CBS KWB kinderen"))
        elif has_agenda:
            rows = fundinglayer.latest_agenda(ui.funding_per_child(gemeente_code))
            layer_frame = fundinglayer.per_area(rows, table.frame, layer)
            bron = f"GKA-agenda {rows['agenda_id'].iloc[0] if len(rows) else ''} en CBS KWB kinderen"
            map_feiten = facts.merge_feiten(feiten, fundinglayer.as_facts(layer_frame, layer, bron))
        else:
            st.info(f"{naam} heeft (nog) geen GKA-agenda in het dashboard: geen geld per kind. "
                    "Kies de kaartlaag ‘CBS-indicator’ voor de wijken en buurten.")

    selected = st.session_state.get("kaart_gebied") or (gemeente_code if national else None)
    result = mapview.indicator_map(
        map_feiten, scope, niveau, indicator_id,
        geojson_url=ui.static_geojson_url(niveau, scope), units=ui.indicator_units(),
        outline_codes=outline, selected_code=selected, wijk_code=wijk_code, label=label, formatter=formatter,
    )
    values = result.table.frame.reindex(columns=["code", "naam", indicator_id])
    if layer_frame is not None:
        values = values.merge(layer_frame[["code", "interventies", "onbekend", "leeftijdsband", "cbs_jaar"]], on="code",
                              how="left")
    ui.show_figure(
        result.figure, values, result.source, key=MAP_KEY,
        file_stem=f"kaart_{gemeente_code}_{niveau}_{indicator_id}", on_select="rerun", selection_mode="points",
    )
    st.caption("Oranje-rode rand: doelgebied van de agenda (op de kaart van Nederland: gemeente met een agenda); "
               "zwarte rand: het gekozen gebied. Grijs: geen gegevens of geheim (CBS).")
    if layer != "cbs" and layer_frame is not None:
        st.caption(
            "Geld per kind: elke interventie verdeelt haar bedrag (hele agendaperiode) gelijk over de kinderen van "
            "haar doelgebied (leeftijdsband volgens de doelgroep, standaard 0-15); een gebied telt de bedragen per "
            "kind op van alle interventies die het dekken. Interventies met een onbekend bedrag (PM) tellen niet mee "
            "en staan in de kolom ‘onbekend’."
        )
    if not result.without_geometry.empty:
        missing = ", ".join(f"{r.naam} ({r.code})" for r in result.without_geometry.itertuples())
        st.info(f"Geen grenzen in de snapshot voor: {missing}. Hun waarden staan wel in de tabel.")

    with st.expander("Waarden als tabel", expanded=False):
        fmt = formatter or (lambda v: formatting.indicator_value(indicator_id, v))
        shown = values.assign(waarde=values[indicator_id].map(fmt))[["code", "naam", "waarde"]]
        st.dataframe(shown.rename(columns={"waarde": label or labels.indicator_label(indicator_id)}), hide_index=True)

    left, right = st.columns(2)
    with left:
        st.subheader("Doelgebieden uit de agenda")
        if not has_agenda:
            st.markdown(f"{naam} heeft (nog) geen GKA-agenda in het dashboard.")
        elif national:
            st.markdown("Op de kaart van Nederland zijn de gemeenten met een GKA-agenda omlijnd. Kies het niveau "
                        "wijken of buurten om de doelgebieden van een agenda te zien.")
        elif level_targets.empty:
            onbepaald = targets["gebied_onbepaald"].fillna(False).astype(bool)
            quote = targets.loc[onbepaald, "bron_citaat"].dropna()
            st.markdown(
                f"De agenda noemt geen {ui.NIVEAU_LABELS[niveau].lower()}: de interventies gelden voor de hele "
                "gemeente." + (f" Citaat: “{quote.iloc[0]}”" if len(quote) else "")
                + " De pagina Kansenindex stelt kandidaat-gebieden voor."
            )
        else:
            shown = level_targets.rename(columns={
                "naam": "gebied", "gebiedsnaam": "genoemd in agenda", "matching": "hoe gevonden"})
            st.dataframe(shown[["gebied", "code", "relatie", "genoemd in agenda", "hoe gevonden", "rol", "interventies"]],
                         hide_index=True)
            ui.csv_download(level_targets, f"doelgebieden_{gemeente_code}_{niveau}", key="kaart_doel_csv")
            st.caption("Bron: GKA-agenda (data/agenda/doelgebieden.csv); ‘afgeleid’ = door ons uit de tekst bepaald, "
                       "‘genoemd’ = letterlijk in de agenda.")
    with right:
        st.subheader("Profiel van een gebied")
        selected = st.selectbox(
            "Gebied (of klik op de kaart)", [None, *area_names], key="kaart_gebied", bind="query-params",
            placeholder="— kies een gebied —",
            format_func=lambda c: "— kies een gebied —" if c is None else area_names.get(c, c),
        )
        if selected and national:
            st.page_link("pages/1_Kaart.py", label=f"Wijken van {area_names[selected]} tonen", icon=":material/map:",
                         query_params={"gemeente": selected, "niveau": ui.NIVEAU_LABELS["wijk"]})
            profile = compare.gemeente_vs_nl(feiten, selected)
            st.dataframe(profile.assign(**{
                col: profile.apply(lambda r, c=code: formatting.indicator_value(r["indicator"], r[c]), axis=1)
                for col, code in ((area_names[selected], selected), ("Nederland", facts.NL_CODE))
            })[["label", area_names[selected], "Nederland", "jaar"]].rename(columns={"label": "indicator"}),
                hide_index=True)
        elif selected:
            profile = compare.profile(feiten, [selected, gemeente_code, facts.NL_CODE])
            profile = profile[profile[selected].notna()].reset_index(drop=True)
            shares = profile[profile["eenheid"] != "aantal"].assign(
                idx_gebied=lambda f: compare.relative_to(f, selected),
                idx_gemeente=lambda f: compare.relative_to(f, gemeente_code),
            ).dropna(subset=["idx_gebied"])
            text = {code: shares.apply(lambda r, c=code: formatting.indicator_value(r["indicator"], r[c]), axis=1)
                    for code in (selected, gemeente_code)}
            source = "Bron: " + "; ".join(sorted({b for b in shares["bron"] if b})) + ", peiljaar " + ", ".join(
                map(str, sorted({int(j) for j in shares["jaar"].dropna()})))
            fig = charts.profile_index(
                shares, {"idx_gebied": area_names[selected], "idx_gemeente": naam},
                title=f"{area_names[selected]} en {naam} ten opzichte van Nederland (= 100)", source=source,
                formatted={"idx_gebied": text[selected], "idx_gemeente": text[gemeente_code]},
            )
            ui.show_figure(fig, shares.drop(columns=["thema"]), source, key="kaart_profiel",
                           file_stem=f"profiel_{selected}")
            st.dataframe(profile.assign(**{
                col: profile.apply(lambda r, c=code: formatting.indicator_value(r["indicator"], r[c]), axis=1)
                for col, code in ((area_names[selected], selected), (naam, gemeente_code), ("Nederland", facts.NL_CODE))
            })[["label", area_names[selected], naam, "Nederland", "jaar"]].rename(columns={"label": "indicator"}),
                hide_index=True)
            if niveau == "wijk":
                def _drill_down(wijk=selected):
                    st.session_state["niveau"] = "buurt"
                    st.session_state["kaart_wijk"] = wijk
                    st.session_state["kaart_gebied"] = None

                st.button(f"Buurten van {area_names[selected]} tonen", key="kaart_drill", on_click=_drill_down)

