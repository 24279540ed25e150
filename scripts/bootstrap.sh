#!/usr/bin/env bash
# Creates or updates both environments from the lock files; a no-op when the locks are unchanged.
# Sourced by scripts/run.sh and scripts/test.sh, so both README commands install what they need.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export RASA_TELEMETRY_ENABLED=false

log() { printf '\033[1;34m[faqbot]\033[0m %s\n' "$*" >&2; }

ensure_uv() {
  if command -v uv >/dev/null 2>&1; then UV="$(command -v uv)"; return; fi
  if [ -x "$HOME/.local/bin/uv" ]; then UV="$HOME/.local/bin/uv"; return; fi
  log "installing uv from PyPI"
  python3 -m pip install --quiet --user uv || python3 -m pip install --quiet uv
  UV="$(command -v uv || echo "$HOME/.local/bin/uv")"
}

# Rasa 3.6 needs Python 3.10. Offline, uv cannot download one, so look for an installed interpreter first.
find_python310() {
  local candidate
  for candidate in python3.10 "$(PYENV_VERSION=3.10 pyenv which python3.10 2>/dev/null || true)"; do
    if [ -n "$candidate" ] && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  if command -v pyenv >/dev/null 2>&1; then
    local v
    for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
      candidate="$(pyenv root)/versions/$v/bin/python3.10"
      if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
  fi
  "$UV" python install 3.10 >&2 && "$UV" python find 3.10
}

find_python311() {
  local candidate
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 11)' 2>/dev/null; then
      command -v "$candidate"; return
    fi
  done
  "$UV" python install 3.11 >&2 && "$UV" python find 3.11
}

# torch's CPU build is found through pip's find-links on machines that carry it (the environment
# variable, else pip's own configuration); uv ignores pip's config, so pass it on.
uv_links() {
  local links="${PIP_FIND_LINKS:-$(python3 -m pip config get global.find-links 2>/dev/null || true)}"
  if [ -n "$links" ]; then printf -- '--find-links\n%s\n' "$links"; fi
}

# sync_env VENV LOCK PYTHON [extra uv args...]
sync_env() {
  local venv="$1" lock="$2" python="$3"; shift 3
  local stamp="$venv/.lock.sha256" want
  want="$(sha256sum "$lock" pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return; fi
  [ -x "$venv/bin/python" ] || { log "creating $venv ($("$python" --version))"; "$UV" venv --quiet --python "$python" "$venv"; }
  log "syncing $venv from $lock"
  local -a links; mapfile -t links < <(uv_links)
  "$UV" pip sync --quiet --python "$venv/bin/python" "${links[@]}" "$lock"
  "$@"
  echo "$want" >"$stamp"
}

ensure_uv
# .venv is the developer's environment: the runtime, the sentence-transformers extra and the dev
# group (requirements/dev.lock); a server installs requirements/app.lock alone (README).
sync_env .venv requirements/dev.lock "$(find_python311)" \
  "$UV" pip install --quiet --python .venv/bin/python --no-deps -e .
sync_env .venv-rasa requirements/rasa.lock "$(find_python310)" true
