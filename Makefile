# Thin wrappers over scripts/: each target installs what it needs first.
.PHONY: run test bench screenshots lint setup

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

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
