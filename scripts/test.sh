#!/usr/bin/env bash
# Run the whole test suite (Spark, PDF, Word and browser tests included).
# Quicker while iterating: scripts/test.sh -m "not slow"   or   scripts/test.sh tests/store
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
