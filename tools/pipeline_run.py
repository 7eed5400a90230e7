"""The whole pipeline of a report without papermill or nbconvert: one line of headline numbers per dataset.

    python tools/pipeline_run.py DATASET[,DATASET...] [OUT]

Runs `agc_nb.pipeline.run_report` (classifier, AG-CycleGAN, explanations, metrics and figures; CUDA when present)
for each dataset at the demo preset, then prints its device, timings, classifier accuracy / AUROC, flip rates,
removal-direction attention and Grad-CAM++ NCC / pointing game and removal fidelity as one JSON line; with OUT,
also copies each metrics.json to OUT/DATASET.metrics.json. For machines without Jupyter (a lent GPU), and for
checking that the CUDA path runs end to end (BENCHMARKS.md, session 28).
"""
import json, shutil, sys, time
from pathlib import Path
import torch
from agc_nb.pipeline import run_report


def r3(v):
    "`v` to three digits (None stays None: a flip rate with no image right before)."
    return None if v is None else round(v, 3)


def headline(m: dict, seconds: float) -> dict:
    "The numbers a reader checks first in one report's metrics."
    rem = m['localization_removal']
    return dict(
        dataset=m['dataset'],
        device=torch.cuda.get_device_name() if torch.cuda.is_available() else 'cpu',
        seconds=round(seconds, 1),
        train_cnn_s=round(m['timing']['train_cnn_s'], 1),
        train_gan_s=round(m['timing']['train_gan_s'], 1),
        accuracy=r3(m['classifier']['accuracy']),
        auroc=r3(m['classifier']['auroc']),
        flips={d: r3(m['translation'][d]['flip_rate']) for d in ('a2b', 'b2a')},
        attention={k: r3(rem['attention'][k]) for k in ('ncc', 'pointing_game')},
        gradcampp={k: r3(rem['gradcampp'][k]) for k in ('ncc', 'pointing_game')},
        removal_fidelity=r3(m['translation_fidelity']['removal']),
    )


if __name__ == '__main__':
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    for name in sys.argv[1].split(','):
        t0 = time.time()
        r = run_report(name)
        print(json.dumps(headline(r['metrics'], time.time() - t0)), flush=True)
        if out:
            out.mkdir(parents=True, exist_ok=True)
            shutil.copy(r['out_dir'] / 'metrics.json', out / f'{name}.metrics.json')
