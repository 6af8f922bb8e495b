"""The DuckDB reference of issue 17: what a column store does with the same claims.

    python benchmarks/duckdb_reference.py build DEMO.sqlite REFERENCE.duckdb
    python benchmarks/duckdb_reference.py query REFERENCE.duckdb YEAR

`build` copies the claims and allocations of an sdesk database into a DuckDB file. DuckDB's
sqlite scanner is an extension it downloads on first use, which an offline machine cannot, so
the tables are read with Python's sqlite3 in chunks and handed to DuckDB as pandas frames.
`query` is the reference itself, meant to run as a fresh process (benchmarks/fresh.py times
it): open the file and compute a whole year of claims per law and month, with the amount, the
claim lines and the distinct persons. DuckDB is a benchmark-only dependency (extra `bench`).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

CHUNK = 500_000  # rows per frame: keeps the copy's memory flat at the g4 preset

# (table, the columns read from SQLite, the DuckDB table and the insert that converts types).
# SQLite keeps dates as ISO text and booleans as 0/1.
TABLES = (
    ("allocation", "id, person_id, law, category, start_date, end_date",
     "CREATE TABLE allocation (id BIGINT, person_id BIGINT, law VARCHAR, category VARCHAR, "
     "start_date DATE, end_date DATE)",
     "INSERT INTO allocation SELECT id, person_id, law, category, CAST(start_date AS DATE), "
     "CAST(end_date AS DATE) FROM chunk"),
    ("claim", "id, allocation_id, period_start, period_end, amount_cents, rejected",
     "CREATE TABLE claim (id BIGINT, allocation_id BIGINT, period_start DATE, period_end DATE, "
     "amount_cents BIGINT, rejected BOOLEAN)",
     "INSERT INTO claim SELECT id, allocation_id, CAST(period_start AS DATE), "
     "CAST(period_end AS DATE), amount_cents, CAST(rejected AS BOOLEAN) FROM chunk"),
)

REFERENCE_QUERY = """
SELECT a.law,
       date_trunc('month', c.period_start) AS month,
       sum(c.amount_cents) AS amount_cents,
       count(*) AS claim_lines,
       count(DISTINCT a.person_id) AS persons
FROM claim c JOIN allocation a ON a.id = c.allocation_id
WHERE c.period_start >= make_date(?, 1, 1) AND c.period_start < make_date(? + 1, 1, 1)
  AND NOT c.rejected
GROUP BY ALL
ORDER BY 1, 2
"""


def build(sqlite_path: Path, duck_path: Path) -> dict[str, int]:
    """Copy the claims and allocations into a new DuckDB file; the row counts copied."""
    import duckdb
    import pandas as pd

    duck_path.unlink(missing_ok=True)
    source = sqlite3.connect(f"file:{sqlite_path}?mode=ro", uri=True)
    target = duckdb.connect(str(duck_path))
    counts: dict[str, int] = {}
    try:
        for table, columns, create, insert in TABLES:
            target.execute(create)
            cursor = source.execute(f"SELECT {columns} FROM {table}")  # noqa: S608 (constants)
            names = [c.strip() for c in columns.split(",")]
            copied = 0
            while rows := cursor.fetchmany(CHUNK):
                chunk = pd.DataFrame.from_records(rows, columns=names)
                target.register("chunk", chunk)
                target.execute(insert)
                target.unregister("chunk")
                copied += len(rows)
            expected = source.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
            if expected is None or expected[0] != copied:
                raise SystemExit(f"{table}: copied {copied} rows, SQLite has {expected}")
            counts[table] = copied
        target.execute("CHECKPOINT")
    finally:
        target.close()
        source.close()
    return counts


def query(duck_path: Path, year: int) -> tuple[list[tuple[Any, ...]], float]:
    """The reference: a whole year of claims per law and month, with distinct persons; the
    rows and the seconds the query itself took (without importing duckdb and opening)."""
    import duckdb

    con = duckdb.connect(str(duck_path), read_only=True)
    try:
        start = time.perf_counter()
        rows = con.execute(REFERENCE_QUERY, [year, year]).fetchall()
        return rows, time.perf_counter() - start
    finally:
        con.close()


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in {"build", "query"}:
        print(__doc__, file=sys.stderr)
        return 2
    start = time.perf_counter()
    if argv[0] == "build":
        counts = build(Path(argv[1]), Path(argv[2]))
        print(json.dumps({"seconds": time.perf_counter() - start, **counts}))
        return 0
    rows, query_seconds = query(Path(argv[1]), int(argv[2]))
    print(json.dumps({"seconds": time.perf_counter() - start, "query_seconds": query_seconds,
                      "rows": len(rows),
                      "claim_lines": sum(r[3] for r in rows),
                      "amount_cents": sum(r[2] for r in rows),
                      "laws": sorted({r[0] for r in rows})}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
