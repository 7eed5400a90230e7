import os, shutil, subprocess, sys, warnings
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent/'shared'/'data'
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ['AGC_NB_SMOKE'] = '1'

needs_shared = pytest.mark.skipif(
    not SHARED.exists(), reason=f"real sample data not found at {SHARED} (the shared samples sit beside the project)")

@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path/'cache'; monkeypatch.setenv('AGC_NB_CACHE', str(d)); return d
