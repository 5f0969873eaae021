#!/usr/bin/env bash
# `make run`: migrate, seed the fictional demo directory, register a demo kiosk, then run the
# API and the notification worker on 127.0.0.1:8000 with an embedded SQLite database.
set -euo pipefail
cd "$(dirname "$0")/.."
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-var}
mkdir -p "$KIOSK_DATA_DIR"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$KIOSK_DATA_DIR/kiosk.sqlite3}
cli=.venv/bin/kiosk-server

$cli migrate
$cli seed-demo
token_file=$KIOSK_DATA_DIR/demo-kiosk.token
if [ ! -s "$token_file" ]; then
  $cli kiosk add "Borne de démonstration" --commune 59178 | tail -n 1 > "$token_file"
  chmod 600 "$token_file"
fi
token=$(cat "$token_file")

$cli worker >"$KIOSK_DATA_DIR/worker.log" 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT

cat <<MSG

  Kiosk health server — demo data around Douai (fictional people and places)
  API health:   http://127.0.0.1:8000/api/v1/health
  API docs:     http://127.0.0.1:8000/docs   (OpenAPI: /openapi.json)
  Demo kiosk token (header X-Kiosk-Token): $token
  Try:  curl -H "X-Kiosk-Token: $token" "http://127.0.0.1:8000/api/v1/practitioners?q=kine&near=Douai"
  SMS sent by the demo (file backend):  .venv/bin/kiosk-server sms-outbox --to 0612345678 --last
  Stop with Ctrl+C.

MSG
$cli serve --host 127.0.0.1 --port 8000
