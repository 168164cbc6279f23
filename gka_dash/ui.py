"""Streamlit helpers shared by app.py and pages/: caching, the shared sidebar, figure rendering.

The only module of the library (with ui_*.py) that imports Streamlit. Cached functions read only
their arguments (the store revision is an argument, so an upload invalidates the cache at once).
"""

from __future__ import annotations

import contextlib
import logging

import pandas as pd
import streamlit as st

from gka_dash import agenda, export_safety, facts, geo, labels, store

LOG = logging.getLogger("gka_dash")
DEFAULT_GEMEENTE = "GM0546"  # Leiden: an agenda gemeente with wijk and buurt data
NIVEAUS = ("wijk", "buurt", "gemeente")
NIVEAU_LABELS = {"gemeente": "Gemeente", "wijk": "Wijken", "buurt": "Buurten"}


def ensure_app_navigation() -> None:
    """Make a deep link (/Overzicht) on a fresh server run app.py, not the bare page script.

    Streamlit keeps its multipage-v1 behaviour (run ``pages/<name>.py`` directly, without the
    entry point's sidebar and navigation) until ``st.navigation`` has been called once in the
    process. Every page calls this first: in that situation it switches to v2 and reruns, so
    app.py runs and routes to the same page by its URL.
    """
    from streamlit.runtime.pages_manager import PagesManager

    # The shared sidebar sets "gemeente" whenever app.py runs; without it this session has
    # never been through app.py. (AppTest seeds the state itself and is left alone.)
    if PagesManager.uses_pages_directory and "gemeente" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()


@st.cache_resource(show_spinner=False)
def engine():
    """One SQLAlchemy engine per process (SQLite under var/ or GKA_DASH_DATABASE_URL)."""
    return store.engine_from_env()


def store_revision() -> str:
    """Changes with every upload or rollback: the cache key of everything read from the store."""
    return store.current_revision(engine())


@st.cache_data(show_spinner=False, max_entries=4)
def _feiten(revision: str) -> pd.DataFrame:
    return facts.load_feiten(store.uploaded_feiten(engine()))


def feiten() -> pd.DataFrame:
    """Snapshot facts merged with the store's uploads, cached per store revision."""
    return _feiten(store_revision())


@st.cache_data(show_spinner=False, max_entries=4)
def _units(revision: str) -> dict[str, str]:
    return store.uploaded_indicator_units(engine())


def indicator_units() -> dict[str, str]:
    """Units of analysts' own indicators (the catalogue knows the rest)."""
    return _units(store_revision())


@st.cache_data(show_spinner=False, max_entries=4)
def _agenda_tables(revision: str) -> dict[str, pd.DataFrame]:
    snapshot = agenda.load_agenda().tables()
    return store.merge_agenda(snapshot, store.uploaded_agenda(engine()))


def agenda_data() -> agenda.AgendaData:
    """The agenda tables of data/agenda overlaid with uploaded agendas (newest upload wins)."""
    return agenda.AgendaData(**_agenda_tables(store_revision()))


@st.cache_data(show_spinner=False)
def gemeenten() -> pd.DataFrame:
    return facts.gemeenten()


@st.cache_resource(show_spinner=False)
def static_geojson_url(niveau: str, gemeente_code: str | None) -> str:
    """Write the gemeente's GeoJSON into static/ once per process; return the URL plotly fetches."""
    return "/" + geo.static_url(geo.static_geojson(niveau, gemeente_code))


def gemeente_selector(key: str = "gemeente", label: str = "Gemeente") -> str:
    """Searchable selectbox over all gemeenten, bound to the URL (?gemeente=GM0546)."""
    frame = gemeenten()
    names = dict(zip(frame["code"], frame["naam"], strict=True))
    codes = list(names)
    # The bound URL holds the label ("Hoogeveen (GM0118)"); a bare code (?gemeente=GM0118), as
    # people type or link it, is accepted too.
    requested = st.query_params.get(key)
    if requested is not None and requested.strip().upper() in names:
        # A bare code from a link (st.page_link(query_params=...)) or typed by hand; the bound
        # widget then rewrites the URL to its label, so this happens once per link.
        if st.session_state.get(key) != requested.strip().upper():
            st.session_state[key] = requested.strip().upper()
    elif requested is None and key not in st.session_state:
        st.session_state[key] = DEFAULT_GEMEENTE
    return st.selectbox(
        label, codes, key=key, format_func=lambda code: f"{names[code]} ({code})", bind="query-params",
    )


def niveau_selector(key: str = "niveau", options: tuple[str, ...] = NIVEAUS) -> str:
    return st.radio(
        "Niveau", options, key=key, format_func=NIVEAU_LABELS.get, horizontal=True, bind="query-params",
    )


def indicator_selector(table: facts.IndicatorTable, key: str = "indicator", default: str = "aandeel_0_15_pct") -> str:
    """Indicators that have at least one value at this level, labelled from the catalogue."""
    units = indicator_units()
    options = [c for c in table.indicator_ids if table.frame[c].notna().any()]
    if not options:
        options = table.indicator_ids
    index = options.index(default) if default in options else 0
    return st.selectbox(
        "Indicator", options, index=index, key=key,
        format_func=lambda ind: labels.indicator_label(ind, units), bind="query-params",
    )


def show_figure(fig, data: pd.DataFrame, source: str, key: str, file_stem: str, **chart_kwargs):
    """Render a figure with its source line and a CSV download of exactly the data drawn."""
    event = st.plotly_chart(
        fig, key=key, config={"displaylogo": False, "toImageButtonOptions": {"filename": file_stem, "scale": 2}},
        **chart_kwargs,
    )
    st.caption(source)
    csv_download(data, file_stem, key=f"{key}_csv")
    return event


def csv_download(data: pd.DataFrame, file_stem: str, key: str, label: str = "Download data (CSV)") -> None:
    safe = export_safety.neutralise_formulas(data)
    st.download_button(
        label, safe.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig"),
        file_name=f"{file_stem}.csv", mime="text/csv", key=key,
    )


@contextlib.contextmanager
def guard(what: str):
    """Show a Dutch message instead of a traceback; the details go to the server log."""
    try:
        yield
    except facts.UnknownAreaError as exc:
        st.error(f"{what}: {exc}")
    except agenda.AgendaValidationError as exc:
        LOG.warning("agenda data invalid while %s: %s", what, exc)
        st.error(f"{what} lukt niet: de agendagegevens kloppen niet.")
        st.dataframe(pd.DataFrame({"probleem": [str(p) for p in exc.problems]}), hide_index=True)
    except FileNotFoundError as exc:
        LOG.exception("missing file while %s", what)
        st.error(f"{what} lukt niet: een gegevensbestand ontbreekt ({exc}).")
    except Exception:  # noqa: BLE001 - last line of defence for the user
        LOG.exception("error while %s", what)
        st.error(f"{what} lukt niet door een onverwachte fout. De details staan in het serverlog.")


# --------------------------------------------------------------------------- helpers for the analysis pages
# (cached wide tables shared by Kaart, Kansenindex, Vergelijken, Overzicht, Financiering and
# Interventies; the merged agenda is agenda_data() above, also keyed on the store revision)
@st.cache_data(show_spinner=False, max_entries=32)
def _wide(revision: str, gemeente_code: str | None, niveau: str) -> facts.IndicatorTable:
    return facts.wide(_feiten(revision), gemeente_code, niveau)


def wide(gemeente_code: str | None, niveau: str) -> facts.IndicatorTable:
    """facts.wide on the merged facts, cached per store revision, gemeente and level."""
    return _wide(store_revision(), gemeente_code, niveau)



@st.cache_data(show_spinner=False, max_entries=8)
def _funding(revision: str, gemeente_code: str | None, per_tijdvak: bool):
    from gka_dash import agenda, funding

    data = agenda_data()
    kinderen = agenda.children_by_area(agenda.codes_needed(data), feiten=_feiten(revision))
    return funding.funding_per_child(data.interventies, data.agendas, data.begroting, data.doelgebieden, kinderen,
                                     gemeente_code=gemeente_code, per_tijdvak=per_tijdvak)


def funding_per_child(gemeente_code: str | None = None, per_tijdvak: bool = False) -> pd.DataFrame:
    """funding.funding_per_child on the agenda and the merged facts, cached per store revision."""
    return _funding(store_revision(), gemeente_code, per_tijdvak)
