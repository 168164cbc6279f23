"""Write the upload corpus in this folder (run once; the files are committed).

Real codes and figures: Leiden wijken (KWB 2024), rows of the real StatLine export in
../shared/cbs/kwb. Each malformed file breaks one thing; tests/test_validation.py lists what
the report must say about it.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
KWB = Path(__file__).resolve().parents[4] / "shared" / "cbs" / "kwb" / "Kerncijfers_wijken_en_buurten_2024_geslachten.csv"
HEADER = ["gebiedscode", "jaar", "indicator", "waarde", "eenheid", "bron"]
# Leiden wijken with a made-up-free, clearly labelled own indicator (its values are test inputs).
ROWS = [
    ["WK054600", "2023", "vve_bereik_pct", "61,5", "pct", "Testbestand gka-dash; geen echte meting"],
    ["WK054601", "2023", "vve_bereik_pct", "58,25", "pct", "Testbestand gka-dash; geen echte meting"],
    ["WK054603", "2023", "vve_bereik_pct", "72", "pct", "Testbestand gka-dash; geen echte meting"],
    ["GM0546", "2023", "leerlingen_po", "11.245", "aantal", "Testbestand gka-dash; \"geen\" echte meting; Leiden"],
]


def _csv(rows, sep=";", quote_all=False) -> str:
    def cell(v):
        v = str(v)
        if quote_all or sep in v or '"' in v or "\n" in v:
            return '"' + v.replace('"', '""') + '"'
        return v
    return "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"


def write(name: str, data: bytes | str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(data if isinstance(data, bytes) else data.encode(encoding))


def main() -> None:
    good = [HEADER] + ROWS
    write("ok_puntkomma_bom.csv", "\ufeff" + _csv(good, ";", quote_all=True))
    write("ok_komma.csv", _csv([HEADER] + [[r[0], r[1], r[2], r[3].replace(".", "").replace(",", "."), r[4], r[5]]
                                          for r in ROWS], ","))
    write("ok_tab.tsv", _csv(good, "\t"))
    cp = [HEADER] + [r[:5] + ["Gemeente Leiden, afdeling Onderwijs & Jeugd — café-overleg"] for r in ROWS]
    write("ok_cp1252.csv", _csv(cp, ";"), encoding="cp1252")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "indicator"
    sheet.append(HEADER)
    for r in ROWS:
        number = float(r[3].replace(".", "").replace(",", "."))
        sheet.append([r[0], int(r[1]), r[2], number, r[4], r[5]])
    buffer = io.BytesIO()
    book.save(buffer)
    write("ok.xlsx", buffer.getvalue())

    write("fout_scheidingsteken.csv", _csv(good, "|"))
    write("fout_kolom_ontbreekt.csv", _csv([[h for h in HEADER if h != "bron"]] + [r[:5] for r in ROWS], ";"))
    write("fout_onbekende_code.csv", _csv([HEADER, ROWS[0], ["WK054699"] + ROWS[1][1:], ROWS[2]], ";"))
    write("fout_negatief.csv", _csv([HEADER, ROWS[0], ROWS[1][:3] + ["-4"] + ROWS[1][4:]], ";"))
    write("fout_tekst_in_getal.csv", _csv([HEADER, ROWS[0], ROWS[1][:3] + ["veel"] + ROWS[1][4:]], ";"))
    write("fout_dubbele_rijen.csv", _csv([HEADER, ROWS[0], ROWS[1], ROWS[0]], ";"))
    write("fout_leeg.csv", b"")
    write("fout_alleen_kopregel.csv", _csv([HEADER], ";"))
    rng = random.Random(5)
    write("fout_binair.csv", bytes(rng.randrange(256) for _ in range(4096)))
    write("fout_lange_regel.csv", _csv([HEADER, ROWS[0], ROWS[1][:5] + ["x" * 150_000]], ";"))
    write("fout_rafelige_rij.csv", _csv([HEADER, ROWS[0], ROWS[1] + ["extra"]], ";"))
    write("fout_jaar.csv", _csv([HEADER, ["WK054600", "1850"] + ROWS[0][2:], ["WK054601", "twintig"] + ROWS[1][2:]], ";"))
    write("fout_oud_excel.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)

    lines = KWB.read_text(encoding="utf-8-sig").splitlines()
    leiden = [lines[0]] + [line for line in lines[1:] if '"Leiden ' in line.split(";")[1]]
    write("kwb_leiden_2024.csv", "\ufeff" + "\r\n".join(leiden) + "\r\n")
    broken = list(leiden)
    cells = broken[3].split(";")
    cells[5] = '"veel"'
    broken[3] = ";".join(cells)
    write("fout_kwb_tekst.csv", "\ufeff" + "\r\n".join(broken) + "\r\n")
    no_code = [";".join(c for i, c in enumerate(line.split(";")) if i != 3) for line in leiden]
    write("fout_kwb_zonder_code.csv", "\ufeff" + "\r\n".join(no_code) + "\r\n")


if __name__ == "__main__":
    main()
