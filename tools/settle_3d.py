"""Suite entries with the 3D demo classifier stopped once settled, fresh classifiers (BENCHMARKS.md, session 36).

    python tools/settle_3d.py ENTRIES OUT [SETTLE]

ENTRIES: comma-separated suite entries; OUT: where reports, tables and (under OUT/runs) checkpoints go; SETTLE: the
settled epochs in a row that stop training (default 10). Experiment code: it patches the demo preset in this process.
"""
import sys, torch
import agc_nb.config as K
from agc_nb.suite import run_suite

torch.set_num_threads(2)
K.PRESETS['demo'].cnn3d['settle'] = int(sys.argv[3]) if len(sys.argv) > 3 else 10
print(K.get_preset('demo').cnn_for(3), flush=True)
print(run_suite('demo', only=sys.argv[1].split(','), out_dir=sys.argv[2], runs_root=sys.argv[2] + '/runs').to_string())
