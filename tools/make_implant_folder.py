"""A folder dataset (labels.csv + images + masks) of real images of one class, half of them with an implanted effect.

The acceptance check of issue 13 (does the classifier learn a visible effect on real anatomy?) until the library's own
`implant` (issue 14) exists. Deterministic per seed; the images are read from ../shared/data.

    python tools/make_implant_folder.py nih OUT [--amp 0.25] [--sigma 0.04]     # 2D: bright opacity on No Finding CXRs
    python tools/make_implant_folder.py ixi OUT [--amp 0.6] [--radius_mm 10] [--both_sexes true]  # 3D: dark lesion, brain
"""
import os
from pathlib import Path
import nibabel as nib
import numpy as np, pandas as pd
from PIL import Image
from fastcore.script import bool_arg, call_parse, Param
from agc_nb.config import default_data_dir
from agc_nb.data import nih_table, ixi_table


def _halves(patients, seed):
    "Patient-wise halves: True for the patients whose images get the effect."
    ids = np.unique(patients)
    chosen = set(np.random.default_rng(seed).permutation(ids)[: len(ids) // 2])
    return np.array([p in chosen for p in patients])


def _gauss(shape, centre, sigma):
    grids = np.meshgrid(*[np.arange(s) for s in shape], indexing='ij')
    return np.exp(-sum((g - c) ** 2 for g, c in zip(grids, centre)) / (2 * sigma**2))


def _nih(out, amp, sigma, seed):
    df = nih_table(default_data_dir('nih'), 'cardiomegaly')
    df = df[df.label == 0].reset_index(drop=True)  # No Finding
    lesion, rng, rows = _halves(df.patient.values, seed), np.random.default_rng(seed + 1), []
    for i, r in df.iterrows():
        im = np.asarray(Image.open(r.path).convert('L')).astype(np.float32)
        n = im.shape[0]
        mask = np.zeros_like(im, dtype=np.uint8)
        if lesion[i]:
            # lung fields of a PA radiograph, roughly: the left or right third, upper two thirds
            side = rng.choice([0.3, 0.7])
            c = (rng.uniform(0.3, 0.6) * n, rng.uniform(side - 0.08, side + 0.08) * n)
            g = _gauss(im.shape, c, sigma * n)
            im = np.clip(im + amp * 255 * g, 0, 255)
            mask = (g > 0.5).astype(np.uint8) * 255
        name = f"{'lesion' if lesion[i] else 'control'}/{r.id}"
        for sub, arr in (('images', im), ('masks', mask)):
            (out / sub / name).parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(arr.round().astype(np.uint8)).save(out / sub / name)
        rows.append(dict(path=f'images/{name}', label='lesion' if lesion[i] else 'control', mask=f'masks/{name}',
                         patient=r.patient))
    return rows


def _ixi(out, amp, radius_mm, seed, both_sexes):
    df = ixi_table(default_data_dir('ixi'))
    df = df if both_sexes else df[df.label == 0].reset_index(drop=True)  # males
    lesion, rng, rows = _halves(df.patient.values, seed), np.random.default_rng(seed + 1), []
    for i, r in df.iterrows():
        img = nib.load(str(r.path))
        vol = np.asarray(img.get_fdata(dtype=np.float32))
        mask = np.zeros(vol.shape, np.uint8)
        if lesion[i]:
            brain = np.argwhere(np.asarray(nib.load(str(r.region)).dataobj) > 0)
            c = brain[rng.integers(len(brain))]
            sigma = radius_mm / float(np.mean(img.header.get_zooms()[:3])) / 1.5
            g = _gauss(vol.shape, c, sigma)
            vol = vol * (1 - amp * g)
            mask = (g > 0.5).astype(np.uint8)
        name = f"{'lesion' if lesion[i] else 'control'}_{r.id}.nii.gz"
        nib.save(nib.Nifti1Image(vol, img.affine), out / 'images' / name)
        nib.save(nib.Nifti1Image(mask, img.affine), out / 'masks' / name)
        rows.append(dict(path=f'images/{name}', label='lesion' if lesion[i] else 'control', mask=f'masks/{name}',
                         patient=r.patient))
    return rows


@call_parse
def main(
    kind: Param("nih (2D radiographs) or ixi (3D brain MRI)", str),
    out: Param("output folder", str),
    amp: Param("strength: added brightness (nih, share of 255) or darkening (ixi, share of the intensity)", float) = None,
    sigma: Param("nih: blob width as a fraction of the image side", float) = 0.04,
    radius_mm: Param("ixi: lesion radius in mm", float) = 10.0,
    seed: Param("random seed", int) = 0,
    both_sexes: Param("ixi: implant into both sexes (180 volumes) rather than the 87 males", bool_arg) = False,
):
    out = Path(out)
    (out / 'images').mkdir(parents=True, exist_ok=True)
    (out / 'masks').mkdir(parents=True, exist_ok=True)
    if kind == 'nih':
        rows = _nih(out, 0.25 if amp is None else amp, sigma, seed)
    elif kind == 'ixi':
        rows = _ixi(out, 0.6 if amp is None else amp, radius_mm, seed, both_sexes)
    else:
        raise SystemExit(f"kind must be nih or ixi, not {kind!r}")
    pd.DataFrame(rows).to_csv(out / 'labels.csv', index=False)
    print(f"{len(rows)} images in {out}: {pd.DataFrame(rows).label.value_counts().to_dict()}")
