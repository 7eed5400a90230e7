"""The classifier pipeline: papermill smoke runs on the real samples, checkpoint checks, bad parameters."""
import dataclasses, json
import papermill as pm, pytest, torch, torchvision
from agc_nb.core import AgcError
from agc_nb.config import RunSpec, get_preset
from agc_nb.classifier import fit_classifier, load_classifier, classifier_config
from agc_nb.datasets import load_data
from agc_nb.pipeline import run_classifier
from agc_nb.synth import synth_bundle
from agc_nb.models import ResNet18
from conftest import ROOT, SHARED, needs_shared

def _papermill(tmp_path, **params):
    out = tmp_path/'report'
    pm.execute_notebook(str(ROOT/'nbs'/'train_cnn.ipynb'), str(tmp_path/'out.ipynb'), parameters=dict(params, out_dir=str(out)),
                        cwd=str(ROOT/'nbs'), progress_bar=False, kernel_name='python3')
    return json.loads((out/'metrics.json').read_text()), out

@needs_shared
def test_papermill_smoke_nih_cardiomegaly(tmp_path):
    m, out = _papermill(tmp_path, dataset='nih', task='cardiomegaly', data_dir=str(SHARED/'nih_cxr14'))
    assert m['dataset'] == 'nih' and m['task'] == 'cardiomegaly' and m['dims'] == 2
    c = m['classifier']
    # split by patient (NIH's default): 12 of 57 cardiomegaly and 20 of 101 No Finding images in test
    assert c['n'] == 12 + 20 and set(c['report']) >= {'No Finding', 'Cardiomegaly', 'accuracy'} and 0 <= c['accuracy'] <= 1
    assert [sum(r) for r in c['confusion']] == [20, 12]
    assert {p.name for p in out.glob('*.png')} >= {'history.png', 'confusion.png', 'lr_grid.png'}

@needs_shared
def test_papermill_smoke_ixi_3d(tmp_path, cache_dir):
    m, _ = _papermill(tmp_path, dataset='ixi', data_dir=str(SHARED/'ixi'))
    assert m['dims'] == 3 and m['shape'] == [16, 16, 16] and m['classifier']['n'] == 20
    assert set(m['classifier']['report']) >= {'male', 'female'}

@needs_shared
def test_classifier_on_shuffled_labels_is_flagged_first(tmp_path):
    "A classifier trained on labels that mean nothing: the warning leads metrics.json and the report notebook."
    import numpy as np, pandas as pd
    imgs = sorted((SHARED/'nih_cxr14_64'/'images').glob('*.png'))[:120]
    (tmp_path/'data').mkdir()
    labels = np.random.default_rng(0).permutation(['a', 'b'] * 60)
    for p in imgs: (tmp_path/'data'/p.name).write_bytes(p.read_bytes())
    pd.DataFrame(dict(path=[p.name for p in imgs], label=labels)).to_csv(tmp_path/'data'/'labels.csv', index=False)
    m, out = _papermill(tmp_path, dataset='folder', data_dir=str(tmp_path/'data'))
    assert list(m)[0] == 'warning' and 'not worth explaining' in m['warning'], list(m)[:3]
    assert m['classifier']['warning'] == m['warning']
    nb = json.loads((tmp_path/'out.ipynb').read_text())
    first = next(c for c in nb['cells'] if c['cell_type'] == 'code' and c.get('outputs') and 'run_classifier(spec)' in ''.join(c['source']))
    assert 'not worth explaining' in json.dumps(first['outputs'][0]), first['outputs'][:1]

def test_papermill_rejects_bad_parameter_before_training(tmp_path):
    with pytest.raises(pm.PapermillExecutionError, match='seed must be'):
        _papermill(tmp_path, seed='abc')
    with pytest.raises(pm.PapermillExecutionError, match='valid values'):
        _papermill(tmp_path, dataset='chest')
    assert not (tmp_path/'report'/'metrics.json').exists()

def test_checkpoint_of_another_config_is_refused(tmp_path):
    r = run_classifier('synth_chest', preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    ck = r['checkpoint']
    smoke = RunSpec(preset='smoke')
    brain = classifier_config(load_data('synth_brain', preset='smoke'), smoke)
    with pytest.raises(AgcError, match='dims=2.*dims=3'): load_classifier(ck, brain)
    with pytest.raises(AgcError, match="dataset='synth_chest'.*dataset='synth_ptx'"):
        load_classifier(ck, dict(classifier_config(r['bundle'], smoke), dataset='synth_ptx'))
    bigger = synth_bundle('synth_chest', dataclasses.replace(get_preset('smoke'), size2d=48))
    before = ck.read_bytes()
    with pytest.raises(AgcError, match=r'shape=\[32, 32\].*shape=\[48, 48\]'):
        fit_classifier(smoke.replace(progress=False), bigger, ck)
    assert ck.read_bytes() == before  # refused means untouched; overwrite=True retrains in place
    r2 = fit_classifier(smoke.replace(progress=False, overwrite=True), bigger, ck)
    assert not r2['reused'] and load_classifier(ck)[1]['config']['shape'] == [48, 48]

def test_presets_get_run_folders_of_their_own(tmp_path):
    kw = dict(out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    a = run_classifier('synth_ptx', preset='smoke', **kw)
    b = run_classifier('synth_ptx', preset='smoke', seed=1, **kw)
    assert not b['reused'] and a['checkpoint'].parent.name == 'smoke-32-s0' and b['checkpoint'].parent.name == 'smoke-32-s1'

def test_same_config_reuses_checkpoint(tmp_path):
    kw = dict(preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    a = run_classifier('synth_ptx', **kw); b = run_classifier('synth_ptx', **kw)
    assert b['reused'] and a['metrics'] == b['metrics']

def test_torchvision_classifier_loads():
    tv = torchvision.models.resnet18(num_classes=2); tv.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    m = ResNet18(2).load_any_state_dict(tv.state_dict()).eval()
    assert torch.equal(m.fc.weight, tv.fc.weight)
    tv3 = torchvision.models.resnet18()  # 3-channel, 1000 classes: refused with the reason
    with pytest.raises(AgcError, match='shape mismatch'): ResNet18(2).load_any_state_dict(tv3.state_dict())

@needs_shared
def test_source_folder_that_predicts_the_class_is_flagged(tmp_path):
    "The two shared NIH folders hold pneumothorax at 30 % and 7 %: the folder alone is a classifier, and the run says so."
    dirs = [str(SHARED/'nih_cxr14'), str(SHARED/'nih_cxr14_64')]
    r = run_classifier('nih', task='pneumothorax', data_dir=dirs, preset='smoke', out_dir=tmp_path/'rep',
                       runs_root=tmp_path/'runs', progress=False)
    src = r['metrics']['sources']
    assert set(src['folders']) == {'nih_cxr14', 'nih_cxr14_64'}, src
    big, small = src['folders']['nih_cxr14'], src['folders']['nih_cxr14_64']
    assert big['train_share'] > 2 * small['train_share'] and big['n'] + small['n'] == r['metrics']['n'], src
    assert src['folder_alone_auroc'] > 0.8, src
    assert 'source folder alone predicts' in r['metrics']['warning'], r['metrics']['warning']
    m = json.loads((tmp_path/'rep'/'metrics.json').read_text())
    assert 'source folder alone predicts' in m['warning'] and m['classifier']['sources'] == json.loads(json.dumps(src))
    one = run_classifier('nih', task='pneumothorax', data_dir=dirs[0], preset='smoke', out_dir=tmp_path/'one',
                         runs_root=tmp_path/'runs1', progress=False)
    assert 'sources' not in one['metrics'] and 'source folder' not in (one['metrics']['warning'] or '')

def test_class_subfolders_are_labels_not_sources(tmp_path):
    "`normal/` and `lesion/` under one folder are the usual layout: no folder warning; `site_a/` and `site_b/`, or two named folders, are sources and warn."
    import numpy as np, pandas as pd
    from PIL import Image
    rng, rows = np.random.default_rng(0), []
    for i in range(48):
        label = ('normal', 'lesion')[i % 2]
        img = rng.integers(0, 120, (32, 32)).astype(np.uint8)
        img[8:16, 8:16] += 100 * (i % 2)
        (tmp_path/'data'/label).mkdir(parents=True, exist_ok=True)
        Image.fromarray(img).save(tmp_path/'data'/label/f'{i:02d}.png')
        rows.append(dict(path=f'{label}/{i:02d}.png', label=label))
    pd.DataFrame(rows).to_csv(tmp_path/'data'/'labels.csv', index=False)
    kw = dict(preset='smoke', runs_root=tmp_path/'runs', progress=False)
    r = run_classifier('folder', data_dir=tmp_path/'data', out_dir=tmp_path/'rep', **kw)
    assert r['metrics']['sources'] == {'class_folders': ['lesion', 'normal']}, r['metrics'].get('sources')
    assert 'source folder' not in (r['metrics']['warning'] or '')
    m = json.loads((tmp_path/'rep'/'metrics.json').read_text())
    assert m['classifier']['sources'] == {'class_folders': ['lesion', 'normal']}
    for label, site in (('normal', 'site_a'), ('lesion', 'site_b')):  # subfolders not named after a class: sources
        (tmp_path/'data'/label).rename(tmp_path/'data'/site)
    sites = pd.DataFrame(rows).assign(path=lambda d: d.path.str.replace('normal/', 'site_a/').str.replace('lesion/', 'site_b/'))
    sites.to_csv(tmp_path/'data'/'labels.csv', index=False)
    by_site = run_classifier('folder', data_dir=tmp_path/'data', out_dir=tmp_path/'rep1', **kw)
    assert 'source folder alone predicts' in by_site['metrics']['warning'], by_site['metrics']['warning']
    for label, site in (('normal', 'site_a'), ('lesion', 'site_b')):
        (tmp_path/'data'/site).rename(tmp_path/'data'/label)
    for label in ('normal', 'lesion'):  # the same images as two folders named in data_dir: pooled sources
        lab = pd.DataFrame([dict(row, path=row['path'].split('/')[1]) for row in rows if row['label'] == label])
        (tmp_path/'data'/label/'labels.csv').write_text(lab.to_csv(index=False))
    dirs = [str(tmp_path/'data'/'normal'), str(tmp_path/'data'/'lesion')]
    pooled = run_classifier('folder', data_dir=dirs, out_dir=tmp_path/'rep2', **kw)
    assert 'source folder alone predicts' in pooled['metrics']['warning'], pooled['metrics']['warning']
