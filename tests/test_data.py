"""Acceptance of the data layer: thesis split sizes, the shared real samples, and every bad input it can see."""
import gzip, warnings
import nibabel as nib, numpy as np, pandas as pd, pytest, torch
from PIL import Image
from agc_nb.core import AgcError
from agc_nb.data import split_counts, read_array, ixi_demographics, nih_labels, assign_splits
from agc_nb.datasets import load_data
from conftest import SHARED, needs_shared

NIH = SHARED/'nih_cxr14'; IXI = SHARED/'ixi'

@needs_shared
@pytest.mark.parametrize('task,pos,neg', [('cardiomegaly', [1776, 444, 556], [38630, 9658, 12073]),
                                          ('pneumothorax', [3392, 849, 1061], [38630, 9658, 12073])])
def test_thesis_split_sizes(task, pos, neg):
    c = split_counts('nih', task, labels=NIH/'Data_Entry_2017_v2020.csv.gz')
    assert c.iloc[1].tolist() == pos and c.loc['No Finding'].tolist() == neg

@needs_shared
def test_patient_split_has_no_overlap():
    df = nih_labels(NIH/'Data_Entry_2017_v2020.csv.gz', 'cardiomegaly')
    s = assign_splits(df.label.values, df.patient.values, split='patient')
    groups = {k: set(df.patient[s == k]) for k in ('train', 'val', 'test')}
    assert not (groups['train'] & groups['val']) and not (groups['train'] & groups['test']) and not (groups['val'] & groups['test'])
    # the class balance stays close to the image split (20% test per class)
    for lab in (0, 1): assert abs((s[df.label == lab] == 'test').mean() - 0.2) < 0.03
    # the image split does put one patient's images in several splits: that is what the patient split is for
    si = assign_splits(df.label.values)
    assert set(df.patient[si == 'train']) & set(df.patient[si == 'test'])

@needs_shared
def test_nih_sample_loads_with_labels_and_boxes():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        b = load_data('nih', 'cardiomegaly', NIH, preset='smoke')
    # the official csv lists all 112k images and only 201 are here: expected, so no warning (a labels.csv warns)
    assert not any('dropped' in str(x.message) for x in w)
    ref = pd.read_csv(NIH/'labels.csv').set_index('Image Index')
    # all 201 images are found; 158 of them belong to the cardiomegaly task (57 + 101)
    assert len({p.name for p in NIH.glob('images/*.png')}) == 201
    assert (b.table.label == 1).sum() == 57 and (b.table.label == 0).sum() == 101
    for r in b.table.itertuples(): assert r.label == int('Cardiomegaly' in ref.loc[r.id, 'Finding Labels'])
    boxed = b.table[b.table.boxes.map(len) > 0]
    assert len(boxed) == 3
    raw = pd.read_csv(NIH/'bbox_list.csv')
    r0 = raw.iloc[0]; row = boxed[boxed.id == r0['Image Index']].iloc[0]
    ds = getattr(b, row.split); i = list(ds.df.id).index(r0['Image Index'])
    x, y, w, h = ds.boxes(i)[0]
    assert abs(x - r0.x*32/1024) < 1e-6 and abs(h - r0.h*32/1024) < 1e-6  # 1024-pixel boxes scaled to the 32-pixel images
    pt = load_data('nih', 'pneumothorax', NIH, preset='smoke')
    assert (pt.table.label == 1).sum() == 44

@needs_shared
def test_nih_sample_all_201_images_decode():
    for p in sorted(NIH.glob('images/*.png')):
        a = read_array(p, 2); assert a.shape == (512, 512)

@needs_shared
def test_ixi_sample_loads(cache_dir):
    b = load_data('ixi', data_dir=IXI, preset='smoke', cache_dir=cache_dir)
    assert len(b.table) == 100 and (b.table.label == 0).sum() == 50
    assert b.classes == ['male', 'female']
    demo = pd.read_csv(IXI/'demographics.csv').set_index('subject')
    for r in b.table.itertuples(): assert r.label == demo.loc[r.id.replace('_T1', ''), 'SEX_ID'] - 1
    for ds in (b.train, b.val, b.test):
        for i in range(len(ds)):
            x = ds[i]['image']
            assert x.shape == (1, 16, 16, 16) and x.min() >= -1 and x.max() <= 1 and x.min() == -1
    assert len(list(cache_dir.glob('*.npz'))) == 100

@needs_shared
def test_ixi_volumes_are_ras():
    f = sorted((IXI/'volumes').glob('*.nii.gz'))[0]
    img = nib.load(str(f)); assert nib.aff2axcodes(img.affine) == ('P', 'S', 'R')
    can = nib.as_closest_canonical(img)
    assert nib.aff2axcodes(can.affine) == ('R', 'A', 'S')
    np.testing.assert_array_equal(read_array(f, 3), can.get_fdata(dtype=np.float32))

def test_reorientation_moves_a_marker_to_ras(tmp_path):
    vol = np.zeros((5, 6, 7), np.float32); vol[0, 0, 0] = 1  # first voxel on an L-P-I affine = most left, posterior, inferior
    nib.save(nib.Nifti1Image(vol, np.diag([-1., -1., -1., 1.])), str(tmp_path/'lpi.nii.gz'))
    a = read_array(tmp_path/'lpi.nii.gz', 3)
    assert a.shape == (5, 6, 7) and a[-1, -1, -1] == 1  # in RAS it is at the high end of every axis

@needs_shared
def test_ixi_conflicting_sex_is_excluded():
    with pytest.warns(UserWarning, match='IXI328'):
        d = ixi_demographics(IXI/'IXI.xls')
    assert 328 not in d.index and len(d) > 500

# --- bad inputs -----------------------------------------------------------------------------------------------

def _folder(tmp_path, n=8, ext='png', make=None):
    rows = []
    for i in range(n):
        a = (np.random.default_rng(i).random((16, 16))*255).astype(np.uint8)
        p = tmp_path/f'im{i}.{ext}'
        (make or (lambda p, a: Image.fromarray(a).save(p)))(p, a)
        rows.append(dict(path=p.name, label='b' if i % 2 else 'a'))
    pd.DataFrame(rows).to_csv(tmp_path/'labels.csv', index=False)
    return rows

def test_folder_ok(tmp_path):
    _folder(tmp_path, 12)
    b = load_data('folder', data_dir=tmp_path, preset='smoke')
    assert b.classes == ['a', 'b'] and b.dims == 2 and len(b.table) == 12

def test_corrupt_png_named(tmp_path):
    _folder(tmp_path, 12); (tmp_path/'im3.png').write_bytes(b'\x89PNG garbage')
    b = load_data('folder', data_dir=tmp_path, preset='smoke')
    ds = next(d for d in (b.train, b.val, b.test) if 'im3.png' in set(d.df.id))
    with pytest.raises(AgcError, match=r'im3\.png.*corrupt'): ds[list(ds.df.id).index('im3.png')]

def test_truncated_nifti_named(tmp_path):
    nib.save(nib.Nifti1Image(np.random.rand(8, 8, 8).astype(np.float32), np.eye(4)), str(tmp_path/'v.nii.gz'))
    raw = (tmp_path/'v.nii.gz').read_bytes(); (tmp_path/'v.nii.gz').write_bytes(raw[:len(raw)//2])
    with pytest.raises(AgcError, match=r'v\.nii\.gz.*(corrupt|truncated)'): read_array(tmp_path/'v.nii.gz', 3)

def test_nan_volume_named(tmp_path):
    v = np.random.rand(8, 8, 8).astype(np.float32); v[1, 2, 3] = np.nan
    nib.save(nib.Nifti1Image(v, np.eye(4)), str(tmp_path/'n.nii.gz'))
    with pytest.raises(AgcError, match=r'n\.nii\.gz contains NaN'): read_array(tmp_path/'n.nii.gz', 3)

def test_wrong_dimensionality(tmp_path):
    _folder(tmp_path, 8, 'npy', make=lambda p, a: np.save(p, a[None].repeat(3, 0) if p.name == 'im5.npy' else a))
    with pytest.raises(AgcError, match='mixes'): load_data('folder', data_dir=tmp_path)

def test_missing_file_listed(tmp_path):
    _folder(tmp_path, 8); (tmp_path/'im2.png').unlink()
    with pytest.raises(AgcError, match=r'1 file\(s\).*im2\.png'): load_data('folder', data_dir=tmp_path)

def test_one_class_empty(tmp_path):
    rows = _folder(tmp_path, 8)
    pd.DataFrame([dict(r, label='a') for r in rows]).to_csv(tmp_path/'labels.csv', index=False)
    with pytest.raises(AgcError, match='exactly two classes'): load_data('folder', data_dir=tmp_path)

def test_duplicate_and_escaping_paths(tmp_path):
    rows = _folder(tmp_path, 8)
    pd.DataFrame(rows + rows[:1]).to_csv(tmp_path/'labels.csv', index=False)
    with pytest.raises(AgcError, match='more than once'): load_data('folder', data_dir=tmp_path)
    pd.DataFrame(rows + [dict(path='../x.png', label='a')]).to_csv(tmp_path/'labels.csv', index=False)
    with pytest.raises(AgcError, match='outside'): load_data('folder', data_dir=tmp_path)

def test_missing_labels_csv_and_dir(tmp_path):
    with pytest.raises(AgcError, match='labels.csv'): load_data('folder', data_dir=tmp_path)
    with pytest.raises(AgcError, match='does not exist'): load_data('ixi', data_dir=tmp_path/'nope')

def test_constant_image(tmp_path):
    _folder(tmp_path, 8, make=lambda p, a: Image.fromarray(np.full_like(a, 7)).save(p))
    b = load_data('folder', data_dir=tmp_path, preset='smoke')
    with pytest.raises(AgcError, match='constant'): b.train[0]

@pytest.mark.parametrize('kw,msg', [(dict(dataset='mnist'), 'synth_chest'), (dict(dataset='nih', task='effusion'), 'pneumothorax'),
                                    (dict(preset='huge'), 'smoke, demo, thesis'), (dict(split='site'), 'image, patient'),
                                    (dict(norm='robust'), 'minmax, zscore')])
def test_unknown_names_list_valid_values(kw, msg):
    with pytest.raises(AgcError, match=msg): load_data(**kw)

def test_nih_label_file_problems(tmp_path):
    with pytest.raises(AgcError, match='not found'): nih_labels(tmp_path/'none.csv', 'cardiomegaly')
    pd.DataFrame(dict(a=[1])).to_csv(tmp_path/'bad.csv', index=False)
    with pytest.raises(AgcError, match='Finding Labels'): nih_labels(tmp_path/'bad.csv', 'cardiomegaly')
    pd.DataFrame({'Image Index': ['x.png'], 'Finding Labels': ['No Finding'], 'Patient ID': [1]}).to_csv(tmp_path/'l.csv', index=False)
    with pytest.raises(AgcError, match='none of the 1 images'): load_data('nih', data_dir=tmp_path, labels=tmp_path/'l.csv')

def test_large_2d_table_is_packed_on_disk(tmp_path, monkeypatch):
    import agc_nb.datasets as D
    from agc_nb.data import PackedDataset, TableDataset
    d = tmp_path/'data'; d.mkdir(); _folder(d, 12)
    mem = load_data('folder', data_dir=d, preset='smoke', cache_dir=tmp_path/'cache')
    monkeypatch.setattr(D, 'IN_MEMORY_MB', 0.01)  # 12 images of 32² float32 are 0.05 MB: over this limit
    packed = load_data('folder', data_dir=d, preset='smoke', cache_dir=tmp_path/'cache')
    assert isinstance(mem.train, TableDataset) and isinstance(packed.train, PackedDataset)
    for s in ('train', 'val', 'test'):
        a, b = getattr(mem, s), getattr(packed, s)
        assert len(a) == len(b) and list(a.labels) == list(b.labels)
        assert all(torch.allclose(a[i]['image'], b[i]['image'], atol=1e-3) for i in range(len(a)))
    assert len(list((tmp_path/'cache').glob('packed-*.f16'))) == 3

def test_packing_a_corrupt_png_names_it_and_leaves_no_file(tmp_path, monkeypatch):
    import agc_nb.datasets as D
    d = tmp_path/'data'; d.mkdir(); _folder(d, 12); (d/'im3.png').write_bytes(b'\x89PNG garbage')
    monkeypatch.setattr(D, 'IN_MEMORY_MB', 0.01)
    with pytest.raises(Exception, match=r'im3\.png'):
        load_data('folder', data_dir=d, preset='smoke', cache_dir=tmp_path/'cache')
    split_of_im3 = [f for f in (tmp_path/'cache').glob('*') if f.suffix == '.f16' and f.stat().st_size == 0]
    assert not split_of_im3 and not list((tmp_path/'cache').glob('.*.tmp'))
