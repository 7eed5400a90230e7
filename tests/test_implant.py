"""Implanted ground truth on real images (issue 14.1): nih, ixi and folder datasets, 2D and 3D.

Every implanted dataset must give twins that differ only inside non-empty masks, the same arrays for one seed, and
effect centres inside the region prior (lung fields, brain, image foreground)."""
import nibabel as nib, numpy as np, pandas as pd, pytest, torch
from PIL import Image
from agc_nb.core import AgcError
from agc_nb.datasets import load_data
from agc_nb.implant import lung_prior, region_prior
from conftest import needs_shared


def _body(rng, shape):
    "A bright textured ellipse/ellipsoid (the 'organ') on a dark background."
    grids = np.meshgrid(*[np.linspace(-1, 1, n) for n in shape], indexing='ij')
    inside = sum((g / 0.7) ** 2 for g in grids) < 1
    return np.where(inside, 0.5 + 0.3 * rng.random(shape), 0.02 * rng.random(shape)).astype(np.float32)


def _folder(tmp_path, dims, n_a=16, n_b=6):
    rows = []
    for i in range(n_a + n_b):
        rng = np.random.default_rng(i)
        a = _body(rng, (40,) * dims)
        if dims == 2:
            name = f'im{i}.png'
            Image.fromarray((a * 255).astype(np.uint8)).save(tmp_path / name)
        else:
            name = f'im{i}.nii.gz'
            nib.save(nib.Nifti1Image(a, np.diag([3.0, 3.0, 3.0, 1.0])), tmp_path / name)
        rows.append(dict(path=name, label='a' if i < n_a else 'b'))
    pd.DataFrame(rows).to_csv(tmp_path / 'labels.csv', index=False)
    return tmp_path


def _check(bundle, inside_prior):
    "Twins differ only in the mask, masks are non-empty, both halves are there, centres lie in the prior."
    labels = []
    for ds in (bundle.train, bundle.val, bundle.test):
        for i in range(len(ds)):
            s = ds[i]
            assert s['mask'].sum() > 0
            assert (s['diff'] != 0).any()
            assert not ((s['diff'] != 0) & (s['mask'] == 0)).any()
            assert inside_prior(s), s['centre']
            labels.append(s['label'])
    assert set(labels) == {0, 1}


@pytest.mark.parametrize('dims,implant', [(2, 'bright'), (2, 'shrink,size=0.15'), (3, 'dark'), (3, 'expand')])
def test_folder_implant(tmp_path, cache_dir, dims, implant):
    d = _folder(tmp_path, dims)
    b = load_data('folder', data_dir=d, preset='smoke', implant=implant)
    assert b.classes == ['control', implant.split(',')[0]] and b.has_gt
    assert len(b.table) == 16  # the first class only: the effect is the one difference left
    fg = lambda s: region_prior(s, 'folder')[1][tuple(s['centre'].long().tolist())].item()
    _check(b, fg)
    again = load_data('folder', data_dir=d, preset='smoke', implant=implant)
    for i in range(len(b.test)):
        assert torch.equal(b.test[i]['image'], again.test[i]['image'])
    other = load_data('folder', data_dir=d, preset='smoke', implant=implant, seed=1)
    assert not all(torch.equal(b.train[0]['centre'], other.train[i]['centre']) for i in range(len(other.train)))


def test_implant_in_mm_needs_a_voxel_size(tmp_path, cache_dir):
    d = _folder(tmp_path, 2)
    with pytest.raises(AgcError, match='fraction of the image side'):
        load_data('folder', data_dir=d, preset='smoke', implant='dark,size=10mm').train[0]
    d3 = _folder(tmp_path / 'v', 3) if (tmp_path / 'v').mkdir() is None else None
    b = load_data('folder', data_dir=d3, preset='smoke', implant='dark,size=12mm')
    side = b.train.base.side  # 40 voxels of 3 mm cut to a cube around the ellipsoid (28 voxels wide), resized to 16
    assert 28 <= side <= 40
    assert abs(b.train.radius - 12 / (3 * side / 16)) < 1e-6, (b.train.radius, side)


def test_synthetic_datasets_refuse_an_implant():
    with pytest.raises(AgcError, match='real images'):
        load_data('synth_chest', implant='dark')


@needs_shared
def test_shared_nih_and_ixi_implants(cache_dir):
    nih = load_data('nih', preset='smoke', implant='bright')
    assert len(nih.table) == 599 and nih.table.groupby('patient').label.nunique().max() == 1
    _check(nih, lambda s: lung_prior(nih.shape)[tuple(s['centre'].long().tolist())].item())
    ixi = load_data('ixi', preset='smoke', implant='dark,size=0.15')
    assert len(ixi.table) == 180  # both sexes are healthy: every subject is in the pool
    _check(ixi, lambda s: s['brain'][0][tuple(s['centre'].long().tolist())].item() > 0)
    males = load_data('ixi', preset='smoke', implant='dark,size=0.15,pool=first')
    assert 60 < len(males.table) < 120 and set(males.table.patient) < set(ixi.table.patient)
