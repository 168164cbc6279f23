"""Vergelijken: areas of a gemeente ranked on an indicator, gemeenten side by side, a gemeente against NL."""

import streamlit as st

from gka_dash import charts, compare, doelgebieden, facts, formatting, labels, mapview, ui

ui.ensure_app_navigation()

gemeente_code = st.session_state.get("gemeente") or ui.DEFAULT_GEMEENTE  # robust on a first run
niveau = st.session_state.get("niveau") or ui.NIVEAUS[0]
naam = facts.area(gemeente_code)["naam"]
st.title(f"Vergelijken — {naam}")

TABS = ["Gebieden rangschikken", "Gemeenten naast elkaar", "Gemeente en Nederland"]
rank_tab, gemeenten_tab, nl_tab = st.tabs(TABS, key="vg_tab", bind="query-params")


def _fmt(indicator_id):
    units = ui.indicator_units()
    return lambda v: formatting.indicator_value(indicator_id, v, labels.indicator_unit(indicator_id, units))


if rank_tab.open:
    with rank_tab, ui.guard("De gebieden rangschikken"):
        national = niveau == "gemeente"
        table = ui.wide(None if national else gemeente_code, niveau)
        indicator_id = ui.indicator_selector(table, key="vg_indicator")
        label = labels.indicator_label(indicator_id, ui.indicator_units())
        ranks = compare.ranked(table.frame, indicator_id)
        refs = facts.reference_values(ui.feiten(), gemeente_code, indicator_id)
        lines = {"Nederland": refs[facts.NL_CODE]} if national else {naam: refs[gemeente_code], "Nederland": refs[facts.NL_CODE]}
        if national:
            highlight, highlight_name = [gemeente_code], naam
        else:
            data = ui.agenda_data()
            targets = doelgebieden.for_gemeente(data.doelgebieden, data.interventies, gemeente_code)
            highlight = doelgebieden.outline_codes(doelgebieden.at_level(targets, facts.areas(gemeente_code, niveau), niveau))
            highlight_name = "Doelgebied agenda"
        scope = "alle gemeenten" if national else f"{ui.NIVEAU_LABELS[niveau].lower()} van {naam}"
        source = mapview.data_source(table, indicator_id)
        top_n = st.slider("Aantal gebieden in de grafiek", 5, 80, 40, step=5, key="vg_top", bind="query-params")
        shown = compare.top_with(ranks, top_n, highlight)
        if shown.empty:
            st.info(f"{formatting.NO_DATA_TEXT.capitalize()}: {label} is er niet voor de {scope}.")
        else:
            fig = charts.ranking_bar(
                shown, "waarde", title=f"{label} — {scope}" + (f" (hoogste {top_n} en gemarkeerde)" if len(shown) < len(ranks) else ""),
                value_label=label, source=source, formatter=_fmt(indicator_id), highlight_codes=highlight,
                highlight_name=highlight_name, reference_lines=lines,
                other_name="Overige gemeenten" if national else "Overige gebieden",
            )
            ui.show_figure(fig, shown, source, key="vg_rank", file_stem=f"rangschikking_{gemeente_code}_{niveau}_{indicator_id}")
        no_reference = [name for name, value in lines.items() if value != value]
        if no_reference:
            st.caption(" · ".join(f"{name}: {formatting.NO_DATA_TEXT}" for name in no_reference)
                       + f" voor {label} (geen referentielijn).")
        missing = int(ranks["waarde"].isna().sum())
        if missing:
            st.caption(f"{missing} gebied(en) zonder waarde ({formatting.MISSING_TEXT}) staan onderaan de tabel.")
        st.dataframe(
            ranks.assign(waarde=ranks["waarde"].map(_fmt(indicator_id)))
            .rename(columns={"waarde": label}),
            hide_index=True,
        )
        ui.csv_download(ranks, f"rangschikking_tabel_{gemeente_code}_{niveau}_{indicator_id}", key="vg_rank_table_csv")

if gemeenten_tab.open:
    with gemeenten_tab, ui.guard("De gemeenten vergelijken"):
        table = ui.wide(None, "gemeente")
        indicator_id = ui.indicator_selector(table, key="vg_gm_indicator")
        label = labels.indicator_label(indicator_id, ui.indicator_units())
        all_codes = list(ui.gemeenten()["code"])
        names = dict(zip(ui.gemeenten()["code"], ui.gemeenten()["naam"], strict=True))
        agenda_codes = list(ui.agenda_data().agendas["gemeente_code"].unique())
        default = list(dict.fromkeys([gemeente_code, *agenda_codes]))
        chosen = st.multiselect(
            "Gemeenten", all_codes, default=default, key="vg_gemeenten", bind="query-params",
            format_func=lambda c: f"{names[c]} ({c})", placeholder="kies gemeenten",
        )
        source = mapview.data_source(table, indicator_id)
        ranks = compare.ranked(table.frame, indicator_id)
        chosen_ranks = ranks[ranks["code"].isin(chosen)]
        nl_value = facts.reference_values(ui.feiten(), gemeente_code, indicator_id)[facts.NL_CODE]
        if chosen_ranks.empty:
            st.info("Kies een of meer gemeenten.")
        else:
            fig = charts.ranking_bar(
                chosen_ranks, "waarde", title=f"{label} — gekozen gemeenten (rang onder alle {len(ranks)})",
                value_label=label, source=source, formatter=_fmt(indicator_id), highlight_codes=[gemeente_code],
                highlight_name=naam, reference_lines={"Nederland": nl_value}, other_name="Overige gemeenten",
            )
            ui.show_figure(fig, chosen_ranks, source, key="vg_gm", file_stem=f"gemeenten_{indicator_id}")
        pos = compare.position(table.frame, indicator_id, gemeente_code)
        if pos["rang"] is not None:
            st.markdown(f"**{naam}** staat op rang **{pos['rang']}** van {pos['van']} gemeenten "
                        f"(hoogste waarde = rang 1).")
        st.subheader(f"Alle {len(ranks)} gemeenten")
        st.dataframe(
            ranks.assign(waarde=ranks["waarde"].map(_fmt(indicator_id))).rename(columns={"waarde": label}),
            hide_index=True,
        )
        st.caption(source)
        ui.csv_download(ranks, f"gemeenten_alle_{indicator_id}", key="vg_gm_all_csv")

if nl_tab.open:
    with nl_tab, ui.guard("De gemeente met Nederland vergelijken"):
        profile = compare.gemeente_vs_nl(ui.feiten(), gemeente_code)
        sources = sorted({b for b in profile["bron"] if b})
        source = "Bron: " + "; ".join(sources) + f"; peiljaren {', '.join(map(str, sorted({int(j) for j in profile['jaar'].dropna()})))}"
        relative = profile[~profile["eenheid"].isin(["aantal"])].dropna(subset=["index_nl"])
        formatted = relative.apply(lambda r: formatting.indicator_value(r["indicator"], r[gemeente_code]), axis=1)
        fig = charts.profile_index(
            relative, {"index_nl": naam}, title=f"{naam} ten opzichte van Nederland (= 100)", source=source,
            formatted={"index_nl": formatted},
        )
        ui.show_figure(fig, relative.drop(columns=["thema"]), source, key="vg_nl", file_stem=f"gemeente_vs_nl_{gemeente_code}")
        shown = profile.assign(
            **{naam: profile.apply(lambda r: formatting.indicator_value(r["indicator"], r[gemeente_code]), axis=1),
               "Nederland": profile.apply(lambda r: formatting.indicator_value(r["indicator"], r[facts.NL_CODE]), axis=1)},
        )[["thema", "label", naam, "Nederland", "jaar", "bron"]]
        st.dataframe(shown.rename(columns={"label": "indicator"}), hide_index=True)
        ui.csv_download(profile, f"gemeente_vs_nl_tabel_{gemeente_code}", key="vg_nl_table_csv")
