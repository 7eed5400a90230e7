#!/usr/bin/env bash
# The whole test suite: notebooks clean, library in sync with them, every notebook runs, pytest passes, the docs site builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg PYTHONUNBUFFERED=1
python tests/check_sync.py
# One notebook at a time, here and in the docs build: two torch kernels on two cores oversubscribe OpenMP and ran up
# to 20x slower (07_cyclegan 137 s beside another notebook, 13 s alone; all notebooks 2 min 12 s, the docs build
# 3 min 55 s instead of 11 min).
nbdev_test --n_workers 1 --timing
python tools/build_docs.py
python -m pytest -q -ra tests
