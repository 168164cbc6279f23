"""Dutch number formats (€ 1.234, 12,5%) and the "geen gegevens" text, defined once."""

from __future__ import annotations

import math

from gka_dash import indicators

MISSING_TEXT = "geheim/onbekend"
NO_DATA_TEXT = "geen gegevens"


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, decimals: int = 0) -> str:
    """1234567.891 -> '1.234.567,9' (decimals=1); NaN -> 'geheim/onbekend'."""
    if _is_missing(value):
        return MISSING_TEXT
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def euro(value, decimals: int = 0) -> str:
    return MISSING_TEXT if _is_missing(value) else f"€ {number(value, decimals)}"


def percent(value, decimals: int = 1) -> str:
    return MISSING_TEXT if _is_missing(value) else f"{number(value, decimals)}%"


def indicator_value(indicator_id: str, value, unit: str | None = None) -> str:
    """Format a value the way its catalogue entry says (unit and decimals)."""
    ind = indicators.CATALOGUE.get(indicator_id)
    if ind is None:
        text = number(value, 1)
        return text if _is_missing(value) or not unit else f"{text} {unit}"
    if ind.unit == "pct":
        return percent(value, ind.decimals)
    if ind.unit == "x1000_eur":
        return MISSING_TEXT if _is_missing(value) else f"€ {number(value, ind.decimals)} × 1.000"
    if ind.unit == "eur":
        return euro(value, ind.decimals)
    text = number(value, ind.decimals)
    if _is_missing(value) or ind.unit in ("aantal", "klasse"):
        return text
    return f"{text} {ind.unit_label}"
