"""Where a suite entry's removal translation loses its fidelity: outside the effect, or in the pattern inside it.

    python tools/fidelity_parts.py ENTRY RUNS OUT [--seed S]

Runs (or reuses, from the runs root RUNS) one suite entry at the demo preset, writes its report to OUT/ENTRY, keeps
its explanation arrays in OUT/ENTRY_r.npz and prints, as means over the removal-direction images with an effect
(translation change d = fake - x, twin's change t, D the effect's mask dilated by 2 pixels or voxels):
fidelity ncc(d, t); share_in, the part of |d| inside D; confined, ncc(d * D, t) (what fidelity would be if nothing
changed outside D); inside, ncc over D alone (the pattern where the effect is); proposal, ncc((G - x) * D, t) (the
generator's proposal before the attention gates it); att_in / att_out, the mean attention inside / outside D; amp,
the least-squares scale of d on t inside D (1: the twin's amplitude). BENCHMARKS.md, session 28.
"""
import argparse, json, time
import numpy as np
from scipy import ndimage
from agc_nb.config import RunSpec
from agc_nb.explain import ncc
from agc_nb.pipeline import run_report
from agc_nb.suite import SUITE


def parts(r: dict, effect_class: int = 1) -> dict:
    "The means above over the images of `effect_class` (the removal direction's sources) that carry an effect."
    rows = []
    for i in np.flatnonzero((r['label'] == effect_class) & r['gt_mask'].reshape(len(r['label']), -1).any(1)):
        d, t, att, x = r['diff'][i], r['gt_diff'][i], r['att'][i], r['x'][i]
        inside = ndimage.binary_dilation(r['gt_mask'][i] > 0, iterations=2)
        gen = np.where(att > 1e-3, r['mask'][i] / np.maximum(att, 1e-3), x)  # G where the attention lets it show
        rows.append(dict(
            fidelity=ncc(d, t),
            share_in=np.abs(d)[inside].sum() / max(np.abs(d).sum(), 1e-12),
            confined=ncc(d * inside, t),
            inside=ncc(d[inside], t[inside]),
            proposal=ncc((gen - x) * inside, t),
            att_in=att[inside].mean(),
            att_out=att[~inside].mean(),
            amp=(d[inside] * t[inside]).sum() / max((t[inside] ** 2).sum(), 1e-12),
        ))
    return {k: round(float(np.mean([row[k] for row in rows])), 3) for k in rows[0]} | dict(n=len(rows))


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('entry', choices=list(SUITE))
    p.add_argument('runs')
    p.add_argument('out')
    p.add_argument('--seed', type=int, default=0)
    a = p.parse_args()
    t0 = time.time()
    spec = RunSpec(**SUITE[a.entry], preset='demo', seed=a.seed, runs_root=a.runs, out_dir=f'{a.out}/{a.entry}')
    res = run_report(spec.replace(progress=False))
    r = {k: v for k, v in res['results'].items() if isinstance(v, np.ndarray)}
    np.savez_compressed(f'{a.out}/{a.entry}_r.npz', **r)
    print(json.dumps(dict(entry=a.entry, seed=a.seed, seconds=round(time.time() - t0), **parts(r))), flush=True)
