# Shortcuts for those who have make; dev.py does the work and needs only Python 3.11.
PYTHON ?= python3

.PHONY: run test bench installer clean

run:
	$(PYTHON) dev.py run

test:
	$(PYTHON) dev.py test

bench:
	$(PYTHON) dev.py bench

installer:
	$(PYTHON) dev.py test --co -q >/dev/null
	.venv/bin/python -m pip install -e ".[build]"
	.venv/bin/python -m PyInstaller --noconfirm --distpath dist --workpath build/pyinstaller installer/sdesk.spec
	dist/sdesk/sdesk --version

clean:
	rm -rf build dist .pytest_cache .ruff_cache
