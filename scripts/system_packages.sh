#!/usr/bin/env bash
# Debian packages the tests drive for real: headless Chromium, and fonts so that Korean text and
# emoji render in its screenshots. Installed once, skipped when present.
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
for pkg in fonts-nanum fonts-noto-color-emoji; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
