"""The GPU check runs end to end on the CPU (`tools/gpu_check.sh --dry-run`): every path a lent GPU will take."""
import subprocess
from conftest import ROOT


def test_gpu_check_dry_run_prints_its_table():
    r = subprocess.run(['bash', 'tools/gpu_check.sh', '--dry-run'], cwd=ROOT, capture_output=True, text=True,
                       timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    out = r.stdout
    assert ': failed' not in out, out  # `_guarded` turns a broken path into a row: the dry run must have none
    for row in ('amp off', 'amp on', 'channels_last on', 'compile: skipped in the dry run', 'thesis preset nih',
                'thesis preset ixi', 'full run', 'DDP samples_per_s_2proc'):
        assert row in out, (row, out)
    streamed = [l for l in out.splitlines() if ' | ' in l]  # each row as it was measured, then the table
    assert any(l.startswith('thesis preset ixi 16^3, bf16: step | ') for l in streamed), out
    hours = [float(l.split()[-3]) for l in out.splitlines() if 'full run' in l and ' | ' not in l]
    assert len(hours) == 4 and all(h > 0 for h in hours)  # nih and ixi, fp32 and bf16


def test_gpu_check_refuses_unknown_options():
    r = subprocess.run(['bash', 'tools/gpu_check.sh', '--fast'], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 2 and 'unknown option --fast' in r.stderr
