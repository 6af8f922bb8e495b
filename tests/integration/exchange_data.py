"""A small, readable exchange-format data set for import tests, and helpers to write it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

BASE: dict[str, list[list[str]]] = {
    "huishoudens": [
        ["huishouden_id", "wijk", "postcode", "samenstelling"],
        ["H1", "Centrum", "7551AB", "gezin met kinderen"],
        ["H2", "Noord", "7552 cd", "alleenstaand"],
    ],
    "personen": [
        ["persoon_id", "huishouden_id", "geboortedatum", "bsn", "achternaam", "voornaam",
         "geslacht"],
        ["P1", "H1", "2012-03-04", "999900006", "Jansen", "Piet", "M"],
        ["P2", "H1", "15-06-1980", "999999990", "Jansen", "Els", "V"],
        ["P3", "H2", "1950-01-31", "999999999", "Bakker", "An", "V"],
    ],
    "medewerkers": [
        ["medewerker_id", "naam", "rol", "team", "fte"],
        ["M1", "Sanne de Vries", "klantmanager", "Jeugd Noord", "0,8"],
    ],
    "tarieven": [
        ["wet", "productcode", "geldig_vanaf", "tarief", "geldig_tot", "eenheid"],
        ["wmo", "01A01", "2024-01-01", "34,50", "", "04"],
    ],
    "toewijzingen": [
        ["toewijzingnummer", "persoon_id", "wet", "productcategorie", "ingangsdatum",
         "einddatum", "productcode", "volume", "eenheid", "frequentie", "tarief", "budget",
         "verwijzer", "medewerker_id"],
        ["1001", "P1", "jeugd", "45", "2024-01-01", "2024-12-31", "45A48", "2", "04", "2",
         "78,00", "", "02", "M1"],
        ["2001", "P3", "wmo", "01", "2024-01-01", "", "01A01", "3", "04", "2", "", "", "01",
         ""],
        ["3001", "P2", "participatie", "bijstand", "2024-01-01", "", "", "1300", "83", "4", "",
         "", "", ""],
        ["1002", "P1", "jeugd", "48", "2024-01-01", "2024-06-30", "48A01", "", "", "", "",
         "6000,00", "04", ""],
    ],
    "declaraties": [
        ["declaratie_id", "toewijzingnummer", "wet", "periode_begin", "periode_eind", "bedrag",
         "volume"],
        ["D1", "1001", "jeugd", "2024-01-01", "2024-01-31", "624,00", "8"],
        ["D2", "2001", "wmo", "2024-01-01", "2024-01-31", "448,50", "13"],
        ["D3", "1001", "jeugd", "2024-02-01", "2024-02-29", "-78,00", "1"],
    ],
    "begroting": [
        ["jaar", "post", "bedrag", "wet", "productcategorieen", "leveringsvorm", "prognose"],
        ["2024", "Jeugd ambulant", "1000000", "jeugd", "45,54", "zin", ""],
        ["2024", "Eigen bijdrage Wmo", "-50000", "wmo", "", "", "-45000"],
    ],
    "kostenkaart": [
        ["item", "eenheid", "prijs", "financier", "jaar", "bron"],
        ["Politie-inzet melding", "per melding", "300", "politie", "2024", "Schatting"],
    ],
    "interventies": [
        ["huishouden_id", "financier", "omschrijving", "persoon_id", "kostenkaart_item",
         "aantal", "bedrag", "periode_begin", "periode_eind"],
        ["H1", "politie", "Meldingen overlast", "P1", "Politie-inzet melding", "4", "",
         "2024-01-01", "2024-12-31"],
        ["H1", "zorgverzekeraar", "GGZ-behandeling moeder", "P2", "", "", "4500",
         "2024-01-01", ""],
    ],
    "inwoners": [
        ["jaar", "leeftijdsgroep", "aantal"],
        ["2024", "0-17", "6000"],
        ["2024", "18-64", "18000"],
    ],
    "prijsindex": [
        ["jaar", "wet", "percentage"],
        ["2024", "jeugd", "3,5"],
    ],
}


def write_csv(folder: Path, name: str, rows: list[list[str]], sep: str = ";",
              encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    path.write_text("\n".join(sep.join(r) for r in rows) + "\n", encoding=encoding)
    return path


def write_folder(folder: Path, data: dict[str, list[list[str]]] | None = None) -> Path:
    for name, rows in (data or BASE).items():
        write_csv(folder, name, rows)
    return folder


def dump(db: Path) -> list[str]:
    """Every row of every table, as SQL text: equal dumps mean equal content."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def forge_zip_sizes(path: Path, size: int) -> None:
    """Let every entry of a zip's central directory claim `size` unpacked bytes, as a zip
    bomb's does (the data stays small, so a test never writes gigabytes)."""
    import struct

    data = bytearray(path.read_bytes())
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        data[pos + 24:pos + 28] = struct.pack("<I", size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))


def write_workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    """An .xlsx with one sheet per exchange file (openpyxl writes inline strings)."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def rewrite_member(path: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """Rewrite one file inside a zip (an .xlsx), keeping the others as they are."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        items = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items:
            archive.writestr(name, change(data) if name == member else data)
