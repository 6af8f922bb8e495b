"""Set up and run sdesk from a source checkout with nothing but Python 3.11+.

    python3 dev.py run     install into .venv (first time) and open the application
    python3 dev.py test    install into .venv (first time) and run ruff, mypy and all the tests
    python3 dev.py bench   run the performance harness (benchmarks/run.py --size medium);
                           `python3 dev.py bench --size g4` runs every step at the g4 preset
                           and ends with issue 17's targets beside the DuckDB reference
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_env() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"sdesk heeft Python 3.11 of nieuwer nodig (dit is {sys.version.split()[0]}).")
    pyproject = ROOT / "pyproject.toml"
    if STAMP.exists() and STAMP.stat().st_mtime >= pyproject.stat().st_mtime:
        return
    if not PY.exists():
        print("Virtuele omgeving maken in .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    subprocess.run([str(PY), "-m", "pip", "install", "--upgrade", "pip"], check=True)
    subprocess.run([str(PY), "-m", "pip", "install", "-e", ".[test]"], cwd=ROOT, check=True)
    STAMP.touch()


def run_tests(extra: list[str]) -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    lint = subprocess.run([str(PY), "-m", "ruff", "check", "sdesk", "tests", "benchmarks",
                           "installer", "dev.py"], cwd=ROOT, env=env)
    if lint.returncode != 0:
        return lint.returncode
    # Types: strict mypy on services and models (settings and files in pyproject.toml).
    types = subprocess.run([str(PY), "-m", "mypy"], cwd=ROOT, env=env)
    if types.returncode != 0:
        return types.returncode
    code = subprocess.run([str(PY), "-m", "pytest", "-q", *extra], cwd=ROOT, env=env).returncode
    if code == 5:  # pytest: no tests collected. An empty run must never pass.
        print("pytest heeft geen tests gevonden; dat telt als mislukt.", file=sys.stderr)
        return 1
    return code


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"run", "test", "bench"}:
        print(__doc__)
        return 2
    ensure_env()
    command, extra = argv[0], argv[1:]
    if command == "run":
        # A demo municipality of its own, so a newcomer sees a filled application at once.
        demo_db = ROOT / ".dev" / "demo.sqlite"
        if not demo_db.exists():
            print("Demogemeente maken (eenmalig, ongeveer een halve minuut) ...", flush=True)
            made = subprocess.run([str(PY), "-m", "sdesk", "demo", "--size", "small",
                                   "--db", str(demo_db)], cwd=ROOT, stdout=subprocess.DEVNULL)
            if made.returncode != 0:
                return made.returncode
        return subprocess.run([str(PY), "-m", "sdesk", "--db", str(demo_db), *extra],
                              cwd=ROOT).returncode
    if command == "bench":
        # DuckDB is the benchmarks' reference only (extra "bench"), not a product dependency.
        if subprocess.run([str(PY), "-c", "import duckdb"], cwd=ROOT,
                          capture_output=True).returncode != 0:
            subprocess.run([str(PY), "-m", "pip", "install", "-e", ".[test,bench]"], cwd=ROOT,
                           check=True)
        return subprocess.run([str(PY), "benchmarks/run.py", *(extra or ["--size", "medium"])],
                              cwd=ROOT).returncode
    return run_tests(extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
