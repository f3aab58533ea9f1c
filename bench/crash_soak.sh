#!/usr/bin/env bash
# Soak variant of the crash-anywhere test: many more SIGKILLs per backend than CI runs.
# Usage: bash bench/crash_soak.sh [KILLS]   (default 500; prints the test's verdict and time)
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-500}"
start=$(date +%s)
TRACKER_CRASH_KILLS="$kills" .venv/bin/python -m pytest tests/test_crash.py -q -p no:randomly
echo "crash soak: $kills kills per backend (SQLite, PostgreSQL) in $(( $(date +%s) - start ))s"
