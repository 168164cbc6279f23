"""An agenda's target areas, placed on a map level (wijk or buurt).

CBS codes nest (GM0546 > WK054605 > BU05460501), so a named wijk covers its buurten at buurt
level, and a named buurt lies in a wijk at wijk level (that wijk is then *partly* a target area).
Pure: the agenda tables and the areas of a level in, frames out.
"""

from __future__ import annotations

import pandas as pd

TARGET_COLUMNS = [
    "interventie_id", "interventie", "gebiedscode", "gebiedsnaam", "matching", "rol", "gebied_onbepaald",
    "bron_citaat", "toelichting",
]
LEVEL_COLUMNS = ["code", "naam", "relatie", "gebiedscode", "gebiedsnaam", "matching", "rol", "interventies"]

RELATIE_ZELF = "genoemd gebied"
RELATIE_BINNEN = "ligt in een genoemde wijk"
RELATIE_DEELS = "bevat een genoemde buurt"

_PREFIX = {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}
_LENGTH = {"GM": 6, "WK": 8, "BU": 10}


def for_gemeente(doelgebieden: pd.DataFrame, interventies: pd.DataFrame, gemeente_code: str) -> pd.DataFrame:
    """All doelgebieden rows of a gemeente's interventions, with the intervention's name.

    Includes ``hele_gemeente`` rows (the agenda names no area); see :func:`named_areas` for the rest.
    """
    frame = doelgebieden.merge(
        interventies[["interventie_id", "naam"]].rename(columns={"naam": "interventie"}), on="interventie_id",
        how="left",
    )
    mine = frame["gebiedscode"].astype(str).str.slice(2, 6) == gemeente_code[2:6]
    return frame.loc[mine, TARGET_COLUMNS].reset_index(drop=True)


def named_areas(targets: pd.DataFrame) -> pd.DataFrame:
    """The rows naming a wijk or buurt (not the whole gemeente)."""
    return targets[targets["gebiedscode"].str.match(r"^(WK|BU)")].reset_index(drop=True)


def at_level(targets: pd.DataFrame, areas: pd.DataFrame, niveau: str) -> pd.DataFrame:
    """Areas of ``niveau`` that are (in) a named target area, one row per area and named area.

    Args:
        targets: rows from :func:`for_gemeente`.
        areas: the areas of the level (``code``, ``naam``), e.g. ``facts.areas(gemeente, niveau)``.
        niveau: 'wijk' or 'buurt' ('gemeente' yields nothing: there is nothing to outline).

    Returns:
        Columns :data:`LEVEL_COLUMNS`; ``relatie`` says how the area relates to the named one and
        ``interventies`` lists the interventions naming it.
    """
    named = named_areas(targets)
    if niveau not in ("wijk", "buurt") or named.empty:
        return pd.DataFrame(columns=LEVEL_COLUMNS)
    length = _LENGTH[_PREFIX[niveau]]
    rows = []
    for (code, naam, matching, rol), group in named.groupby(
        ["gebiedscode", "gebiedsnaam", "matching", "rol"], sort=False, dropna=False,
    ):
        key = code[2:]
        if len(code) == length:  # same level
            hits, relatie = areas[areas["code"] == code], RELATIE_ZELF
        elif len(code) < length:  # a wijk named, its buurten at buurt level
            hits, relatie = areas[areas["code"].str[2:].str.startswith(key)], RELATIE_BINNEN
        else:  # a buurt named, its wijk at wijk level
            hits, relatie = areas[areas["code"].str[2:] == key[: length - 2]], RELATIE_DEELS
        interventies = "; ".join(dict.fromkeys(group["interventie"].fillna(group["interventie_id"])))
        for area in hits.itertuples(index=False):
            rows.append({
                "code": area.code, "naam": area.naam, "relatie": relatie, "gebiedscode": code, "gebiedsnaam": naam,
                "matching": matching, "rol": rol, "interventies": interventies,
            })
    return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


def outline_codes(level_targets: pd.DataFrame) -> list[str]:
    """Distinct area codes to outline on the map."""
    return list(dict.fromkeys(level_targets["code"]))
