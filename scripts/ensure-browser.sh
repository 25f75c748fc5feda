#!/usr/bin/env bash
# Make Debian's Chromium available for the Playwright browser tests (no browser downloads).
set -euo pipefail
CHROMIUM="${CHROMIUM_EXECUTABLE:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "Chromium not found at $CHROMIUM and apt-get is unavailable: install Chromium and set CHROMIUM_EXECUTABLE" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests ..."
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
if ! $SUDO apt-get install -y --no-install-recommends chromium >/tmp/ensure-browser.log 2>&1; then
  $SUDO apt-get update >/tmp/ensure-browser.log 2>&1
  $SUDO apt-get install -y --no-install-recommends chromium >>/tmp/ensure-browser.log 2>&1 || {
    echo "could not install chromium (see /tmp/ensure-browser.log)" >&2
    exit 1
  }
fi
