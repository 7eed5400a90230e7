"""The whole pipeline of a report without papermill or nbconvert: one line of headline numbers per dataset.

    python tools/pipeline_run.py DATASET[,DATASET...] [OUT]

Runs `agc_nb.pipeline.run_report` (classifier, AG-CycleGAN, explanations, metrics and figures; CUDA when present)
for each dataset at the demo preset, then prints `tools/screen_gan.py`'s row of its metrics (classifier AUROC,
removal-direction attention NCC / pointing game, the strongest other map, flip rates, fidelity) with the device and
the training times as one JSON line; with OUT, also copies each metrics.json to OUT/DATASET.metrics.json. For
machines without Jupyter (a lent GPU), and for checking that the CUDA path runs end to end (BENCHMARKS.md, session 28).
"""
import json, shutil, sys, time
from pathlib import Path
import torch
from agc_nb.pipeline import run_report
from screen_gan import _row  # the screen's summary of a report's metrics: the same numbers, read the same way


if __name__ == '__main__':
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu'
    for name in sys.argv[1].split(','):
        t0 = time.time()
        r = run_report(name)
        m = r['metrics']
        timing = {k: round(m['timing'][k], 1) for k in ('train_cnn_s', 'train_gan_s')}
        print(json.dumps(dict(_row('default', name, m, time.time() - t0), device=device, **timing)), flush=True)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            shutil.copy(r['out_dir'] / 'metrics.json', out / f'{name}.metrics.json')
