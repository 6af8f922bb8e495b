"""Performance harness (run by hand, not in the test suite).

    python benchmarks/run.py --size medium

Builds a demo municipality of the given preset, exports it as exchange format, imports that
into an empty database and prints a table of timings. Later capabilities add their rows here.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sdesk.services.db import open_database
from sdesk.services.demo import generate_demo
from sdesk.services.exchange_export import export_exchange
from sdesk.services.importer import import_sources


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: str, seed: int, workdir: Path) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    demo_db = workdir / f"demo-{size}.sqlite"
    engine = open_database(demo_db)
    seconds, summary = _timed(lambda: generate_demo(engine, size=size, seed=seed))
    rows.append(("demo generation", f"{seconds:.1f} s",
                 f"{summary.allocations:,} allocations, {summary.claims:,} claim lines"))

    export_dir = workdir / "export"
    seconds, counts = _timed(lambda: export_exchange(engine, export_dir))
    engine.dispose()
    rows.append(("exchange export", f"{seconds:.1f} s",
                 f"{counts.get('declaraties', 0):,} claim lines written"))
    rows.append(("database size (demo)", f"{demo_db.stat().st_size / 2**20:.0f} MiB", ""))

    import_db = workdir / f"import-{size}.sqlite"
    engine = open_database(import_db)
    seconds, result = _timed(lambda: import_sources(engine, [export_dir]))
    engine.dispose()
    if not result.ok:
        raise SystemExit("import refused: " + "; ".join(str(i) for i in result.issues[:5]))
    claims = result.counts.get("declaraties", 0)
    rows.append(("import (all files)", f"{seconds:.1f} s",
                 f"{claims / seconds:,.0f} claim lines/s (target >= 50,000)"))
    rows.append(("database size (imported)", f"{import_db.stat().st_size / 2**20:.0f} MiB", ""))
    rows.append(("peak memory (this process)", f"{_peak_rss_mb():.0f} MiB", "target < 1,536"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="medium",
                        choices=["tiny", "small", "medium", "large", "g4"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the databases here")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="sdesk-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        rows = run(args.size, args.seed, workdir)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if args.json:
        print(json.dumps([dict(zip(("what", "value", "note"), r, strict=True)) for r in rows]))
    else:
        print(f"sdesk benchmarks, preset {args.size}, seed {args.seed}")
        width = max(len(r[0]) for r in rows)
        for what, value, note in rows:
            print(f"  {what:<{width}}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
