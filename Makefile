# Thin wrappers over scripts/: each target installs what it needs first.
.PHONY: run test bench screenshots help-sheets lint setup

run:
	bash scripts/setup.sh run
	bash scripts/run-demo.sh

test:
	bash scripts/setup.sh test
	bash scripts/test.sh

bench:
	bash scripts/setup.sh test
	.venv/bin/python -m bench

# A picture of every step in French, English and Arabic, into screenshots/ (git ignores it).
screenshots:
	bash scripts/setup.sh test
	KIOSK_SCREENSHOTS=$(CURDIR)/screenshots .venv/bin/python -m pytest -q tests/kiosk/screens/test_screenshots.py

# The workshop's help sheets (/fiches/): a picture of each step and fiches.json, into
# server/dashboard/static/fiches/ (committed). Run again when a step or its words change.
help-sheets:
	bash scripts/setup.sh test
	PYTHONPATH=. .venv/bin/python scripts/help-sheets.py

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
