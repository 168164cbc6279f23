"""Labels for indicator ids, including analysts' own indicators that the catalogue does not know."""

from __future__ import annotations

from gka_dash import indicators


def indicator_label(indicator_id: str, units: dict[str, str] | None = None) -> str:
    ind = indicators.CATALOGUE.get(indicator_id)
    if ind is not None:
        return ind.label
    unit = (units or {}).get(indicator_id)
    name = indicator_id.replace("_", " ")
    return f"{name} (eigen indicator{', ' + unit if unit else ''})"


def indicator_unit(indicator_id: str, units: dict[str, str] | None = None) -> str:
    ind = indicators.CATALOGUE.get(indicator_id)
    return ind.unit_label if ind is not None else (units or {}).get(indicator_id, "")
