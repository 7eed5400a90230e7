"""Folder datasets made the way a user outside the project would make them, from the shared samples.

    python tools/user_folders.py KIND OUT

Each is a `labels.csv` (path,label,mask) beside one subfolder per class (the usual layout of an image folder), with a
lesion drawn by a recipe of its own, not `agc_nb.implant`'s, and a mask but no twin:
- `nodule2d`: 480 NIH 64² radiographs, every second one with a bright elliptical Gaussian nodule (axes 2.5-4.5 and
  1.8-3 px, any orientation, +90 grey levels, in either lung band), 8-bit PNG; classes healthy / nodule.
- `dark2d`: all 816 shared NIH radiographs (615 at 64², 8-bit; 201 at 512², 16-bit) in one folder, every second one
  darkened by up to half in a round lesion of radius 5-7 % of the side at a varying place in either lung band;
  classes clear / lesion.
- `bright3d`: the 185 IXI T1 volumes of `ixi_hh185` with a brain segmentation, every second one with a bright
  ellipsoid (semi-axes 6-9 x 4-6 x 4-6 voxels of 2 mm, any orientation, +60 % of the brain's 75th percentile) inside
  the eroded brain; classes control / lesion.
Run then as a user would: `agc_nb_report folder --data_dir OUT`.
"""
from pathlib import Path
import nibabel as nib, numpy as np, pandas as pd
from fastcore.script import call_parse
from PIL import Image
from scipy import ndimage

SHARED = Path(__file__).resolve().parents[2] / 'shared' / 'data'


def _png(arr, path, bits=8):
    "Save a [0, 1] image (or a boolean mask) as an 8- or 16-bit PNG."
    scale, dtype = (65535, np.uint16) if bits == 16 else (255, np.uint8)
    Image.fromarray((np.asarray(arr) * scale).astype(dtype)).save(path)


def nodule2d(out: Path, rng, classes) -> list:
    rows = []
    for i, f in enumerate(sorted((SHARED / 'nih_cxr14_64' / 'images').glob('*.png'))[:480]):
        im = np.asarray(Image.open(f).convert('L')).astype(np.float32)
        label = classes[i % 2]
        row = dict(path=f'{label}/{f.stem}.png', label=label, mask='')
        if i % 2:
            yy, xx = np.mgrid[:64, :64].astype(np.float32)
            cy, cx = rng.uniform(18, 44), rng.choice([rng.uniform(12, 26), rng.uniform(38, 52)])
            a, b, th = rng.uniform(2.5, 4.5), rng.uniform(1.8, 3.0), rng.uniform(0, np.pi)
            u = (xx - cx) * np.cos(th) + (yy - cy) * np.sin(th)
            v = -(xx - cx) * np.sin(th) + (yy - cy) * np.cos(th)
            blob = np.exp(-0.5 * ((u / a) ** 2 + (v / b) ** 2))
            im = np.clip(im + 90 * blob, 0, 255)
            row['mask'] = f'{label}/{f.stem}_mask.png'
            _png(blob > 0.5, out / row['mask'])
        Image.fromarray(im.astype(np.uint8)).save(out / row['path'])
        rows.append(row)
    return rows


def dark2d(out: Path, rng, classes) -> list:
    files = sorted((SHARED / 'nih_cxr14_64' / 'images').glob('*.png'))
    files += sorted((SHARED / 'nih_cxr14' / 'images').glob('*.png'))
    rows = []
    for k, j in enumerate(rng.permutation(len(files))):
        f = files[j]
        im = np.asarray(Image.open(f).convert('L')).astype(np.float32) / 255
        n = im.shape[0]
        label = classes[k % 2]
        row = dict(path=f'{label}/{f.stem}_{n}.png', label=label, mask='')
        if k % 2:
            yy, xx = np.mgrid[:n, :n].astype(np.float32) / n
            cy, cx = rng.uniform(0.3, 0.65), rng.choice([rng.uniform(0.2, 0.38), rng.uniform(0.62, 0.8)])
            d2 = ((yy - cy) ** 2 + (xx - cx) ** 2) / rng.uniform(0.05, 0.07) ** 2
            blob = np.clip(1 - d2, 0, 1) ** 2
            im = im * (1 - 0.5 * blob)
            row['mask'] = f'{label}/{f.stem}_{n}_mask.png'
            _png(blob > 0.3, out / row['mask'])
        _png(im, out / row['path'], bits=16 if n > 64 else 8)
        rows.append(row)
    return rows


def bright3d(out: Path, rng, classes) -> list:
    rows = []
    for f in sorted((SHARED / 'ixi_hh185' / 'volumes').glob('*_T1.nii.gz')):
        seg = SHARED / 'ixi_hh185' / 'brain_seg' / f.name.replace('_T1.nii.gz', '_T1_DLMUSE.nii.gz')
        if not seg.exists():
            continue
        img = nib.load(str(f))
        v = img.get_fdata().astype(np.float32)
        label = classes[len(rows) % 2]
        row = dict(path=f'{label}/{f.name}', label=label, mask='')
        if label == 'lesion':
            brain = ndimage.binary_erosion(np.asarray(nib.load(str(seg)).dataobj) > 0, iterations=8)
            centre = np.argwhere(brain)[rng.integers(brain.sum())]
            rot = np.linalg.qr(rng.normal(size=(3, 3)))[0]
            axes = rng.uniform([6, 4, 4], [9, 6, 6])
            grid = np.stack(np.meshgrid(*[np.arange(s) for s in v.shape], indexing='ij'), -1) - centre
            blob = np.clip(1 - (((grid @ rot) / axes) ** 2).sum(-1), 0, 1) ** 2
            v = v + 0.6 * np.percentile(v[brain], 75) * blob
            row['mask'] = f"{label}/{f.name.replace('.nii.gz', '_mask.nii.gz')}"
            nib.save(nib.Nifti1Image((blob > 0.25).astype(np.uint8), img.affine), str(out / row['mask']))
        nib.save(nib.Nifti1Image(v.astype(np.float32), img.affine), str(out / row['path']))
        rows.append(row)
    return rows


KINDS = dict(  # recipe, seed, class names (the subfolders)
    nodule2d=(nodule2d, 7, ('healthy', 'nodule')),
    dark2d=(dark2d, 23, ('clear', 'lesion')),
    bright3d=(bright3d, 11, ('control', 'lesion')),
)


@call_parse
def main(
    kind: str,  # nodule2d | dark2d | bright3d
    out: str,  # the folder to write (created)
):
    make, seed, classes = KINDS[kind]
    out = Path(out)
    for label in classes:
        (out / label).mkdir(parents=True, exist_ok=True)
    rows = make(out, np.random.default_rng(seed), classes)
    pd.DataFrame(rows).to_csv(out / 'labels.csv', index=False)
    print(f"{out}: {len(rows)} images, {pd.DataFrame(rows).label.value_counts().to_dict()}")
