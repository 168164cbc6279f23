"""Kaart: a wijk/buurt map of a gemeente for one indicator, with its values as a table."""

import streamlit as st

from gka_dash import facts, formatting, labels, mapview, ui

gemeente_code = st.session_state["gemeente"]
niveau = st.session_state["niveau"]
naam = facts.area(gemeente_code)["naam"]
st.title(f"Kaart — {naam}")

with ui.guard("De kaart tekenen"):
    feiten = ui.feiten()
    table = facts.wide(feiten, gemeente_code, niveau)
    indicator_id = ui.indicator_selector(table)
    result = mapview.indicator_map(
        feiten, gemeente_code, niveau, indicator_id,
        geojson_url=ui.static_geojson_url(niveau, gemeente_code), units=ui.indicator_units(),
    )
    values = result.table.frame[["code", "naam", indicator_id]]
    ui.show_figure(result.figure, values, result.source, key="kaart", file_stem=f"kaart_{gemeente_code}_{niveau}_{indicator_id}")
    if not result.without_geometry.empty:
        missing = ", ".join(f"{r.naam} ({r.code})" for r in result.without_geometry.itertuples())
        st.info(f"Geen grenzen in de snapshot voor: {missing}. Hun waarden staan wel in de tabel.")
    st.subheader("Waarden")
    shown = values.assign(
        waarde=values[indicator_id].map(lambda v: formatting.indicator_value(indicator_id, v))
    )[["code", "naam", "waarde"]]
    st.dataframe(shown.rename(columns={"waarde": labels.indicator_label(indicator_id)}), hide_index=True)
