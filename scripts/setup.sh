#!/usr/bin/env bash
# Set up tctt-audit on a fresh machine: system packages (when root and apt is there), a virtual
# environment in .venv, and the project with its pinned dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
WITH_TEST=0
[ "${1:-}" = "--test" ] && WITH_TEST=1

# System packages the project's features use. Missing ones are reported, not fatal: the crawler
# records "not available" for the features that need them.
APT_LISTS="scripts/apt-packages.txt"
[ "$WITH_TEST" = 1 ] && APT_LISTS="$APT_LISTS scripts/apt-packages-test.txt"
APT_PACKAGES=$(cat $APT_LISTS | grep -v '^#' | grep -v '^$' | tr '\n' ' ')
missing=""
for pkg in $APT_PACKAGES; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "Cài gói hệ thống / installing system packages:$missing"
    (apt-get update -qq || true) >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null \
      || echo "Cảnh báo / warning: could not install:$missing (features that need them will say so)"
  else
    echo "Cảnh báo / warning: system packages missing:$missing (install them as root for full features)"
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# Python packages come from the hashed lock files (scripts/lock.sh writes them from pyproject.toml).
lock=requirements/base.txt
[ "$WITH_TEST" = 1 ] && lock=requirements/test.txt
if [ "$(.venv/bin/python scripts/lock_inputs.py)" != "$(sed -n 's/^# lock-inputs: //p' "$lock")" ]; then
  echo "Lỗi: $lock cũ hơn pyproject.toml, hãy chạy scripts/lock.sh / $lock is older than pyproject.toml: run scripts/lock.sh" >&2
  exit 1
fi
stamp=.venv/.tctt-installed
want="$(cat "$lock" pyproject.toml | sha256sum | cut -c1-16)-$WITH_TEST"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "Cài gói Python / installing Python packages (log: .venv/pip.log)…"
  if ! { .venv/bin/python -m pip install -q --upgrade pip \
         && .venv/bin/python -m pip install -q --require-hashes -r "$lock" \
         && .venv/bin/python -m pip install -q --no-deps -e . \
         && .venv/bin/python -m pip check; } >.venv/pip.log 2>&1; then
    cat .venv/pip.log
    echo "Lỗi cài đặt / installation failed" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi

# axe-core (npm, pinned in tests/a11y/package.json) for the accessibility test of the generated pages.
if [ "$WITH_TEST" = 1 ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null 2>&1 || true
  fi
  if [ ! -f tests/a11y/node_modules/axe-core/axe.min.js ]; then
    if command -v npm >/dev/null 2>&1; then
      (cd tests/a11y && npm ci --no-audit --no-fund --silent) \
        || echo "Cảnh báo / warning: could not install axe-core with npm (accessibility test)"
    else
      echo "Cảnh báo / warning: npm missing, the accessibility test needs axe-core"
    fi
  fi
fi
