import math

import pytest

from gka_dash import formatting


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1234, 0, "1.234"), (1234567.891, 1, "1.234.567,9"), (12.5, 1, "12,5"), (0, 0, "0"), (-1500, 0, "-1.500")],
)
def test_number_uses_dutch_separators(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_missing_is_never_zero():
    assert formatting.number(math.nan) == "geheim/onbekend"
    assert formatting.euro(None) == "geheim/onbekend"


def test_euro_and_percent():
    assert formatting.euro(1234) == "€ 1.234"
    assert formatting.percent(12.5) == "12,5%"


def test_indicator_value_follows_catalogue():
    assert formatting.indicator_value("aandeel_0_15_pct", 11.754) == "11,8%"
    assert formatting.indicator_value("inwoners", 130108) == "130.108"
    assert formatting.indicator_value("woz_waarde_x1000_eur", 393) == "€ 393 × 1.000"
    assert formatting.indicator_value("eigen_meting", 3.25, "score") == "3,2 score"
