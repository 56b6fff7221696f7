#!/usr/bin/env bash
# Check the locked Python packages for known vulnerabilities (pip-audit, PyPI's advisory data).
# Exit 1 when a vulnerability is known; a warning (exit 0) when the advisory service cannot be reached,
# with the number of packages left unchecked, so an offline machine says so instead of claiming "clean".
set -uo pipefail
cd "$(dirname "$0")/.."
lock=${1:-requirements/test.txt}
out=$(.venv/bin/pip-audit -r "$lock" --require-hashes --disable-pip --progress-spinner off 2>&1)
rc=$?
unchecked=$(printf '%s\n' "$out" | grep -c "could not be audited" || true)
if [ "$rc" != 0 ]; then
  printf '%s\n' "$out"
  echo "Lỗi: có gói mang lỗ hổng đã biết / known vulnerabilities in $lock" >&2
  exit 1
fi
if [ "$unchecked" -gt 0 ]; then
  echo "Cảnh báo: không kiểm tra được $unchecked gói (không tới được dịch vụ cảnh báo lỗ hổng) /" \
       "warning: $unchecked packages of $lock could not be checked (advisory service unreachable)"
else
  echo "Không có lỗ hổng đã biết / no known vulnerabilities in $lock"
fi
