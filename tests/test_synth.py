"""Acceptance of the synthetic ground-truth datasets, at the sizes the presets use."""
import numpy as np, pytest, torch
from agc_nb.synth import synth_sample, synth_bundle, synth_pair
from agc_nb.config import SYNTHETIC

@pytest.mark.parametrize('name', SYNTHETIC)
def test_twins_differ_only_inside_mask_and_are_deterministic(name):
    shape = (32,)*3 if name == 'synth_brain' else (64, 64)
    sizes = []
    for i in range(12):
        a, b = synth_pair(name, i, shape, seed=11); a2, b2 = synth_pair(name, i, shape, seed=11)
        assert np.array_equal(a, a2) and np.array_equal(b, b2)
        s = synth_sample(name, i, shape, seed=11)
        m = s['mask'][0].bool().numpy()
        assert m.any() and not m.all()
        assert np.array_equal(a[~m], b[~m]) and (a[m] != b[m]).all()
        assert torch.allclose(s['diff'][0], torch.from_numpy((b - a) if i % 2 == 0 else (a - b))*2, atol=1e-6)
        sizes.append(m.sum())
    assert np.std(sizes) > 0  # the effect's extent varies per sample

@pytest.mark.parametrize('name', SYNTHETIC)
def test_bundle_is_balanced_and_splits_fixed(name):
    b1, b2 = synth_bundle(name, 'smoke', seed=3), synth_bundle(name, 'smoke', seed=3)
    assert (b1.table.split == b2.table.split).all()
    for ds in (b1.train, b1.val, b1.test): assert abs(ds.labels.mean() - 0.5) < 0.15
    assert torch.equal(b1.test[0]['image'], b2.test[0]['image'])

def test_effects_look_like_their_clinical_analogue():
    for i in range(6):
        a, b = synth_pair('synth_chest', i, (128, 128)); d = b - a
        assert (d[d != 0] > 0).mean() > 0.9          # cardiomegaly: soft tissue replaces lung, the region gets denser
        cols = lambda img: ((img > 0.5) & (np.abs(d) > 0)).any(0).sum()
        assert cols(b) > cols(a)                      # the dense (heart) shadow is wider: a larger cardiothoracic ratio
        a, b = synth_pair('synth_ptx', i, (128, 128)); d = b - a
        assert (d[d != 0] < 0).mean() > 0.7           # pneumothorax: air without lung markings, darker (bar the pleural line)
        assert (d > 0).any()                          # ... and the bright visceral pleural line
        a, b = synth_pair('synth_brain', i, (32,)*3); d = b - a
        assert (d[d != 0] < 0).mean() > 0.95          # focal signal loss (a few edge voxels lose their noise instead)
