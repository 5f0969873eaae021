#!/usr/bin/env bash
# Extract the kiosk's French messages into locales/kiosk.pot and merge them into every
# catalogue; translators then fill the .po files.
#   scripts/messages.sh               extract and merge
#   scripts/messages.sh init CODE     a new language
#   scripts/messages.sh template OUT  only extract, into OUT (the tests compare it)
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=".venv/bin/pybabel -q"

extract() {
  $pybabel extract -k N_ -k Np_:1,2 -k translate:2 -k translate_plural:2,3 \
    --no-default-keywords --sort-output --no-location \
    --project "health-kiosk" --copyright-holder "health-kiosk contributors" \
    --msgid-bugs-address "" -o "$1" kiosk >/dev/null
}

case "${1:-update}" in
  template) extract "$2" ;;
  init)
    extract locales/kiosk.pot
    $pybabel init -D kiosk -i locales/kiosk.pot -d locales -l "$2"
    ;;
  *)
    extract locales/kiosk.pot
    $pybabel update -D kiosk -i locales/kiosk.pot -d locales --no-fuzzy-matching --ignore-obsolete
    ;;
esac
