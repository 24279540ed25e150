#!/usr/bin/env bash
# README command 2: set up (idempotent) and run every check and test. .ci/run calls exactly this.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source scripts/system_packages.sh
# Throwaway Postgres and Redis on loopback for the scale-out and fault tests (stopped on exit).
source scripts/services.sh
bash scripts/audit.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/lint-imports
.venv/bin/mypy
# The server install (wheel + runtime lock, offline) answers the demo tenants; skipped when only
# some tests were asked for (e.g. scripts/test.sh tests/chat -x).
if [ "$#" -eq 0 ]; then bash scripts/check_runtime_install.sh; fi
.venv/bin/python -m pytest -p no:cacheprovider "$@"
