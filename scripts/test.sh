#!/usr/bin/env bash
# Run the whole test suite (Spark, PDF, Word and browser tests included).
# Quicker while iterating: scripts/test.sh -m "not slow"   or   scripts/test.sh tests/store
set -euo pipefail
cd "$(dirname "$0")/.."
export PYTHONHASHSEED=0
# Lint first: a finding fails the run (the import-layer contract runs as tests/test_layers.py).
.venv/bin/ruff check --quiet src tests benchmarks scripts
exec .venv/bin/python -m pytest -q -p no:cacheprovider "$@"
