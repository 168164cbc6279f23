"""CBS OData client for Kerncijfers wijken en buurten (KWB), with a parquet cache.

One call fetches one KWB table (one year) for a set of gemeenten: each gemeente's own row plus
its wijken and buurten, selected on the server with an OData ``$filter`` on the region key, so one
gemeente never pulls the whole country. The rows are normalised (DESIGN §5):

- codes and texts lose the padding CBS adds (``'GM0546    '`` -> ``'GM0546'``);
- column names lose the numeric suffix of the CBS key (``k_0Tot15Jaar_8`` -> ``k_0Tot15Jaar``); a stem
  that occurs more than once in a table keeps its bare name for its first occurrence in
  DataProperties and gets the titles of its TopicGroups as qualifier for the others
  (``Nederland_20`` -> ``Nederland__GeborenInNederland``), see :func:`column_names`;
- stems known to the indicator catalogue become catalogue ids (``k_0Tot15Jaar`` -> ``kinderen_0_15``)
  when the CBS unit fits the catalogue unit (:data:`UNIT_MATCH`); other stems are kept as they are;
- CBS secret/unknown values (OData ``null``, ``'.'``, ``'x'``, ``''`` and the Wijk- en Buurtkaart
  sentinels -99997, -99995, -99991) become NaN, never 0 (CBS_RULES.md §1, §3).

The result is cached as parquet under :data:`gka_dash.paths.CBSODATA_CACHE_DIR`, one file per table
and set of gemeenten, written atomically. When CBS cannot be reached (connection error, timeout,
HTTP 5xx) the cache is used and the result says so; without a cache a :class:`CbsOfflineError`
with a Dutch message is raised. A failed fetch never touches the cache.

``cbsodata`` sets no timeout and downloads every metadata table of the KWB table (the national
region list included) on each call; the timeout is passed to it as a ``requests`` argument and each
table/gemeente set is fetched once and then read from the cache (``refresh=True`` fetches again).

Environment:

``GKA_DASH_CBS_CATALOG_URL``
    Base URL of the CBS OData service, default ``https://opendata.cbs.nl``. A ``http://`` URL (e.g.
    ``http://127.0.0.1:8123``, the test server) makes cbsodata use plain HTTP.
``GKA_DASH_CBS_TIMEOUT``
    Seconds per HTTP request, default 60.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import cbsodata
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import requests

from gka_dash import paths
from gka_dash.indicators import CATALOGUE, CBS_STEMS

log = logging.getLogger(__name__)

KWB_TABLES: dict[int, str] = {
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
}
DEFAULT_CATALOG_URL = "https://opendata.cbs.nl"
DEFAULT_TIMEOUT_S = 60.0
CATALOG_URL_ENV = "GKA_DASH_CBS_CATALOG_URL"
TIMEOUT_ENV = "GKA_DASH_CBS_TIMEOUT"

REGION_KEY = "WijkenEnBuurten"
REGION_KEY_WIDTH = 10  # CBS pads region keys to 10 characters: 'GM0546    '
MISSING_TEXT = frozenset({"", ".", "x"})
MISSING_SENTINELS = (-99997.0, -99995.0, -99991.0)
ID_COLUMNS = ["code", "naam", "niveau", "gemeente_code", "gemeente_naam", "wijk_code"]

# Region topics that become identifier columns (by stem); they are not kept as data columns.
_SOORT_REGIO = "SoortRegio"
_GEMEENTENAAM = "Gemeentenaam"
_CODERING = "Codering"
_PREFIX_LEVEL = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
# CBS DataProperties unit -> catalogue units it may be stored under. A stem whose CBS unit is
# listed here but does not fit the catalogue unit keeps its stem (e.g. KWB 2024 publishes
# BasisonderwijsVmboMbo1 and PersonenPerSoortUitkeringBijstand as counts, not % or per 1,000).
UNIT_MATCH: dict[str, set[str]] = {
    "aantal": {"aantal", "personen"},
    "%": {"pct"},
    "x 1 000 euro": {"x1000_eur"},
    "per 1 000 inwoners": {"per_1000"},
    "km": {"km"},
    "aantal inwoners per km²": {"per_km2"},
    "per km²": {"per_km2"},
    "code": {"klasse"},
}
_GEMEENTE_CODE = re.compile(r"^(?:GM)?(\d{1,4})$")
_KEY_SUFFIX = re.compile(r"_\d+$")
_CACHE_META_KEY = b"gka_dash.cbs"
_MAX_CODES_IN_NAME = 6

# cbsodata keeps use_https as a module-wide option; fetches that change it take turns.
_OPTIONS_LOCK = threading.Lock()


class CbsError(RuntimeError):
    """A CBS fetch failed; the message is Dutch and meant for the user."""


class CbsOfflineError(CbsError):
    """CBS could not be reached and there is no cache to fall back on."""


@dataclass(frozen=True)
class KwbResult:
    """Normalised KWB rows for a set of gemeenten.

    Attributes:
        data: wide frame, one row per region: :data:`ID_COLUMNS`, then one column per CBS topic
            (catalogue id where the catalogue knows the stem, else the stable stem).
        jaar: KWB year.
        table_id: CBS table, e.g. ``'85984NED'``.
        gemeenten: the gemeente codes asked for, sorted.
        cache_file: the parquet file holding ``data``.
        opgehaald: when CBS delivered the rows (ISO 8601, UTC).
        from_cache: True when the rows come from the cache instead of a fresh download.
        melding: Dutch note for the user when the cache stood in for an unreachable CBS, else None.
    """

    data: pd.DataFrame
    jaar: int
    table_id: str
    gemeenten: tuple[str, ...]
    cache_file: Path
    opgehaald: str
    from_cache: bool = False
    melding: str | None = None

    @property
    def bron(self) -> str:
        return bron(self.jaar, self.table_id)

    def feiten(self, dropna: bool = False) -> pd.DataFrame:
        """The catalogue indicators in the long facts format (see :func:`to_feiten`)."""
        return to_feiten(self.data, self.jaar, self.table_id, dropna=dropna)


# --------------------------------------------------------------------------------------------
# Input checks and the region filter


def table_id(jaar: int) -> str:
    """Return the KWB table id for a year, or raise a Dutch ValueError."""
    try:
        return KWB_TABLES[int(jaar)]
    except (KeyError, ValueError, TypeError):
        known = ", ".join(str(y) for y in KWB_TABLES)
        raise ValueError(f"geen KWB-tabel bekend voor jaar {jaar!r}; bekende jaren: {known}") from None


def bron(jaar: int, table: str) -> str:
    """Source label as stored with every fact, e.g. ``'CBS KWB 2024 (85984NED)'``."""
    return f"CBS KWB {jaar} ({table})"


def normalise_gemeenten(codes: Iterable[str]) -> tuple[str, ...]:
    """Return sorted, unique ``GMxxxx`` codes; accepts ``'GM0546'``, ``'gm546'``, ``'0546'``.

    Raises:
        ValueError: (Dutch) naming the first code that is not a gemeente code, or when none is given.
    """
    if isinstance(codes, str):
        codes = [codes]
    result = set()
    for raw in codes:
        match = _GEMEENTE_CODE.match(str(raw).strip().upper())
        if not match:
            raise ValueError(
                f"ongeldige gemeentecode {raw!r}: verwacht 'GM' met vier cijfers, bijvoorbeeld GM0546"
            )
        result.add(f"GM{int(match.group(1)):04d}")
    if not result:
        raise ValueError("geen gemeente opgegeven: geef ten minste één gemeentecode, bijvoorbeeld GM0546")
    return tuple(sorted(result))


def region_filter(gemeenten: Iterable[str]) -> str:
    """OData v3 ``$filter`` selecting the gemeenten's own rows, wijken and buurten.

    ``WijkenEnBuurten eq 'GM0546    '`` takes the padded gemeente key; ``substringof('WK0546', ...)``
    and ``substringof('BU0546', ...)`` take its wijken and buurten. The WK/BU prefix is part of the
    searched text, so a buurt such as BU05180546 (Den Haag) does not match '0546'.
    """
    parts = []
    for code in normalise_gemeenten(gemeenten):
        digits = code[2:]
        parts.append(f"{REGION_KEY} eq '{code.ljust(REGION_KEY_WIDTH)}'")
        parts.append(f"substringof('WK{digits}',{REGION_KEY})")
        parts.append(f"substringof('BU{digits}',{REGION_KEY})")
    return " or ".join(parts)


# --------------------------------------------------------------------------------------------
# Normalisation


def stem(key: str) -> str:
    """CBS key without its numeric suffix: ``'k_0Tot15Jaar_8'`` -> ``'k_0Tot15Jaar'``."""
    return _KEY_SUFFIX.sub("", key)


def _camel(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return "".join(word[:1].upper() + word[1:] for word in re.findall(r"[0-9A-Za-z]+", ascii_title))


def _group_path(prop: Mapping, by_id: Mapping[int, Mapping]) -> list[str]:
    """Titles (CamelCase) of the TopicGroups above a topic, outermost first."""
    path = []
    parent = prop.get("ParentID")
    while parent is not None and parent in by_id:
        group = by_id[parent]
        path.append(_camel(group.get("Title") or ""))
        parent = group.get("ParentID")
    return path[::-1]


def column_names(data_properties: Sequence[Mapping]) -> dict[str, str]:
    """Map each topic key of a table to its stable column name (before catalogue mapping).

    The name is the key's stem. When several topics share a stem, the first in DataProperties
    order (by ``ID``) keeps the bare stem and each other one gets ``'__'`` plus the titles of the
    fewest enclosing TopicGroups that tell them apart, e.g. ``Nederland_20`` ->
    ``'Nederland__GeborenInNederland'`` and ``Appartement_62`` ->
    ``'Appartement__GemiddeldAardgasverbruik_NaarWoningtype'``. The result depends only on the
    metadata, not on the order of the input list.
    """
    props = sorted(data_properties, key=lambda p: p["ID"])
    by_id = {p["ID"]: p for p in props}
    by_stem: dict[str, list[Mapping]] = defaultdict(list)
    for prop in props:
        if prop.get("Type") == "Topic" and prop.get("Key"):
            by_stem[stem(prop["Key"])].append(prop)

    names: dict[str, str] = {}
    for base, members in by_stem.items():
        names[members[0]["Key"]] = base
        if len(members) == 1:
            continue
        paths_ = [_group_path(p, by_id) for p in members]
        qualifiers = [str(p["ID"]) for p in members]  # last resort: still deterministic
        for depth in range(1, max(len(p) for p in paths_) + 1):
            candidate = ["_".join(p[-depth:]) for p in paths_]
            if len(set(candidate)) == len(candidate):
                qualifiers = candidate
                break
        for prop, qualifier in zip(members[1:], qualifiers[1:]):
            names[prop["Key"]] = f"{base}__{qualifier}"
    return names


def catalogue_id(name: str, cbs_unit: str | None) -> str:
    """The catalogue id for a stable column name, or the name itself when the catalogue has no
    entry for it or the CBS unit does not fit the catalogue unit (see :data:`UNIT_MATCH`)."""
    indicator_id = CBS_STEMS.get(name)
    if indicator_id is None:
        return name
    allowed = UNIT_MATCH.get((cbs_unit or "").strip())
    if allowed is not None and CATALOGUE[indicator_id].unit not in allowed:
        log.info("CBS %s (%s) not stored as %s (%s)", name, cbs_unit, indicator_id,
                 CATALOGUE[indicator_id].unit)
        return name
    return indicator_id


def _clean_text(values: pd.Series) -> pd.Series:
    def clean(value):
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        text = str(value).strip()
        return None if text in MISSING_TEXT else text

    return pd.Series([clean(v) for v in values], index=values.index, dtype="str")


def _to_number(values: pd.Series, key: str) -> pd.Series:
    """Numbers as float; CBS secret/unknown values NaN (never 0)."""

    def clean(value):
        if isinstance(value, str):
            text = value.strip()
            return None if text in MISSING_TEXT else text
        return value

    as_object = values.astype(object).map(clean)
    numbers = pd.to_numeric(as_object, errors="coerce").astype(float)
    bad = numbers.isna() & as_object.notna()
    if bad.any():
        examples = sorted({repr(v) for v in values[bad]})[:5]
        raise ValueError(
            f"kolom {key}: {int(bad.sum())} waarde(n) zijn geen getal en geen CBS-teken voor geheim "
            f"of onbekend ('.', 'x', leeg), bijvoorbeeld {', '.join(examples)}"
        )
    return numbers.mask(numbers.isin(MISSING_SENTINELS))


def _level(soort: str | None, code: str) -> str:
    level = soort.strip().lower() if isinstance(soort, str) else ""
    if level in _PREFIX_LEVEL.values():
        return level
    try:
        return _PREFIX_LEVEL[code[:2]]
    except KeyError:
        raise ValueError(f"onbekende regiocode {code!r}: verwacht NL, GM, WK of BU") from None


def normalise(
    rows: Sequence[Mapping],
    data_properties: Sequence[Mapping],
    regions: Sequence[Mapping] | None = None,
) -> pd.DataFrame:
    """Turn raw TypedDataSet rows into the wide, stable frame.

    Parameters
    ----------
    rows : list of dict
        OData rows (``TypedDataSet``, or ``UntypedDataSet`` whose numbers are text).
    data_properties : list of dict
        The table's DataProperties (gives the topics, their data types and TopicGroups).
    regions : list of dict, optional
        The ``WijkenEnBuurten`` dimension (Key, Title); gives the ``naam`` column.

    Returns
    -------
    pandas.DataFrame
        :data:`ID_COLUMNS` then one column per topic in DataProperties order, named by
        :func:`column_names` and then by the catalogue (:func:`catalogue_id`). Numbers are float with NaN
        for secret/unknown; texts are stripped (pandas ``str`` dtype) with NaN
        for secret/unknown.

    Raises
    ------
    ValueError
        (Dutch) when a region key is missing or unknown, or a number column holds text that is
        not a CBS missing-value sign.
    """
    names = column_names(data_properties)
    topics = {p["Key"]: p for p in data_properties if p.get("Type") == "Topic"}
    raw = pd.DataFrame(list(rows))
    if raw.empty:
        return pd.DataFrame(columns=ID_COLUMNS)
    if REGION_KEY not in raw:
        raise ValueError(f"de CBS-rijen hebben geen kolom {REGION_KEY}")

    codes = _clean_text(raw[REGION_KEY])
    if codes.isna().any():
        raise ValueError(f"{int(codes.isna().sum())} CBS-rij(en) zonder regiocode ({REGION_KEY})")
    by_stem = {stem(key): key for key in names if names[key] == stem(key)}
    soort = _clean_text(raw.get(by_stem.get(_SOORT_REGIO), pd.Series(None, index=raw.index)))
    gemeentenaam = _clean_text(raw.get(by_stem.get(_GEMEENTENAAM), pd.Series(None, index=raw.index)))
    titles = {str(r["Key"]).strip(): (str(r.get("Title") or "").strip() or None) for r in regions or []}

    out = pd.DataFrame({"code": codes})
    out["naam"] = codes.map(titles).astype("str")
    out["niveau"] = [_level(s, c) for s, c in zip(soort, codes)]
    is_land = out["niveau"].eq("land")
    out["gemeente_code"] = ("GM" + codes.str[2:6]).where(~is_land)
    out["gemeente_naam"] = gemeentenaam.where(~is_land)
    out["wijk_code"] = ("WK" + codes.str[2:8]).where(out["niveau"].eq("buurt"))

    skip = {by_stem.get(s) for s in (_SOORT_REGIO, _GEMEENTENAAM, _CODERING)}
    columns = {}
    for key, name in names.items():
        if key in skip:
            continue
        series = raw[key] if key in raw else pd.Series(None, index=raw.index, dtype=object)
        column = catalogue_id(name, topics[key].get("Unit"))
        if topics[key].get("Datatype") == "String":
            columns[column] = _clean_text(series)
        else:
            columns[column] = _to_number(series, key)
    out = pd.concat([out, pd.DataFrame(columns, index=raw.index)], axis=1)
    return out.sort_values(["niveau", "code"], key=_level_order).reset_index(drop=True)


def _level_order(column: pd.Series) -> pd.Series:
    if column.name == "niveau":
        return column.map({"land": 0, "gemeente": 1, "wijk": 2, "buurt": 3})
    return column


def to_feiten(wide: pd.DataFrame, jaar: int, table: str, dropna: bool = False) -> pd.DataFrame:
    """Long facts (``code, indicator, jaar, waarde, bron``) for the catalogue columns of ``wide``.

    Only columns that are catalogue ids and not derived shares are taken; other stems stay out.
    NaN (secret/unknown) is kept as NaN unless ``dropna``; it is never turned into 0.
    """
    ids = [c for c in wide.columns if c in CATALOGUE and not CATALOGUE[c].is_derived]
    long = wide.melt(id_vars=["code"], value_vars=ids, var_name="indicator", value_name="waarde")
    long["waarde"] = long["waarde"].astype(float)
    if dropna:
        long = long.dropna(subset=["waarde"])
    long["jaar"] = int(jaar)
    long["bron"] = bron(int(jaar), table)
    return long[["code", "indicator", "jaar", "waarde", "bron"]].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Cache


def cache_path(table: str, gemeenten: Iterable[str], cache_dir: Path | None = None) -> Path:
    """Parquet file for a table and set of gemeenten (order and spelling of the codes do not matter)."""
    codes = normalise_gemeenten(gemeenten)
    folder = Path(cache_dir) if cache_dir is not None else paths.CBSODATA_CACHE_DIR
    if len(codes) <= _MAX_CODES_IN_NAME:
        label = "_".join(codes)
    else:
        label = f"{len(codes)}gm_{hashlib.sha1(','.join(codes).encode()).hexdigest()[:12]}"
    return folder / f"kwb_{table}_{label}.parquet"


def _write_cache(path: Path, data: pd.DataFrame, meta: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(data, preserve_index=False)
    table = table.replace_schema_metadata(
        {**(table.schema.metadata or {}), _CACHE_META_KEY: json.dumps(meta).encode()}
    )
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_cache(jaar: int, gemeenten: Iterable[str], cache_dir: Path | None = None) -> KwbResult | None:
    """The cached result for a year and set of gemeenten, or None when there is no cache file."""
    table = table_id(jaar)
    codes = normalise_gemeenten(gemeenten)
    path = cache_path(table, codes, cache_dir)
    if not path.exists():
        return None
    try:
        arrow = pq.read_table(path)
    except (pa.ArrowException, OSError) as err:
        raise CbsError(
            f"De cache {path} is onleesbaar ({err}); verwijder het bestand en haal de gegevens opnieuw op."
        ) from err
    meta = json.loads((arrow.schema.metadata or {}).get(_CACHE_META_KEY, b"{}"))
    return KwbResult(
        data=arrow.to_pandas(), jaar=int(jaar), table_id=table, gemeenten=codes, cache_file=path,
        opgehaald=meta.get("opgehaald", ""), from_cache=True,
    )


# --------------------------------------------------------------------------------------------
# Download


def _catalog(catalog_url: str | None) -> tuple[str, str]:
    """(scheme, 'host[:port][/path]') from a URL or bare host name."""
    url = catalog_url or os.environ.get(CATALOG_URL_ENV) or DEFAULT_CATALOG_URL
    parts = urlsplit(url if "//" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"ongeldige CBS-adres {url!r}: verwacht bijvoorbeeld https://opendata.cbs.nl")
    return parts.scheme, parts.netloc + parts.path.rstrip("/")


def _timeout(timeout: float | None) -> float:
    if timeout is not None:
        return float(timeout)
    value = os.environ.get(TIMEOUT_ENV)
    return float(value) if value else DEFAULT_TIMEOUT_S


def _download(table: str, codes: tuple[str, ...], scheme: str, host: str, timeout: float) -> dict:
    """All of the table's metadata plus the filtered TypedDataSet, as cbsodata returns them."""
    kwargs: dict = {"timeout": timeout}
    if requests.utils.should_bypass_proxies(f"{scheme}://{host}", no_proxy=None):
        kwargs["proxies"] = {}  # e.g. 127.0.0.1 under no_proxy: do not send it to a proxy
    with _OPTIONS_LOCK:
        old = cbsodata.options.use_https
        cbsodata.options.use_https = scheme == "https"
        try:
            return cbsodata.download_data(
                table, filters=region_filter(codes), catalog_url=host, **kwargs
            )
        finally:
            cbsodata.options.use_https = old


def _http_status(err: requests.HTTPError) -> int | None:
    # cbsodata re-raises HTTPError without the response; the original is the cause.
    for candidate in (err, err.__cause__):
        response = getattr(candidate, "response", None)
        if response is not None:
            return response.status_code
    return None


def _check_regions(data: pd.DataFrame, codes: tuple[str, ...], label: str) -> None:
    """Every gemeente asked for came back, and nothing else did (the filter worked)."""
    found = set(data.loc[data["niveau"].eq("gemeente"), "code"])
    missing = [c for c in codes if c not in found]
    if missing:
        raise CbsError(
            f"{label}: CBS gaf geen gegevens voor {', '.join(missing)}; bestaat die gemeente in dat "
            "jaar? De bestaande cache is niet aangeraakt."
        )
    outside = sorted(data.loc[~data["gemeente_code"].isin(codes), "code"])
    if outside:
        raise CbsError(
            f"{label}: CBS gaf ook {len(outside)} regio's buiten de gevraagde gemeenten terug "
            f"({', '.join(outside[:5])}); het regiofilter werkte niet. De bestaande cache is niet aangeraakt."
        )


def fetch_kwb(
    jaar: int,
    gemeenten: Iterable[str],
    *,
    refresh: bool = False,
    cache_dir: Path | None = None,
    catalog_url: str | None = None,
    timeout: float | None = None,
) -> KwbResult:
    """KWB rows of ``jaar`` for the gemeenten, their wijken and buurten; from the cache or CBS.

    Parameters
    ----------
    jaar : int
        KWB year (a key of :data:`KWB_TABLES`).
    gemeenten : iterable of str
        Gemeente codes (``'GM0546'``; ``'0546'`` also works).
    refresh : bool, default False
        Download even when a cache file exists. Without ``refresh`` a cached table is not fetched
        again (DESIGN §5: fetch once per table and year).
    cache_dir : Path, optional
        Default :data:`gka_dash.paths.CBSODATA_CACHE_DIR`.
    catalog_url : str, optional
        Default ``$GKA_DASH_CBS_CATALOG_URL`` or ``https://opendata.cbs.nl``.
    timeout : float, optional
        Seconds per HTTP request; default ``$GKA_DASH_CBS_TIMEOUT`` or 60.

    Returns
    -------
    KwbResult
        ``from_cache`` and ``melding`` say whether the cache stood in for CBS.

    Raises
    ------
    ValueError
        (Dutch) unknown year or bad gemeente code.
    CbsOfflineError
        CBS unreachable (connection error, timeout, HTTP 5xx) and no cache.
    CbsError
        CBS refused the request (HTTP 4xx), answered something unusable, or left out a gemeente.
        The cache is never changed by a failed fetch.
    """
    table = table_id(jaar)
    codes = normalise_gemeenten(gemeenten)
    label = f"KWB {jaar} ({table}) voor {', '.join(codes)}"
    cached = read_cache(jaar, codes, cache_dir)
    if cached is not None and not refresh:
        return cached

    scheme, host = _catalog(catalog_url)
    untouched = " De bestaande cache is niet aangeraakt." if cached is not None else ""
    try:
        raw = _download(table, codes, scheme, host, _timeout(timeout))
    except requests.HTTPError as err:
        status = _http_status(err)
        if status is None or status < 500:
            raise CbsError(
                f"CBS ({host}) weigerde het verzoek voor {label} (HTTP {status}): {err}.{untouched}"
            ) from err
        return _cache_or_raise(cached, host, label, f"de server gaf HTTP {status}", err)
    except requests.Timeout as err:
        return _cache_or_raise(cached, host, label, "geen antwoord binnen de tijd", err)
    except requests.ConnectionError as err:
        return _cache_or_raise(cached, host, label, "geen verbinding", err)
    except (requests.RequestException, ValueError, KeyError) as err:
        raise CbsError(f"Onverwacht antwoord van CBS ({host}) voor {label}: {err}.{untouched}") from err

    try:
        data = normalise(raw["TypedDataSet"], raw["DataProperties"], raw.get(REGION_KEY))
    except (KeyError, ValueError) as err:
        raise CbsError(f"Onverwachte gegevens van CBS voor {label}: {err}.{untouched}") from err
    _check_regions(data, codes, label)
    opgehaald = datetime.now(timezone.utc).isoformat(timespec="seconds")
    path = cache_path(table, codes, cache_dir)
    meta = {"jaar": int(jaar), "table_id": table, "gemeenten": list(codes), "opgehaald": opgehaald,
            "bron": f"{scheme}://{host}", "filter": region_filter(codes)}
    _write_cache(path, data, meta)
    return KwbResult(data=data, jaar=int(jaar), table_id=table, gemeenten=codes, cache_file=path,
                     opgehaald=opgehaald)


def _cache_or_raise(
    cached: KwbResult | None, host: str, label: str, reason: str, error: Exception
) -> KwbResult:
    """CBS could not be reached: the cached result with a note, or CbsOfflineError."""
    message = f"Kan CBS ({host}) niet bereiken: {reason} ({type(error).__name__})."
    if cached is None:
        raise CbsOfflineError(
            f"{message} Er is nog geen cache voor {label}; probeer het opnieuw met internetverbinding."
        ) from error
    melding = (
        f"{message} De gegevens voor {label} komen uit de cache van "
        f"{cached.opgehaald or 'onbekende datum'}; de bestaande cache is niet aangeraakt."
    )
    log.warning(melding)
    return KwbResult(
        data=cached.data, jaar=cached.jaar, table_id=cached.table_id, gemeenten=cached.gemeenten,
        cache_file=cached.cache_file, opgehaald=cached.opgehaald, from_cache=True, melding=melding,
    )
