"""The report: agc_nb_report end to end, the metrics.json contract, folder datasets with masks, NIH boxes."""
import json, re
import numpy as np, pandas as pd, pytest
from PIL import Image
from agc_nb.report import make_report
from agc_nb.pipeline import run_report
from conftest import SHARED, needs_shared

CONTRACT = {'dataset', 'task', 'preset', 'dims', 'seed', 'classifier', 'translation', 'timing'}

def _check_contract(m, with_gt=True, floor=True):
    assert CONTRACT <= set(m)
    assert {'accuracy', 'auroc', 'report'} <= set(m['classifier'])
    for d in ('a2b', 'b2a'):
        t = m['translation'][d]
        assert {'flip_rate', 'flip_share_raw', 'confusion_before', 'confusion_after'} <= set(t)
        # the flip rate counts the images called right before translation: none right, no rate
        assert (t['flip_rate'] is None) == (t['n_right_before'] == 0) and 0 <= t['flip_share_raw'] <= 1
        assert t['flip_rate'] is None or 0 <= t['flip_rate'] <= 1
        assert np.array(t['confusion_after']).sum() == t['n'] > 0
    assert {'train_cnn_s', 'train_gan_s', 'explain_ms_agc', 'explain_ms_gradcampp'} <= set(m['timing'])
    assert all(m['timing'][k] > 0 for k in ('explain_ms_agc', 'explain_ms_gradcampp'))
    if with_gt:
        for k in ('attention', 'gradcampp', 'diff', 'random', 'center'):
            assert {'ncc', 'pointing_game', 'auroc'} <= set(m['localization'][k])
        # the floor behaves as a floor: a random map has no correlation with the truth
        if floor: assert abs(m['localization']['random']['ncc']) < 0.05 and abs(m['localization']['random']['auroc'] - 0.5) < 0.05

def test_agc_nb_report_writes_offline_html_and_metrics(tmp_path):
    html = make_report('synth_chest', preset='smoke', out_dir=tmp_path, progress=False)
    text = html.read_text()
    n_img = len(re.findall(r'<img[^>]+src="data:image/png;base64', text))
    assert n_img >= 9, n_img                                    # every figure embedded
    assert not re.search(r'<img[^>]+src="https?:', text)        # none fetched from the network
    assert 'def ' not in text and 'import ' not in text         # --no-input: code hidden
    assert html.stat().st_size < 5*2**20
    m = json.loads((tmp_path/'metrics.json').read_text())
    _check_contract(m); assert m['dataset'] == 'synth_chest' and m['dims'] == 2 and 'translation_fidelity' in m
    assert (tmp_path/'train_gan.ipynb').exists() and (tmp_path/'cnn'/'confusion.png').exists()

def test_folder_dataset_with_masks(tmp_path):
    rng = np.random.default_rng(0); rows = []
    (tmp_path/'img').mkdir(); (tmp_path/'mask').mkdir()
    for i in range(40):
        img = rng.normal(100, 10, (40, 40)); m = np.zeros((40, 40), np.uint8)
        if i % 2: y, x = rng.integers(8, 28, 2); img[y:y + 6, x:x + 6] += 80; m[y:y + 6, x:x + 6] = 255
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(tmp_path/'img'/f'{i}.png'); Image.fromarray(m).save(tmp_path/'mask'/f'{i}.png')
        rows.append(dict(path=f'img/{i}.png', label='lesion' if i % 2 else 'healthy', mask=f'mask/{i}.png'))
    pd.DataFrame(rows).to_csv(tmp_path/'labels.csv', index=False)
    r = run_report('folder', data_dir=tmp_path, preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    m = r['metrics']; _check_contract(m, floor=False)  # 4 masked test images: too few for the floor's tolerance
    assert r['bundle'].classes == ['healthy', 'lesion']
    assert m['localization']['attention']['n'] == 4  # the test images of the lesion class carry masks
    assert 'translation_fidelity' not in m           # masks only: no true difference image

@needs_shared
def test_nih_sample_box_metrics(tmp_path):
    r = run_report('nih', 'cardiomegaly', SHARED/'nih_cxr14', preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    lb = r['metrics']['localization_boxes']
    assert lb['attention']['n'] == 3 and lb['gradcampp']['n'] == 3 and sum(lb['splits'].values()) == 3
    for k in ('attention', 'gradcampp'): assert 0 <= lb[k]['iobb'] <= 1 and lb[k]['pointing_game'] in (0, 1/3, 2/3, 1)
    assert 'localization' not in r['metrics']
    assert (tmp_path/'rep'/'boxes.png').exists()

def test_synth_brain_3d_smoke(tmp_path):
    r = run_report('synth_brain', preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    _check_contract(r['metrics']); assert r['metrics']['dims'] == 3
    assert r['results']['cam'].shape[1:] == (16, 16, 16) and (tmp_path/'rep'/'orthogonal_a.png').exists()

def test_explorer_on_a_real_run_switches_direction(tmp_path):
    from agc_nb.widgets import Explorer
    r = run_report('synth_ptx', preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs', progress=False)
    ex = Explorer(r['results'], r['bundle'].classes, r['gan'], r['classifier'])
    i = ex.sample.value; own = ex.view_data()
    ex.direction.value = 'b2a' if own['direction'] == 'a2b' else 'a2b'
    other = ex.view_data()
    assert other['direction'] != own['direction'] and not np.array_equal(other['fake'], own['fake'])
    assert ex.fig.axes[2].get_title().split('\n')[0] != f"translated {r['bundle'].classes[own['label']]}"
    ex.threshold.value = ex.threshold.max
    assert ex.fig.axes[1].images[1].get_array().mask.sum() >= ex.fig.axes[1].images[1].get_array().size - 1

def test_smoke_report_in_a_fresh_clone_leaves_tracked_files_alone(tmp_path):
    import subprocess, sys
    from conftest import ROOT
    clone = tmp_path/'clone'
    subprocess.run(['git', 'clone', '-q', str(ROOT), str(clone)], check=True)
    r = subprocess.run([sys.executable, '-c', 'from agc_nb.report import agc_nb_report; agc_nb_report()', 'synth_chest',
                        '--preset', 'smoke'], cwd=clone, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (clone/'reports'/'synth_chest'/'smoke-32-s0'/'report.html').exists()
    status = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=no'], cwd=clone, capture_output=True, text=True)
    assert status.stdout == '', status.stdout
    assert subprocess.run(['git', 'status', '--porcelain'], cwd=clone, capture_output=True, text=True).stdout == ''

@needs_shared
def test_ixi_attention_confined_to_the_head(tmp_path, monkeypatch, cache_dir):
    "The demo's 3D setting end to end on real volumes: masks reach training and explanation, every maximum in the head."
    import dataclasses
    import agc_nb.config as C
    smoke = C.PRESETS['smoke']
    monkeypatch.setitem(C.PRESETS, 'smoke', dataclasses.replace(smoke, gan3d=dict(smoke.gan3d, confine='head')))
    r = run_report('ixi', data_dir=str(SHARED/'ixi'), preset='smoke', out_dir=tmp_path/'rep', runs_root=tmp_path/'runs',
                   progress=False)
    m = json.loads((tmp_path/'rep'/'metrics.json').read_text())
    _check_contract(m, with_gt=False)
    assert m['gan']['confine'] == 'head'
    assert m['peak_in_anatomy']['head']['attention'] == dict(share=1.0, outside=[], n=m['classifier']['n'])
