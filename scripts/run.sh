#!/usr/bin/env bash
# README command 1: set up (idempotent) and run faqbot with the demo tenants on http://127.0.0.1:8000.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec .venv/bin/faqbot serve "$@"
