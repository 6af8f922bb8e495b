# Two entry points for a newcomer: `make run` and `make test` (see README).
PYTHON ?= python3.11
VENV   ?= .venv
PY      = $(VENV)/bin/python
STAMP   = $(VENV)/.installed
DEMO_DB ?= $(HOME)/.local/share/sdesk/demo.sqlite

.PHONY: run test lint installer bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip >/dev/null
	$(PY) -m pip install -e ".[test,build]"
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/sdesk

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m ruff check sdesk tests benchmarks installer
	@# pytest exits 5 when it collected nothing: an empty run must never pass.
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi; exit $$rc

installer: $(STAMP)
	$(PY) -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller installer/sdesk.spec
	dist/sdesk/sdesk --version

bench: $(STAMP)
	$(PY) benchmarks/run.py --size medium

clean:
	rm -rf build dist .pytest_cache .ruff_cache
