#!/usr/bin/env bash
# Audit the app's and Rasa's lock files for known vulnerabilities (pip-audit, no resolution: the
# locks are complete).
# Fails only on a vulnerability that has a fixed version to move to. OSV is asked first; where it
# cannot be reached, PyPI's vulnerability data is. Packages that no service could check are
# listed; with FAQBOT_AUDIT_STRICT=1 that is an error too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

audit() {  # lock file, report path
  local service
  for service in osv pypi; do
    if .venv/bin/pip-audit -r "$1" --no-deps --disable-pip -s "$service" --progress-spinner off \
        -f json -o "$2" >"$out/log" 2>&1 || [ -s "$2" ]; then
      echo "$service"
      return 0
    fi
  done
  cat "$out/log" >&2
  return 1
}

status=0
# dev.lock holds app.lock's pins (same versions, a test checks) plus the extra and the dev group.
for lock in requirements/dev.lock requirements/rasa.lock; do
  report="$out/$(basename "$lock").json"
  service="$(audit "$lock" "$report")"
  .venv/bin/python - "$lock" "$service" "$report" <<'PY' || status=1
import json, os, sys

lock, service, path = sys.argv[1:]
deps = json.load(open(path))["dependencies"]
fixable = [(d, v) for d in deps for v in d.get("vulns", []) if v.get("fix_versions")]
unfixed = [(d, v) for d in deps for v in d.get("vulns", []) if not v.get("fix_versions")]
skipped = [d["name"] for d in deps if "skip_reason" in d]
print(f"{lock}: {len(deps)} packages via {service}: {len(fixable)} fixable, "
      f"{len(unfixed)} without fix, {len(skipped)} not checked")
for d, v in fixable:
    print(f"  FIX {d['name']} {d['version']}: {v['id']} -> {', '.join(v['fix_versions'])}")
for d, v in unfixed:
    print(f"  (no fix yet) {d['name']} {d['version']}: {v['id']}")
if skipped and len(skipped) == len(deps):
    print("  WARNING: the vulnerability service answered for no package (offline?)")
strict = os.environ.get("FAQBOT_AUDIT_STRICT") == "1"
sys.exit(1 if fixable or (strict and skipped) else 0)
PY
done
exit "$status"
