#!/usr/bin/env bash
# Installs what the project needs on a Debian machine, then the virtualenv.
#   scripts/setup.sh run    → the server and the kiosk: a window (Kivy, with Xvfb when there is
#                             no screen), speech (espeak-ng), sound, the receipt printer
#   scripts/setup.sh test   → plus test tools and PostgreSQL (every database test runs on it too)
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${1:-run}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null || ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  apt_install python3 python3-venv
  python=python3
fi
"$python" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
# Kivy's window (OpenGL through Mesa; Xvfb for machines without a screen), espeak-ng for
# speech, PortAudio and ALSA tools for sound and headset detection, libusb for USB printers.
apt_install xvfb xauth libmtdev1 libgl1 libegl1 libgl1-mesa-dri \
  espeak-ng libportaudio2 alsa-utils libusb-1.0-0
# The tests' SIP telephone (baresip), IPBX (SIPp) and PostgreSQL.
[ "$profile" = test ] && apt_install postgresql baresip-core sip-tester
# The dashboard's browser tests: Debian's Chromium driven by Playwright (never a browser that a
# tool downloads for itself), and axe-core from npm for the accessibility checks, kept in
# .cache/npm (git ignores .cache/).
axe_version=4.14.1
if [ "$profile" = test ]; then
  apt_install chromium fonts-dejavu-core
  command -v npm >/dev/null || apt_install nodejs npm
  mkdir -p .cache/npm
  if ! grep -qs "\"version\": \"$axe_version\"" .cache/npm/node_modules/axe-core/package.json; then
    echo "Installing axe-core $axe_version into .cache/npm"
    npm install --prefix .cache/npm "axe-core@$axe_version" \
      --no-audit --no-fund --loglevel=error >/dev/null
  fi
fi

extras=kiosk
[ "$profile" = test ] && extras=test
stamp=.venv/.installed-$extras
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing Python packages into .venv (log: .venv/install.log)"
  if ! { .venv/bin/python -m pip install --upgrade pip &&
         .venv/bin/python -m pip install -e ".[$extras]"; } >.venv/install.log 2>&1; then
    tail -n 30 .venv/install.log >&2
    exit 1
  fi
  .venv/bin/python -c 'import server.app' # fails loudly if the install did not work
  touch "$stamp"
fi
