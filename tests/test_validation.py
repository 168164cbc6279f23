"""Upload validation: real-world dialects are read; every malformed file is rejected with a Dutch report."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from gka_dash import agenda, paths, validation
from gka_dash.validation import column_decimal, parse_number, read_table, validate

CORPUS = Path(__file__).parent / "data" / "uploads"
EXPECTED_FACTS = pd.DataFrame({
    "code": ["WK054600", "WK054601", "WK054603", "GM0546"],
    "indicator": ["vve_bereik_pct", "vve_bereik_pct", "vve_bereik_pct", "leerlingen_po"],
    "jaar": [2023, 2023, 2023, 2023],
    "waarde": [61.5, 58.25, 72.0, 11245.0],
    "eenheid": ["pct", "pct", "pct", "aantal"],
})


def _run(name: str, kind: str = "indicator", jaar: int | None = None):
    return validate(kind, [(name, (CORPUS / name).read_bytes())], jaar=jaar)


@pytest.mark.parametrize("name", ["ok_puntkomma_bom.csv", "ok_komma.csv", "ok_tab.tsv", "ok_cp1252.csv", "ok.xlsx"])
def test_good_files_in_every_dialect_give_the_same_facts(name):
    result = _run(name)
    assert result.ok, [p.line() for p in result.problems]
    got = result.facts[EXPECTED_FACTS.columns].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, EXPECTED_FACTS, check_dtype=False)


def test_quoted_field_with_delimiter_and_quotes_is_kept():
    result = _run("ok_puntkomma_bom.csv")
    assert result.facts["bron"].iloc[3] == 'Testbestand gka-dash; "geen" echte meting; Leiden'


def test_cp1252_text_is_decoded():
    result = _run("ok_cp1252.csv")
    assert result.facts["bron"].iloc[0].endswith("— café-overleg")


# file, expected (row, column, words in the reason) — every listed problem must be reported
CASES = {
    "fout_scheidingsteken.csv": [(1, "gebiedscode", "scheidingsteken")],
    "fout_kolom_ontbreekt.csv": [(1, "bron", "verplichte kolom 'bron' ontbreekt")],
    "fout_onbekende_code.csv": [(3, "gebiedscode", "bestaat niet")],
    "fout_negatief.csv": [(3, "waarde", "negatieve")],
    "fout_tekst_in_getal.csv": [(3, "waarde", "geen getal")],
    "fout_dubbele_rijen.csv": [(2, "gebiedscode, indicator, jaar", "vaker voor"),
                               (4, "gebiedscode, indicator, jaar", "vaker voor")],
    "fout_leeg.csv": [(None, None, "leeg")],
    "fout_alleen_kopregel.csv": [(None, None, "geen gegevensrijen")],
    "fout_binair.csv": [(None, None, "geen tekstbestand")],
    "fout_lange_regel.csv": [(3, None, "langer dan")],
    "fout_rafelige_rij.csv": [(3, None, "7 velden")],
    "fout_jaar.csv": [(2, "jaar", "niet aannemelijk"), (3, "jaar", "geen jaartal")],
    "fout_oud_excel.xls": [(None, None, ".xls")],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_is_rejected_with_row_column_and_reason(name):
    result = _run(name)
    assert not result.ok and result.facts is None
    for rij, kolom, words in CASES[name]:
        hits = [p for p in result.problems if p.rij == rij and p.kolom == kolom and words in p.reden]
        assert hits, f"{name}: expected ({rij}, {kolom}, {words!r}) in {[p.line() for p in result.problems]}"
    assert all(p.bestand == name for p in result.problems)


def test_problem_line_format_and_value():
    problem = next(p for p in _run("fout_tekst_in_getal.csv").problems if p.kolom == "waarde")
    assert problem.line() == "fout_tekst_in_getal.csv:3:waarde: is geen getal; schrijf bijvoorbeeld 12,5 of 1.234 (waarde 'veel')"
    frame = validation.problems_frame([problem])
    assert frame.columns.tolist() == ["bestand", "rij", "kolom", "waarde", "reden"]
    assert frame.iloc[0]["rij"] == 3


def test_several_problems_gathered_before_rejecting():
    text = ("gebiedscode;jaar;indicator;waarde;eenheid;bron\n"
            "WK054600;2024;eigen_indicator;1;;bron\n"      # own id without unit
            "WK054601;2024;aandeel_0_15_pct;10;;bron\n"    # derived share
            "WK054602;2024;koopwoningen_pct;120;;bron\n"   # percent above 100
            "WK054603;2024;inwoners;5;pct;bron\n"          # unit differs from catalogue
            "WK054604;2024;Vve Bereik;5;pct;bron\n")       # malformed id
    result = validate("indicator", [("veel.csv", text.encode())])
    got = {(p.rij, p.kolom) for p in result.problems}
    assert got == {(2, "eenheid"), (3, "indicator"), (4, "waarde"), (5, "eenheid"), (6, "indicator")}


@pytest.mark.parametrize("text,decimal,expected", [
    ("1.234,5", ",", 1234.5), ("1234,5", ",", 1234.5), ("1.234.567", ",", 1234567.0), ("12", ",", 12.0),
    ("1,234.5", ".", 1234.5), ("0.25", ".", 0.25), ("€ 25.000", ",", 25000.0), ("-3,5", ",", -3.5),
    (" 7 ", ".", 7.0), ("1.2.3", ",", None), ("12,3,4", ",", None), ("abc", ".", None), ("1e400", ".", None),
])
def test_parse_number(text, decimal, expected):
    assert parse_number(text, decimal) == expected


def test_parse_number_empty_is_nan_not_zero():
    assert pd.isna(parse_number("", ","))


@pytest.mark.parametrize("values,default,expected", [
    (["1,5", "2"], ".", ","), (["1.5", "2"], ",", "."), (["1.234", "5"], ",", ","), (["1.234"], ".", "."),
    (["0.500"], ",", "."), (["1.234,5"], ".", ","),
])
def test_column_decimal(values, default, expected):
    assert column_decimal(pd.Series(values), default) == expected


def test_row_numbers_skip_blank_lines_like_a_spreadsheet():
    text = "gebiedscode;jaar;indicator;waarde;eenheid;bron\n\nWK054600;2024;inwoners;-1;;b\n"
    result = validate("indicator", [("blank.csv", text.encode())])
    assert [(p.rij, p.kolom) for p in result.problems] == [(3, "waarde")]


def test_xlsx_row_numbers_and_text_cells():
    book = openpyxl.Workbook()
    book.active.append(list(validation.INDICATOR_COLUMNS))
    book.active.append(["WK054600", 2024, "inwoners", 10, None, "b"])
    book.active.append(["WK054600", 2024, "inwoners", "tien", None, "b"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = validate("indicator", [("x.xlsx", buffer.getvalue())])
    assert {(p.rij, p.kolom) for p in result.problems} >= {(3, "waarde")}


def test_size_limit(monkeypatch):
    monkeypatch.setenv("GKA_DASH_MAX_UPLOAD_MB", "0.0001")
    result = _run("ok_komma.csv")
    assert not result.ok and "te groot" in result.problems[0].reden


def test_read_table_reports_dialect():
    table, problems = read_table((CORPUS / "ok_cp1252.csv").read_bytes(), "ok_cp1252.csv")
    assert not problems and "Windows-1252" in table.description and "puntkomma" in table.description


# --------------------------------------------------------------------------- kwb
def test_kwb_export_becomes_facts_with_upload_source():
    result = _run("kwb_leiden_2024.csv", "kwb", jaar=2025)
    assert result.ok, [p.line() for p in result.problems]
    facts = result.facts
    inwoners = facts[(facts.code == "GM0546") & (facts.indicator == "inwoners")]
    assert inwoners["waarde"].tolist() == [130108.0]
    assert set(facts["jaar"]) == {2025}
    assert set(facts["bron"]) == {"CBS KWB 2025 (upload kwb_leiden_2024.csv)"}
    assert set(facts["indicator"]) >= {"inwoners", "mannen", "vrouwen", "kinderen_0_15"}
    assert any("Genegeerde kolommen" in note for note in result.notes)


def test_kwb_secret_dot_is_nan_not_zero():
    text = (CORPUS / "kwb_leiden_2024.csv").read_text(encoding="utf-8-sig").splitlines()
    cells = text[2].split(";")
    cells[6] = "."
    text[2] = ";".join(cells)
    result = validate("kwb", [("k.csv", "\n".join(text).encode())], jaar=2024)
    assert result.ok
    code = cells[3].strip('" ')
    mannen = result.facts[(result.facts.code == code) & (result.facts.indicator == "mannen")]["waarde"]
    assert mannen.isna().all() and len(mannen) == 1


def test_kwb_text_in_number_is_reported():
    result = _run("fout_kwb_tekst.csv", "kwb", jaar=2024)
    assert [(p.rij, p.kolom, p.waarde) for p in result.problems] == [(4, "Bevolking/Aantal inwoners (aantal)", "veel")]


def test_kwb_without_code_column():
    result = _run("fout_kwb_zonder_code.csv", "kwb", jaar=2024)
    assert not result.ok and "Codering" in result.problems[0].reden


@pytest.mark.parametrize("jaar", [None, 1800, 2999])
def test_kwb_needs_a_plausible_year(jaar):
    result = _run("kwb_leiden_2024.csv", "kwb", jaar=jaar)
    assert not result.ok and "jaar" in result.problems[0].reden.lower()


# --------------------------------------------------------------------------- agenda
def _agenda_csv_files(agenda_id: str = "GM0361-2019") -> list[tuple[str, bytes]]:
    """The real tables of one agenda from data/agenda, each as its own CSV upload."""
    data = agenda.load_agenda()
    tables = {name: pd.read_csv(paths.AGENDA_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
              for name in agenda.TABLE_NAMES}
    gm = agenda_id[:6]
    interventies = set(tables["interventies"].loc[tables["interventies"].agenda_id == agenda_id, "interventie_id"])
    assert interventies and data is not None
    keep = {
        "gemeenten": tables["gemeenten"].gemeente_code == gm,
        "agendas": tables["agendas"].agenda_id == agenda_id,
        "interventies": tables["interventies"].agenda_id == agenda_id,
        "begroting": tables["begroting"].agenda_id == agenda_id,
        "doelgebieden": tables["doelgebieden"].interventie_id.isin(interventies),
        "scholen": tables["scholen"].interventie_id.isin(interventies),
        "afspraken": tables["afspraken"].agenda_id == agenda_id,
    }
    return [(f"{name}.csv", tables[name][mask].to_csv(index=False, sep=";").encode("utf-8"))
            for name, mask in keep.items()]


def test_agenda_csv_package_is_accepted():
    result = validate("agenda", _agenda_csv_files())
    assert result.ok, [p.line() for p in result.problems]
    assert result.tables["agendas"]["agenda_id"].tolist() == ["GM0361-2019"]
    assert len(result.tables["begroting"]) > 0


def test_agenda_workbook_is_accepted():
    files = _agenda_csv_files()
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, data in files:
            pd.read_csv(io.BytesIO(data), sep=";", dtype=str, keep_default_na=False).to_excel(
                writer, sheet_name=name[:-4], index=False)
    result = validate("agenda", [("agenda.xlsx", buffer.getvalue())])
    assert result.ok, [p.line() for p in result.problems]


def test_agenda_negative_amount_reports_the_files_row():
    files = dict(_agenda_csv_files())
    begroting = pd.read_csv(io.BytesIO(files["begroting.csv"]), sep=";", dtype=str, keep_default_na=False)
    row = begroting.index[begroting["bedrag_eur"].ne("")][0]
    begroting.loc[row, "bedrag_eur"] = "-25.000,50"
    files["begroting.csv"] = begroting.to_csv(index=False, sep=";").encode()
    result = validate("agenda", list(files.items()))
    assert not result.ok
    hits = [p for p in result.problems if p.bestand == "begroting.csv" and p.kolom == "bedrag_eur"]
    assert hits and hits[0].rij == row + 2 and "negatief" in hits[0].reden


def test_agenda_missing_table_and_bad_name():
    files = [f for f in _agenda_csv_files() if f[0] != "begroting.csv"] + [("overig.csv", b"a;b\n1;2\n")]
    result = validate("agenda", files)
    reasons = " ".join(p.reden for p in result.problems)
    assert "bestandsnaam" in reasons


# --------------------------------------------------------------------------- templates
@pytest.mark.parametrize("kind", validation.KINDS)
@pytest.mark.parametrize("fmt", validation.TEMPLATE_FORMATS)
def test_empty_template_is_rejected_for_having_no_rows_not_for_its_columns(kind, fmt):
    name, data = validation.template(kind, fmt)
    result = validate(kind, [(name, data)], jaar=2024)
    assert not result.ok
    reasons = " ".join(p.reden for p in result.problems)
    assert "ontbreekt" not in reasons or kind == "agenda", reasons
    if kind != "agenda":
        assert "geen gegevensrijen" in reasons


def test_filled_indicator_template_round_trips():
    name, data = validation.template("indicator", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["indicator", "toelichting"]
    book["indicator"].append(["WK054600", 2023, "vve_bereik_pct", 61.5, "pct", "Testbestand"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = validate("indicator", [(name, buffer.getvalue())])
    assert result.ok and result.facts["waarde"].tolist() == [61.5]


def test_filled_agenda_templates_round_trip():
    files = dict(_agenda_csv_files())
    name, data = validation.template("agenda", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    for table in agenda.TABLE_NAMES:
        frame = pd.read_csv(io.BytesIO(files[f"{table}.csv"]), sep=";", dtype=str, keep_default_na=False)
        assert [c.value for c in book[table][1]] == frame.columns.tolist()
        for row in frame.itertuples(index=False):
            book[table].append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    assert validate("agenda", [(name, buffer.getvalue())]).ok
    zipped = io.BytesIO()
    import zipfile
    with zipfile.ZipFile(zipped, "w") as archive:
        for file_name, content in files.items():
            archive.writestr(f"agenda/{file_name}", content)
    result = validate("agenda", [("agenda.zip", zipped.getvalue())])
    assert result.ok, [p.line() for p in result.problems]


def test_kwb_template_headers_are_understood_by_statline():
    _, data = validation.template("kwb", "csv")
    import csv
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    row = ["Leiden", "GM0546"] + ["1"] * (len(header) - 2)
    result = validate("kwb", [("k.csv", data + (";".join(row) + "\r\n").encode())], jaar=2024)
    assert result.ok, [p.line() for p in result.problems]
    assert not any("Genegeerde" in n for n in result.notes)


# --------------------------------------------------------------------------- arbitrary bytes
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PREFIXES = [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"gebiedscode;jaar;indicator;waarde;eenheid;bron\r\n"]


@settings(max_examples=80, deadline=None)
@given(prefix=st.sampled_from(_PREFIXES), body=st.binary(max_size=3000), kind=st.sampled_from(validation.KINDS))
def test_arbitrary_bytes_never_crash_and_are_rejected_with_a_reason(prefix, body, kind):
    result = validate(kind, [("rommel.csv", prefix + body)], jaar=2024)
    assert not result.ok
    assert all(p.reden and p.bestand for p in result.problems)


def test_zip_that_is_not_a_workbook_is_reported():
    result = validate("indicator", [("x.xlsx", b"PK\x03\x04" + b"\x00" * 100)])
    assert not result.ok and "Excel" in result.problems[0].reden
