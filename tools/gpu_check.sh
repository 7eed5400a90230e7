#!/usr/bin/env bash
# The GPU check (agc_nb.bench.gpu_check): CUDA variants, thesis-preset throughput with the projected time of a full
# thesis run, DDP over the GPUs present; one table. `--dry-run` runs every path on the CPU at toy sizes.
# Usage: bash tools/gpu_check.sh [--dry-run]      (expected: under 8 minutes on one H100)
set -euo pipefail
args=(--gpu_check)
for a in "$@"; do
  case "$a" in
    --dry-run) args+=(--dry_run) ;;
    *) echo "gpu_check.sh: unknown option $a (only --dry-run)" >&2; exit 2 ;;
  esac
done
exec python -m agc_nb.bench "${args[@]}"
