"""The last weights of `ema` runs as runs of their own, so one training gives both explanations (issue 15's screens).

    python tools/last_weights.py SRC DST

SRC is a runs root of `tools/screen_gan.py ema99` (or any `ema` run); every run folder under it that holds a `gan.pt`
is copied to the same place under DST with the checkpoint's `ema` set to 0 and its average dropped. Training with and
without `ema` is the same (the average only reads the weights), so `tools/screen_gan.py last ENTRY DST OUT` then
reports the last weights of that very training in a couple of minutes instead of training again.
"""
import shutil
from pathlib import Path
from fastcore.script import call_parse
from agc_nb.core import load_checkpoint, save_checkpoint


@call_parse
def main(
    src: str,  # runs root of the `ema` runs
    dst: str,  # runs root for their last-weights twins
):
    "Copy each finished `ema` run under `src` to `dst` as the run without `ema`."
    for ckpt in Path(src).rglob('gan.pt'):
        ck = load_checkpoint(ckpt)
        if not ck['config'].get('ema'):
            print(f"skipped {ckpt}: not an ema run")
            continue
        out = Path(dst) / ckpt.parent.relative_to(src)
        out.mkdir(parents=True, exist_ok=True)
        for f in ('cnn.pt', 'gan_log.csv'):  # a run stopped between checkpoints has no log yet
            if (ckpt.parent / f).exists():
                shutil.copy(ckpt.parent / f, out / f)
        save_checkpoint(out / 'gan.pt', {**ck, 'config': {**ck['config'], 'ema': 0.0}, 'gan_avg': None})
        print(f"{ckpt} -> {out / 'gan.pt'} (step {ck['step']})")
