"""Does a suite entry's demo classifier ever settle? `python tools/settled_epochs.py RUNS_ROOT ENTRY [ENTRY...]`

Trains (or reuses, from RUNS_ROOT) the demo classifier of each suite entry and prints one JSON row: its test AUROC and
accuracy, how training stopped, and how many epochs had a settled validation split (`classifier.settled`: every image
right at a loss under `SETTLED_LOSS`) with the smallest validation loss. BENCHMARKS.md, sessions 35-36.
"""
import sys, json, time, torch
from agc_nb.config import RunSpec
from agc_nb.suite import SUITE
from agc_nb.pipeline import run_classifier
from agc_nb.classifier import settled

torch.set_num_threads(2)
for name in sys.argv[2:]:
    t0 = time.time()
    r = run_classifier(RunSpec(preset='demo', runs_root=sys.argv[1], **SUITE[name]))
    h, m = r['history'], r['metrics']
    calm = [settled(dict(acc=a, loss=l)) for a, l in zip(h.val_acc, h.val_loss)]
    row = dict(entry=name, auroc=round(m['auroc'], 3), acc=round(m['accuracy'], 3), epochs=len(h))
    hp = r['hparams']
    row.update(stopped=hp['stopped'], best=int(hp['best_epoch']), settled_epochs=sum(calm))
    row.update(min_val_loss=round(float(h.val_loss.min()), 4), max_val_acc=round(float(h.val_acc.max()), 3))
    print(json.dumps(dict(row, s=round(time.time() - t0))), flush=True)
