#!/usr/bin/env bash
# Rebuilds migration 0001 from server/models.py. Only while nothing is released:
# once a database exists in the field, add new revisions instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
rm -f server/migrations/versions/0001_initial.py
.venv/bin/python - "$tmp" <<'PY'
import sys
from alembic import command
from server.migrations import alembic_config
cfg = alembic_config(f"sqlite:///{sys.argv[1]}/empty.sqlite3")
command.revision(cfg, message="initial", autogenerate=True, rev_id="0001")
PY
.venv/bin/ruff format -q server/migrations/versions/0001_initial.py
.venv/bin/ruff check -q --fix server/migrations/versions/0001_initial.py || true
rm -rf "$tmp"
echo "server/migrations/versions/0001_initial.py rebuilt"
