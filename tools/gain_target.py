"""How well the attention follows its own training target, on a trained run's test images with an effect.

    python tools/gain_target.py ENTRY RUNS [--seed N]

ENTRY is a suite entry, RUNS a runs root holding its classifier and AG-CycleGAN checkpoints (e.g. a
`tools/screen_gan.py` variant's `OUT/runs/VARIANT`). For each test image of the effect class, translated in the
removal direction by the explaining weights, it scores against the ground truth (NCC, pointing game) the attention
and `gain_target` at those weights (what `gain_attention` pulls the attention to: the proposed change's first-order
gain toward the target class, pooled, scaled to 1 at its peak), and prints their means inside and outside the effect.
A target that localises where the attention does not says the attention has not followed it (session 31: the
attention started at 0.5 and was still falling at the end of 3D training).
"""
import numpy as np, torch
from fastcore.script import call_parse
from agc_nb.config import RunSpec
from agc_nb.core import direction_of
from agc_nb.cyclegan import gain_target
from agc_nb.explain import ncc
from agc_nb.pipeline import run_gan
from agc_nb.suite import SUITE


def maps_of(gan, x, region, direction: str) -> tuple:
    "(attention, `gain_target`) of one image (1, 1, *spatial), the target as the gain loss computes it."
    o = gan.translate(x, direction, region=region)
    fake = o['fake'].detach().requires_grad_(True)
    target = gain_target(dict(o, real=x, fake=fake, logits=gan.classify(fake)), direction)
    return o['att'].detach()[0, 0].numpy(), target.detach()[0, 0].numpy()


def _peak_inside(m: np.ndarray, inside: np.ndarray) -> float:
    return float(inside.flat[m.argmax()])


@call_parse
def main(
    entry: str,  # a suite entry
    runs: str,  # runs root with its classifier and GAN checkpoints
    seed: int = 0,  # the runs' seed
    effect_class: int = 1,  # the class carrying the effect (suite entries: 1)
):
    "Print the attention's and the gain target's scores against the ground truth, and their means in and out."
    spec = RunSpec(**SUITE[entry], preset='demo', runs_root=runs, out_dir='/tmp/gain_target', seed=seed, progress=False)
    g = run_gan(spec)
    gan, ds, direction = g['gan'].eval(), g['bundle'].test, direction_of(effect_class)
    rows = []
    for i in range(len(ds)):
        b = ds[i]
        if int(b['label']) != effect_class or not b['mask'].any():
            continue
        region = b[gan.confine][None].clone() if gan.confine in b else None
        att, gain = maps_of(gan, b['image'][None].clone(), region, direction)
        truth = np.abs(b['diff'][0].numpy()) if 'diff' in b else b['mask'][0].numpy()
        inside = b['mask'][0].numpy() > 0
        rows.append(dict(
            att_ncc=ncc(att, truth), gain_ncc=ncc(gain, truth),
            att_pg=_peak_inside(att, inside), gain_pg=_peak_inside(gain, inside),
            att_in=att[inside].mean(), att_out=att[~inside].mean(),
            gain_in=gain[inside].mean(), gain_out=gain[~inside].mean(),
        ))
    print(f"{entry} seed {seed} ({runs}): {len(rows)} test images with the effect, direction {direction}")
    for k in rows[0]:
        print(f"  {k}: {np.mean([r[k] for r in rows]):.3f}")
