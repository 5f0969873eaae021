# Thin wrappers over scripts/: each target installs what it needs first.
.PHONY: run test bench lint setup

run:
	bash scripts/setup.sh run
	bash scripts/run-demo.sh

test:
	bash scripts/setup.sh test
	bash scripts/test.sh

bench:
	bash scripts/setup.sh test
	.venv/bin/python -m bench

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .
