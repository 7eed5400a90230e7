"""Reliability: untrusted checkpoints, unusable output folders, determinism, and the data problems not covered elsewhere."""
import json, os, shutil
import nibabel as nib, numpy as np, pandas as pd, pytest, torch
from PIL import Image
from agc_nb.core import AgcError, load_checkpoint, check_writable, save_checkpoint
from agc_nb.data import ixi_table
from agc_nb.datasets import load_data
from agc_nb.pipeline import run_report

class _Evil:
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (os.system, (f'touch {self.marker}',))

def test_crafted_pickle_checkpoint_never_runs(tmp_path):
    marker = tmp_path/'code-ran'
    torch.save(dict(config={}, model=_Evil(marker)), tmp_path/'cnn.pt')
    with pytest.raises(AgcError, match='refused'): load_checkpoint(tmp_path/'cnn.pt')
    assert not marker.exists()
    (tmp_path/'junk.pt').write_bytes(b'not a checkpoint')
    with pytest.raises(AgcError, match='corrupt or truncated'): load_checkpoint(tmp_path/'junk.pt')

def test_every_torch_load_is_weights_only():
    import agc_nb, re
    for f in (os.path.dirname(agc_nb.__file__),):
        for py in sorted(__import__('pathlib').Path(f).glob('*.py')):
            for call in re.findall(r'torch\.load\([^)]*\)', py.read_text()): assert 'weights_only=True' in call, (py, call)

def test_unwritable_or_full_out_dir_is_refused_before_work(tmp_path, monkeypatch):
    (tmp_path/'file').write_text('x')
    with pytest.raises(AgcError, match='not writable'): check_writable(tmp_path/'file'/'sub')
    monkeypatch.setattr(shutil, 'disk_usage', lambda p: shutil._ntuple_diskusage(10**9, 10**9 - 2**20, 2**20))
    with pytest.raises(AgcError, match='MB free'): run_report('synth_chest', preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    assert not (tmp_path/'runs').exists() or not any((tmp_path/'runs').rglob('*.pt'))  # refused before any training

def test_same_seed_same_metrics(tmp_path):
    ms = []
    for k in (1, 2):
        r = run_report('synth_chest', preset='smoke', out_dir=tmp_path/f'rep{k}', runs_root=tmp_path/f'runs{k}', seed=7, progress=False)
        m = json.loads((tmp_path/f'rep{k}'/'metrics.json').read_text()); m.pop('timing'); m['classifier'].pop('hparams', None)
        ms.append(m)
    assert ms[0] == ms[1]

def test_ixi_volume_without_demographics_is_counted_and_skipped(tmp_path):
    for n in (1, 2, 3):
        nib.save(nib.Nifti1Image(np.random.rand(6, 6, 6).astype(np.float32), np.eye(4)), str(tmp_path/f'IXI{n:03d}-HH-1_T1.nii.gz'))
    pd.DataFrame(dict(IXI_ID=[1, 2], SEX_ID=[1, 2])).to_csv(tmp_path/'demographics.csv', index=False)
    with pytest.warns(UserWarning, match='1 IXI volume'): t = ixi_table(tmp_path)
    assert sorted(t.patient) == ['IXI001', 'IXI002']

def test_three_labels_and_non_square_images(tmp_path):
    rows = []
    for i in range(12):
        Image.fromarray((np.random.default_rng(i).random((20, 30))*255).astype(np.uint8)).save(tmp_path/f'{i}.png')
        rows.append(dict(path=f'{i}.png', label='ab'[i % 2]))
    pd.DataFrame(rows).to_csv(tmp_path/'labels.csv', index=False)
    b = load_data('folder', data_dir=tmp_path, preset='smoke')
    assert b.train[0]['image'].shape == (1, 32, 32)  # non-square images are resized to the preset's square grid
    pd.DataFrame(rows + [dict(path='0.png', label='c')]).drop_duplicates('path', keep='last').to_csv(tmp_path/'labels.csv', index=False)
    with pytest.raises(AgcError, match=r"3 label value\(s\) \['a', 'b', 'c'\]"): load_data('folder', data_dir=tmp_path)
