"""Shipped reference data: national codelists, Participatiewet categories, cost map defaults."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from sqlalchemy import Engine

PARTICIPATIE_CODELIST = "PW_CATEGORIE"


def _read_resource(name: str) -> list[dict[str, str]]:
    text = resources.files("sdesk.resources").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines(), delimiter=";"))


@cache
def shipped_codelists() -> dict[str, dict[str, str]]:
    """codelist -> code -> label, as shipped (national lists only)."""
    out: dict[str, dict[str, str]] = {}
    for row in _read_resource("codelists.csv"):
        out.setdefault(row["codelist"], {})[row["code"]] = row["label"]
    return out


def cost_map_defaults() -> list[dict[str, str]]:
    """The shipped default cost-map items, one dict per CSV row."""
    return _read_resource("kostenkaart.csv")


def ensure_reference_data(engine: Engine) -> None:
    """Insert missing codelist rows; seed Participatiewet categories and the cost map once."""
    national = [(cl, code, label, 0) for cl, codes in shipped_codelists().items()
                for code, label in codes.items()]
    participatie = [(PARTICIPATIE_CODELIST, r["code"], r["label"], 1)
                    for r in _read_resource("participatie_categories.csv")]
    with engine.connect() as conn:  # reading first: opening must not need the write lock
        present = {(cl, code) for cl, code in conn.exec_driver_sql(
            "SELECT codelist, code FROM codelist_entry").all()}
        has_pw = any(cl == PARTICIPATIE_CODELIST for cl, _ in present)
        has_items = conn.exec_driver_sql("SELECT 1 FROM cost_map_item LIMIT 1").first()
    if has_pw and has_items and all((cl, code) in present for cl, code, _, _ in national):
        return
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO codelist_entry (codelist, code, label, user_maintained) "
            "VALUES (?, ?, ?, ?)", national)
        pw_row = conn.exec_driver_sql(
            "SELECT 1 FROM codelist_entry WHERE codelist = ? LIMIT 1",
            (PARTICIPATIE_CODELIST,)).first()
        if pw_row is None:
            conn.exec_driver_sql(
                "INSERT INTO codelist_entry (codelist, code, label, user_maintained) "
                "VALUES (?, ?, ?, ?)", participatie)
        if not conn.exec_driver_sql("SELECT 1 FROM cost_map_item LIMIT 1").first():
            rows = [(r["item"], r["eenheid"], round(float(r["prijs"].replace(",", ".")) * 100),
                     int(r["jaar"]) if r["jaar"] else None, r["financier"], r["bron"])
                    for r in cost_map_defaults()]
            conn.exec_driver_sql(
                "INSERT INTO cost_map_item (name, unit, price_cents, year, payer, source) "
                "VALUES (?, ?, ?, ?, ?, ?)", rows)
