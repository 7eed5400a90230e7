#!/usr/bin/env bash
# The whole test suite: notebooks clean, library in sync with them, every notebook runs, pytest passes, the docs site builds.
set -euo pipefail
cd "$(dirname "$0")/.."
export MPLBACKEND=Agg PYTHONUNBUFFERED=1
python tests/check_sync.py
# One notebook at a time: two torch kernels on two cores oversubscribe OpenMP, and the notebooks took about 13 min
# instead of 2 (07_cyclegan 294-361 s in parallel, 14 s alone).
nbdev_test --n_workers 1 --timing
python tools/build_docs.py
python -m pytest -q -ra tests
