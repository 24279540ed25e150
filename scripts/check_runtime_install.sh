#!/usr/bin/env bash
# The server install, as README's "Installing on a server" describes it: the wheel into a fresh venv
# from requirements/app.lock alone (no dev group, no sentence-transformers extra), offline from uv's
# cache. Then `faqbot --help`, one `faqbot search`, and `faqbot serve` answering every demo tenant
# and a portal over HTTP (retrieval only: the wheel has no .venv-rasa beside it). Called by
# scripts/test.sh after bootstrap.sh, which filled the cache.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
UV="${UV:-$(command -v uv || echo "$HOME/.local/bin/uv")}"
log() { printf '\033[1;34m[faqbot]\033[0m %s\n' "$*" >&2; }

work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log "runtime install: wheel + requirements/app.lock into a fresh venv (offline)"
"$UV" build --quiet --offline --wheel --out-dir "$work/dist" "$ROOT"
"$UV" venv --quiet --offline --python "$ROOT/.venv/bin/python" "$work/venv"
"$UV" pip sync --quiet --offline --python "$work/venv/bin/python" requirements/app.lock
"$UV" pip install --quiet --offline --python "$work/venv/bin/python" --no-deps "$work"/dist/faqbot-*.whl

# Nothing of the tests, the lint tools or the optional backend may have come along.
"$work/venv/bin/python" - <<'PY'
import importlib.util, sys

unwanted = ["torch", "transformers", "sentence_transformers", "playwright", "pytest", "mypy", "ruff"]
present = [m for m in unwanted if importlib.util.find_spec(m) is not None]
sys.exit(f"the runtime environment holds {', '.join(present)}" if present else 0)
PY

# Run from elsewhere, on a copy of data/ without the demo FAQ files (a fresh clone's state).
cp -r data "$work/data"
rm -f "$work"/data/tenants/*/faq.csv
export FAQBOT_DATA_DIR="$work/data" FAQBOT_STATE_DIR="$work/var" FAQBOT_DEMO_SOURCE="$ROOT/../shared/faq"
export RASA_TELEMETRY_ENABLED=false
cd "$work"
venv/bin/faqbot --help >/dev/null
echo "머드축제 주차장 어디에 있어요?" | venv/bin/faqbot search --tenant seohae-mudfest --json \
  | venv/bin/python -c 'import json, sys; assert json.loads(sys.stdin.read())["results"], "no results"'

port="$(venv/bin/python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
venv/bin/faqbot serve --port "$port" >"$work/serve.log" 2>&1 &
server=$!
venv/bin/python - "$port" "$server" <<'PY' || { cat "$work/serve.log" >&2; exit 1; }
import os, sys, time

import httpx

port, pid = sys.argv[1], int(sys.argv[2])
base = f"http://127.0.0.1:{port}"
deadline = time.monotonic() + 240
while True:
    try:
        if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
            break
    except httpx.TransportError:
        pass
    os.kill(pid, 0)  # the server is still running
    if time.monotonic() > deadline:
        sys.exit("faqbot serve did not get ready")
    time.sleep(0.5)
questions = {
    "gaeram-univ": "휴학 신청은 어떻게 하나요?",
    "seohae-mudfest": "머드축제 주차장 어디에 있어요?",
    "namgang-lantern": "등불축제 입장료 있나요?",
    "jinju": "유등 축제 언제 해요?",
}
for tenant, message in questions.items():
    reply = httpx.post(f"{base}/api/v1/chat", json={"tenant": tenant, "message": message}, timeout=30)
    reply.raise_for_status()
    assert reply.json()["messages"], f"{tenant}: an empty reply"
assert httpx.get(f"{base}/widget.js", timeout=5).status_code == 200
PY
log "runtime install: OK in ${SECONDS} s ($(du -sh "$work/venv" | cut -f1) venv)"
