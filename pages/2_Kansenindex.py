"""Kansenindex: a transparent composite ranking of wijken/buurten (or all gemeenten) with adjustable weights."""

import streamlit as st

from gka_dash import charts, compare, doelgebieden, facts, formatting, indicators, kansenindex, ui

ui.ensure_app_navigation()

gemeente_code = st.session_state.get("gemeente") or ui.DEFAULT_GEMEENTE  # robust on a first run
niveau = st.session_state.get("niveau") or ui.NIVEAUS[0]
naam = facts.area(gemeente_code)["naam"]
national = niveau == "gemeente"
scope = "alle gemeenten van Nederland" if national else f"{ui.NIVEAU_LABELS[niveau].lower()} van {naam}"
st.title(f"Kansenindex — {scope}")

with ui.guard("De kansenindex berekenen"):
    table = ui.wide(None if national else gemeente_code, niveau)
    with st.expander("Hoe de kansenindex werkt", expanded=False):
        st.markdown(kansenindex.FORMULA)
        st.markdown(
            "De index is een hulpmiddel om gebieden te vergelijken, geen oordeel over de mensen die er wonen. "
            "Herkomst is geen oorzaak van achterstand; zet het gewicht op 0 om het weg te laten."
        )
    left, right = st.columns([1, 2])
    with left:
        reference_choice = st.radio(
            "Standaardiseren ten opzichte van",
            ["gebieden", "nederland"],
            format_func={"gebieden": "de gebieden in de ranglijst",
                         "nederland": f"alle {ui.NIVEAU_LABELS[niveau].lower()} van Nederland"}.get,
            key="kx_ref", bind="query-params", disabled=national,
        )
        top_n = st.slider("Aantal gebieden in de grafiek", 5, 60, 25, step=5, key="kx_top", bind="query-params")
    defaults = kansenindex.default_weights(table.frame, niveau)
    weights = {}
    with right:
        st.markdown("**Gewichten** (0 = weglaten)")
        cols = st.columns(2)
        for i, ind_id in enumerate(defaults):
            with cols[i % 2]:
                weights[ind_id] = st.slider(
                    indicators.get(ind_id).label, 0.0, 3.0, float(defaults[ind_id]), step=0.5,
                    key=f"kx_w_{ind_id}", bind="query-params",
                    help=f"{kansenindex.DIRECTION_LABELS[indicators.get(ind_id).direction]}",
                )
    reference = ui.wide(None, niveau).frame if reference_choice == "nederland" and not national else None
    result = kansenindex.compute(table.frame, niveau, weights, reference=reference)
    source = kansenindex.source_line(result, table.jaren, table.bronnen)

    if not result.used:
        st.warning("Op dit niveau is geen enkele component beschikbaar of alle gewichten staan op 0: "
                   "geen kansenindex. Kies een ander niveau of zet een gewicht hoger.")
    summary = kansenindex.left_out_summary(result)
    if summary:
        st.info("**Weggelaten componenten**\n\n" + "\n".join(f"- {line}" for line in summary))

    # Agenda target areas: how they rank, or candidates when the agenda names none.
    highlight, highlight_name = [], "Doelgebied agenda"
    if national:
        highlight, highlight_name = [gemeente_code], naam
        rank = kansenindex.ranks_of(result, [gemeente_code])
        if not rank.empty and rank["rang"].notna().all():
            st.markdown(f"**{naam}** staat op rang **{int(rank['rang'][0])}** van {int(rank['van'][0])} gemeenten "
                        f"(kansenindex {formatting.number(rank['kansenindex'][0], 2)}).")
    else:
        data = ui.agenda_data()
        has_agenda = gemeente_code in set(data.agendas["gemeente_code"])
        targets = doelgebieden.for_gemeente(data.doelgebieden, data.interventies, gemeente_code)
        level_targets = doelgebieden.at_level(targets, facts.areas(gemeente_code, niveau), niveau)
        highlight = doelgebieden.outline_codes(level_targets)
        suggestions = kansenindex.candidates(result, 3)
        suggestion_text = ", ".join(
            f"{r.naam} (rang {int(r.rang)}, {formatting.number(r.kansenindex, 2)})" for r in suggestions.itertuples())
        if highlight:
            ranks = kansenindex.ranks_of(result, highlight)
            st.subheader("Doelgebieden uit de agenda in deze ranglijst")
            st.markdown("\n".join(
                f"- **{r.naam}**: rang {int(r.rang) if r.rang == r.rang else '–'} van {int(r.van)} "
                f"(kansenindex {formatting.number(r.kansenindex, 2)})" for r in ranks.itertuples()))
            st.caption("Matching: " + "; ".join(
                f"{r.naam}: {r.relatie} '{r.gebiedsnaam}' ({r.matching})" for r in level_targets.itertuples()))
        elif has_agenda:
            quotes = targets.loc[targets["gebied_onbepaald"].fillna(False).astype(bool), "bron_citaat"].dropna()
            quote = f" De agenda zegt: “{quotes.iloc[0]}”" if len(quotes) else ""
            st.subheader("Kandidaat-doelgebieden")
            st.markdown(f"De agenda van {naam} noemt geen {ui.NIVEAU_LABELS[niveau].lower()} als doelgebied.{quote} "
                        f"Kandidaten volgens de kansenindex: **{suggestion_text or formatting.NO_DATA_TEXT}**.")
        else:
            st.subheader("Kandidaat-doelgebieden")
            st.markdown(f"{naam} heeft (nog) geen GKA-agenda in het dashboard. Gebieden met de hoogste "
                        f"kansenindex: **{suggestion_text or formatting.NO_DATA_TEXT}**.")

    scores = result.scores
    shown = compare.top_with(scores, top_n, highlight, value_column="kansenindex")
    if not shown.empty:
        fig = charts.ranking_bar(
            shown, "kansenindex", title=f"Kansenindex (hoger = kansarmer) — top {top_n} van {scope}",
            value_label="Kansenindex", source=source, formatter=lambda v: formatting.number(v, 2),
            highlight_codes=highlight, highlight_name=highlight_name,
            other_name="Overige gemeenten" if national else "Overige gebieden",
        )
        ui.show_figure(fig, shown[["code", "naam", "kansenindex", "rang"]], source, key="kx_rank",
                       file_stem=f"kansenindex_{gemeente_code}_{niveau}")
        z_cols = {f"z_{i}": indicators.get(i).label for i in result.used}
        heat = charts.component_heatmap(shown, z_cols, title="Bijdrage per component (z-score)", source=source)
        ui.show_figure(heat, shown[["code", "naam", *z_cols]], source, key="kx_heat",
                       file_stem=f"kansenindex_componenten_{gemeente_code}_{niveau}")

    st.subheader("Ranglijst")
    table_out = scores.assign(
        kansenindex_tekst=scores["kansenindex"].map(lambda v: formatting.number(v, 2)),
        doelgebied=scores["code"].isin(highlight).map({True: "ja", False: ""}),
    )
    st.dataframe(
        table_out[["rang", "naam", "code", "kansenindex_tekst", "componenten", "doelgebied"]].rename(columns={
            "kansenindex_tekst": "kansenindex", "componenten": "componenten met waarde",
            "doelgebied": highlight_name.lower() if national else "doelgebied agenda"}),
        hide_index=True,
    )
    st.caption(source)
    ui.csv_download(scores, f"kansenindex_ranglijst_{gemeente_code}_{niveau}", key="kx_table_csv")

    st.subheader("Componenten")
    report = kansenindex.component_report(result, table.jaren, table.bronnen)
    st.dataframe(report.drop(columns=["indicator"]), hide_index=True)
    ui.csv_download(report, f"kansenindex_componenten_{gemeente_code}_{niveau}", key="kx_comp_csv")
