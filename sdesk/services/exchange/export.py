"""Export the database as exchange format v1 (DESIGN section 3): one CSV file per FileSpec.

UTF-8 with BOM (so Excel shows accents), separator ";", decimal comma, dates YYYY-MM-DD,
euros with two decimals, quoting as the csv module does it (only fields holding ";", a quote
or a line break). `sdesk import` reads back exactly the same data, surrogate ids aside.

Speed: SQLite formats every field and joins each line itself, so Python only moves one
string per row; a million claim lines take a few seconds and memory stays flat.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import DBAPICursor

from sdesk.services.exchange.format import FILES, FILES_BY_NAME
from sdesk.services.platform.sqlite import driver_connection

ProgressFn = Callable[[float, str], None]

FETCH_ROWS = 50_000
SEPARATOR = ";"
LINE_END = "\r\n"

# Columns holding euros (stored as cents) and columns holding decimal numbers.
MONEY_COLUMNS = frozenset({"tarief", "budget", "bedrag", "prijs", "prognose"})
NUMBER_COLUMNS = frozenset({"volume", "fte", "aantal", "percentage", "nieuw_volume"})

# Per file: the SQL expression of each FileSpec column (same order) and the FROM clause.
SOURCES: dict[str, tuple[tuple[str, ...], str]] = {
    "huishoudens": (("external_id", "wijk", "postcode", "composition"),
                    "FROM household ORDER BY id"),
    "personen": (("p.external_id", "h.external_id", "p.birth_date", "p.bsn", "p.last_name",
                  "p.first_name", "p.gender"),
                 "FROM person p JOIN household h ON h.id = p.household_id ORDER BY p.id"),
    "medewerkers": (("e.external_id", "e.name", "e.role", "t.name", "e.fte", "e.account"),
                    "FROM employee e LEFT JOIN team t ON t.id = e.team_id ORDER BY e.id"),
    "tarieven": (("law", "product_code", "valid_from", "cents", "valid_to", "unit"),
                 "FROM tariff ORDER BY law, product_code, valid_from"),
    "toewijzingen": (
        ("a.toewijzingnummer", "p.external_id", "a.law", "a.category", "a.start_date",
         "a.product_code", "a.description", "a.provider", "a.referrer", "a.delivery_form",
         "a.provision_kind", "a.end_date", "a.volume", "a.unit", "a.frequency", "a.tariff_cents",
         "a.budget_cents", "e.external_id", "a.change_reason", "a.end_reason"),
        "FROM allocation a JOIN person p ON p.id = a.person_id "
        "LEFT JOIN employee e ON e.id = a.employee_id ORDER BY a.id"),
    # Rejected lines are no realisation and the format has no column for them: left out.
    "declaraties": (
        ("a.toewijzingnummer", "a.law", "c.period_start", "c.period_end", "c.amount_cents",
         "c.claim_key", "c.volume"),
        "FROM claim c JOIN allocation a ON a.id = c.allocation_id WHERE NOT c.rejected "
        "ORDER BY c.id"),
    "beoordelingen": (
        ("a.toewijzingnummer", "a.law", "r.review_date", "r.decision",
         "COALESCE(e.external_id, ae.external_id)", "r.new_volume", "r.new_end_date",
         "r.notes", "r.new_product_code"),
        "FROM review r JOIN allocation a ON a.id = r.allocation_id "
        "LEFT JOIN employee e ON e.id = r.employee_id "
        "LEFT JOIN employee ae ON ae.id = a.employee_id ORDER BY r.id"),
    "begroting": (("year", "name", "amount_cents", "law", "categories", "delivery_form",
                   "forecast_cents", "CASE WHEN subtotal THEN 'ja' ELSE 'nee' END"),
                  "FROM budget_line ORDER BY year, id"),
    "kostenkaart": (("name", "unit", "price_cents", "payer", "year", "source"),
                    "FROM cost_map_item ORDER BY id"),
    "interventies": (
        ("h.external_id", "i.payer", "i.description", "p.external_id", "m.name", "i.quantity",
         "i.amount_cents", "i.period_start", "i.period_end"),
        "FROM intervention i JOIN household h ON h.id = i.household_id "
        "LEFT JOIN person p ON p.id = i.person_id "
        "LEFT JOIN cost_map_item m ON m.id = i.cost_map_item_id ORDER BY i.id"),
    "inwoners": (("year", "age_band", "count"), "FROM inhabitants ORDER BY year, age_band"),
    "prijsindex": (("year", "law", "percentage"), "FROM price_index ORDER BY year, law"),
}

_COUNTS = {"declaraties": "SELECT COUNT(*) FROM claim WHERE NOT rejected",
           "toewijzingen": "SELECT COUNT(*) FROM allocation"}
# Rough share of the export time per file, for the progress bar.
_WEIGHT = {"declaraties": 0.75, "toewijzingen": 0.1}


def _text_sql(expr: str) -> str:
    """As the csv module writes it: quoted (quotes doubled) only when it must be."""
    needs_quotes = (f"instr({expr}, '{SEPARATOR}') + instr({expr}, '\"') "
                    f"+ instr({expr}, char(10)) + instr({expr}, char(13)) > 0")
    return (f"CASE WHEN {expr} IS NULL THEN '' "
            f"WHEN {needs_quotes} THEN '\"' || replace({expr}, '\"', '\"\"') || '\"' "
            f"ELSE CAST({expr} AS TEXT) END")


def _money_sql(expr: str) -> str:
    """Cents to euros with a decimal comma, in integer arithmetic: -123456 -> "-1234,56".

    SQLite's % keeps the sign of the dividend, so 100 +/- remainder gives the two digits.
    """
    return (f"CASE WHEN {expr} IS NULL THEN '' "
            f"WHEN {expr} >= 0 THEN ({expr} / 100) || ',' || substr(100 + {expr} % 100, -2) "
            f"ELSE '-' || (-{expr} / 100) || ',' || substr(100 - {expr} % 100, -2) END")


def _number_sql(expr: str) -> str:
    """Shortest text that reads back as the same float, decimal comma: 2.5 -> "2,5", 3.0 -> "3".

    SQLite renders a REAL with 15 significant digits; when that does not read back as the
    same value, 17 digits do.
    """
    text = f"CAST({expr} AS TEXT)"
    short = (f"CASE WHEN {text} LIKE '%.0' THEN substr({text}, 1, length({text}) - 2) "
             f"ELSE {text} END")
    exact = (f"CASE WHEN CAST({text} AS REAL) = {expr} THEN {short} "
             f"ELSE printf('%!.17g', {expr}) END")
    return (f"CASE WHEN {expr} IS NULL THEN '' WHEN typeof({expr}) = 'integer' THEN {text} "
            f"ELSE replace({exact}, '.', ',') END")


def line_sql(name: str) -> str:
    """The SELECT that yields one finished CSV line (without line end) per row of a file."""
    spec = FILES_BY_NAME[name]
    exprs, source = SOURCES[name]
    if len(exprs) != len(spec.columns):
        raise ValueError(f"export of {name}: {len(exprs)} expressions for "
                         f"{len(spec.columns)} columns")
    fields = [_money_sql(e) if c in MONEY_COLUMNS else _number_sql(e) if c in NUMBER_COLUMNS
              else _text_sql(e) for c, e in zip(spec.columns, exprs, strict=True)]
    return f"SELECT {f' || {SEPARATOR!r} || '.join(f'({f})' for f in fields)} {source}"


def _write_file(cursor: DBAPICursor, name: str, path: Path, report: Callable[[int], None]) -> int:
    spec = FILES_BY_NAME[name]
    cursor.execute(line_sql(name))
    rows = 0
    tmp = path.with_name(path.name + ".tmp")
    # utf-8-sig writes the BOM; newline="" keeps our CRLF as it is.
    with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write(SEPARATOR.join(spec.columns) + LINE_END)
        while True:
            chunk = cursor.fetchmany(FETCH_ROWS)
            if not chunk:
                break
            fh.write(LINE_END.join([row[0] for row in chunk]))
            fh.write(LINE_END)
            rows += len(chunk)
            report(rows)
    os.replace(tmp, path)
    return rows


def export_exchange(engine: Engine, out_dir: Path, progress: ProgressFn | None = None
                    ) -> dict[str, int]:
    """Write every exchange-format file as `<name>.csv` in out_dir; returns rows per file."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with engine.connect() as conn:
        raw = driver_connection(conn)
        cursor = raw.cursor()
        try:
            # One read transaction: all files show the same moment even if someone writes.
            cursor.execute("BEGIN")
            totals = {name: int(cursor.execute(sql).fetchone()[0])
                      for name, sql in _COUNTS.items()}
            done = 0.0
            for spec in FILES:
                weight = _WEIGHT.get(spec.name, (1 - sum(_WEIGHT.values()))
                                     / (len(FILES) - len(_WEIGHT)))
                total = totals.get(spec.name, 0)
                message = f"Exporteren: {spec.name}.csv"

                def report(rows: int, base: float = done, w: float = weight,
                           t: int = total, m: str = message) -> None:
                    if progress is not None:
                        progress(min(1.0, base + w * (rows / t if t else 1.0)), m)

                report(0)
                counts[spec.name] = _write_file(cursor, spec.name, out_dir / f"{spec.name}.csv",
                                                report)
                done += weight
        finally:
            cursor.close()
            if raw.in_transaction:
                raw.rollback()
    if progress is not None:
        progress(1.0, "Export voltooid")
    return counts
