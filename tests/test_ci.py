"""The CI check itself: it must fail when a notebook is left unexported or not clean."""
import json, shutil, subprocess, sys
from conftest import ROOT

def _copy(tmp_path):
    dst = tmp_path/'proj'
    shutil.copytree(ROOT, dst, ignore=shutil.ignore_patterns('.git', 'runs', 'reports', '*.egg-info', '__pycache__'))
    return dst

def _run(dst): return subprocess.run([sys.executable, 'tests/check_sync.py'], cwd=dst, capture_output=True, text=True)

def test_sync_check_passes_on_this_tree(tmp_path):
    r = _run(_copy(tmp_path)); assert r.returncode == 0, r.stdout + r.stderr

def test_sync_check_fails_on_unexported_notebook(tmp_path):
    dst = _copy(tmp_path); nb = dst/'nbs'/'01_config.ipynb'
    j = json.loads(nb.read_text())
    j['cells'].append(dict(cell_type='code', execution_count=None, id='deadbeef', metadata={}, outputs=[],
                           source=['#| export\n', 'def brand_new(): return 1']))
    nb.write_text(json.dumps(j, indent=1) + '\n')
    r = _run(dst); assert r.returncode == 1 and 'agc_nb/config.py' in r.stdout

def test_sync_check_fails_on_unclean_notebook(tmp_path):
    dst = _copy(tmp_path); nb = dst/'nbs'/'02_data.ipynb'
    j = json.loads(nb.read_text()); j['cells'][0]['metadata']['collapsed'] = True; j['metadata']['widgets'] = {}
    nb.write_text(json.dumps(j, indent=1) + '\n')
    r = _run(dst); assert r.returncode == 1 and 'nbs/02_data.ipynb' in r.stdout

def test_ci_runs_the_readme_test_command():
    readme = (ROOT/'README.md').read_text(); ci = (ROOT/'.ci'/'run').read_text()
    cmd = 'pip install -e ".[dev]" && bash tests/run_all.sh'
    assert cmd in readme and cmd in ci

def test_docs_check_finds_broken_pages(tmp_path, monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location('build_docs', ROOT/'tools'/'build_docs.py')
    bd = importlib.util.module_from_spec(spec); spec.loader.exec_module(bd)
    monkeypatch.setattr(bd, 'SITE', tmp_path)
    (tmp_path/'00_core').mkdir()
    (tmp_path/'00_core'/'index.html').write_text('<h1>Core</h1> Traceback (most recent call last): boom')
    (tmp_path/'index.html').write_text('<h1>agc_nb</h1> fine')
    bad = bd.check_site(['index.ipynb', '00_core.ipynb', '01_config.ipynb'])
    assert bad == ['00_core.ipynb: the page shows a traceback', '01_config.ipynb: no page 01_config/index.html'], bad
