#!/usr/bin/env bash
# Extract the kiosk's French messages into locales/kiosk.pot and merge them into every
# catalogue (new languages: `scripts/messages.sh init CODE`). Translators then fill the .po.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=".venv/bin/pybabel -q"
$pybabel extract -k N_ -k translate:2 --no-default-keywords --sort-output --no-location \
  --project "health-kiosk" --copyright-holder "health-kiosk contributors" \
  --msgid-bugs-address "" -o locales/kiosk.pot kiosk >/dev/null
if [[ "${1:-}" == "init" ]]; then
  $pybabel init -D kiosk -i locales/kiosk.pot -d locales -l "$2"
else
  $pybabel update -D kiosk -i locales/kiosk.pot -d locales --no-fuzzy-matching --ignore-obsolete
fi
