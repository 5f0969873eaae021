#!/usr/bin/env bash
# `make test`: lint, then the whole suite (every database test on SQLite and PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest -q "$@"
