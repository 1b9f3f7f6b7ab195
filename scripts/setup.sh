#!/usr/bin/env bash
# Set everything up on a fresh Debian machine and build the Jiangxi 2022 white paper into out/.
# Idempotent: re-running skips what is already installed.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(fonts-noto-cjk chromium poppler-utils libreoffice-writer-nogui wrk)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  echo "==> python venv"
  python3 -m venv .venv
fi
echo "==> python packages (pinned in requirements.lock)"
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r requirements.lock
.venv/bin/python -m pip install -q --no-deps -e .

if [ -f package-lock.json ]; then
  echo "==> npm packages (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi

export DIGECON_DB="${DIGECON_DB:-$PWD/digecon.duckdb}"
echo "==> store: $DIGECON_DB"
.venv/bin/digecon init
if ! .venv/bin/digecon load-demo; then
  # load-demo refuses a store built from another edition of the bundled files (two values of
  # one statement would stand side by side): keep that store aside and build a fresh one.
  backup="$DIGECON_DB.$(date +%Y%m%d-%H%M%S).bak"
  echo "==> keeping the previous demo store as $backup and building a fresh one"
  mv "$DIGECON_DB" "$backup"
  .venv/bin/digecon init
  .venv/bin/digecon load-demo
fi
if .venv/bin/digecon report --help >/dev/null 2>&1; then
  echo "==> white paper -> out/"
  .venv/bin/digecon report build datasets/jiangxi-2022/report.yaml --formats html,pdf,docx,xlsx --out out
fi
echo "==> done"
