#!/usr/bin/env bash
# Create (or reuse) one of the two Python environments from its committed lock file.
#   scripts/setup-env.sh engine   Python 3.10 + rasa[spacy]==3.6.21   -> .venv-engine
#   scripts/setup-env.sh app      Python 3.12 + the app's dependencies -> .venv
# Environments are cached by a hash of their lock file under $CREMONA_CACHE (default
# ~/.cache/cremona-assistant), so re-running is fast and changes nothing.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd /  # run pip away from the checkout so it sees only the environment
cache=${CREMONA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cremona-assistant}
kind=${1:?usage: setup-env.sh engine|app}

find_python() {  # find_python 3.10 VARNAME
  local want=$1 override=${!2:-} candidate version
  local candidates=()
  [ -n "$override" ] && candidates+=("$override")
  if command -v pyenv >/dev/null 2>&1; then
    for version in $(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}(\.[0-9]+)?$" | sort -rV); do
      candidates+=("$(pyenv root)/versions/$version/bin/python")
    done
  fi
  candidates+=("python$want")
  for candidate in "${candidates[@]}"; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       [ "$("$candidate" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
      command -v "$candidate"; return 0
    fi
  done
  echo "error: Python $want is required for the $kind environment but was not found." >&2
  echo "       Install it (e.g. 'pyenv install $want') or set $2 to its interpreter." >&2
  return 1
}

case "$kind" in
  engine) python=$(find_python 3.10 ENGINE_PYTHON); lock=requirements/engine.lock; link=.venv-engine ;;
  app)    python=$(find_python 3.12 APP_PYTHON);    lock=requirements/app.lock;    link=.venv ;;
  *) echo "error: unknown environment '$kind' (expected engine or app)" >&2; exit 2 ;;
esac

hash=$( (cat "$root/$lock"; "$python" -V) | sha256sum | cut -c1-16)
target="$cache/venvs/$kind-$hash"
if [ ! -f "$target/.complete" ]; then
  echo "creating the $kind environment in $target (from $lock) ..."
  rm -rf "$target"
  mkdir -p "$cache/venvs"
  "$python" -m venv "$target"
  log="$cache/venvs/$kind-$hash.log"
  if ! { "$target/bin/python" -m pip install --upgrade "pip<26" &&
         "$target/bin/python" -m pip install --no-deps -r "$root/$lock" &&
         "$target/bin/python" -m pip check; } >"$log" 2>&1; then
    grep -v "is ignored" "$log" | tail -n 30 >&2
    echo "error: could not create the $kind environment (full log: $log)" >&2
    exit 1
  fi
  touch "$target/.complete"
fi
ln -sfn "$target" "$root/$link"
