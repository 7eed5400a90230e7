#!/usr/bin/env bash
# The whole test suite: notebooks clean, library in sync with them, every notebook runs, pytest passes, the docs site builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg PYTHONUNBUFFERED=1
python tests/check_sync.py
nbdev_test --n_workers 2 --timing
python tools/build_docs.py
python -m pytest -q -ra tests
