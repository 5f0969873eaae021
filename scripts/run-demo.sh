#!/usr/bin/env bash
# `make run`: migrate, seed the fictional demo directory, register a demo kiosk, run the API and
# the notification worker on 127.0.0.1:8000 with an embedded SQLite database, then open the
# kiosk's touchscreen on it. Without a screen (no DISPLAY), the kiosk runs in a virtual one (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-var}
mkdir -p "$KIOSK_DATA_DIR"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$KIOSK_DATA_DIR/kiosk.sqlite3}
cli=.venv/bin/kiosk-server
url=http://127.0.0.1:8000

$cli migrate
$cli seed-demo
token_file=$KIOSK_DATA_DIR/demo-kiosk.token
if [ ! -s "$token_file" ]; then
  $cli kiosk add "Borne de démonstration" --commune 59178 | tail -n 1 > "$token_file"
  chmod 600 "$token_file"
fi
token=$(cat "$token_file")
# A fictional demo counsellor for the dashboard, with a fixed password and TOTP secret that
# are public (docs/dashboard.md): for this demo database only, never for a real centre.
demo_password=demo-conseil-2026
demo_secret=KIOSQUESANTEDEMOCONSEILNUMERIQUE
demo_uri=$(PYTHONPATH=. .venv/bin/python - demo "$demo_password" "$demo_secret" <<'PY'
import sys

import pyotp

from server.config import Settings
from server.db import Database
from server.services import counsellors

login, password, secret = sys.argv[1:]
database = Database(Settings.from_env().database_url, pool_size=1)
with database.writing() as db:
    if counsellors.find(db, login) is None:
        counsellors.add(db, login=login, name="Camille", password=password, totp_secret=secret)
database.dispose()
print(pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=counsellors.ISSUER))
PY
)

$cli worker >"$KIOSK_DATA_DIR/worker.log" 2>&1 &
worker=$!
$cli serve --host 127.0.0.1 --port 8000 >"$KIOSK_DATA_DIR/server.log" 2>&1 &
server=$!
trap 'kill $worker $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  .venv/bin/python -c "import urllib.request as u; u.urlopen('$url/api/v1/health')" 2>/dev/null &&
    break
  kill -0 $server 2>/dev/null || { cat "$KIOSK_DATA_DIR/server.log" >&2; exit 1; }
  sleep 0.1
done

screen="a window"
run=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  screen="a virtual screen (Xvfb: no screen was found)"
  run=(xvfb-run -a -s "-screen 0 1280x800x24")
fi
cat <<MSG

  Health kiosk — demo data around Douai (fictional people and places)
  The touchscreen opens in $screen.
  The same journeys in a terminal:  .venv/bin/kiosk text --server $url --token=$token
  SMS codes sent by the demo:       .venv/bin/kiosk-server sms-outbox --to 0612345678 --last
  API: $url/docs   (logs in $KIOSK_DATA_DIR/)
  Counsellors' dashboard:           $url/conseil/
    login: demo   password: $demo_password   (a fictional demo account)
    its 6-digit codes: add this address to an authenticator app
      $demo_uri
    or print the current code:
      PYTHONPATH=. .venv/bin/python -c "import pyotp; print(pyotp.TOTP('$demo_secret').now())"
  Stop with Ctrl+C.

MSG
window=--windowed
[ -n "${KIOSK_FULLSCREEN:-}" ] && window=
"${run[@]}" .venv/bin/kiosk touch --server "$url" --token="$token" --data "$KIOSK_DATA_DIR/kiosk" \
  $window
