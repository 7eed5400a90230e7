"""AG-CycleGAN: shared encoder, frozen weights, crash-safe resume, distributed training, non-finite losses."""
import dataclasses, os, random, signal, subprocess, sys, time
from pathlib import Path
import pytest, torch
import agc_nb.cyclegan as G
from agc_nb.core import AgcError, load_checkpoint
from agc_nb.config import RunSpec, get_preset, seed_everything
from agc_nb.classifier import classifier_config
from agc_nb.models import AGCycleGAN, ResNet18
from agc_nb.synth import synth_bundle
from conftest import ROOT

SMOKE = get_preset('smoke').gan
RUN = Path('synth_chest')/'smoke-32-s0'  # the run folder of the smoke configuration under runs_root

@pytest.fixture(scope='module')
def setup():
    b = synth_bundle('synth_chest', 'smoke')
    seed_everything(0)
    clf = ResNet18(2)
    cfg = G.gan_config(classifier_config(b, RunSpec(preset='smoke')), clf.encoder, SMOKE, 0)
    return b, clf, cfg


def _every(n): return dataclasses.replace(SMOKE, log_every=n, ckpt_every=n)

@pytest.mark.parametrize('dims', [2, 3])
def test_shared_and_unshared_encoder_agree(dims):
    seed_everything(1); clf = ResNet18(dims)
    x = torch.randn(2, 1, *(32,)*dims); xb = torch.randn(2, 1, *(32,)*dims)
    gan = AGCycleGAN(clf.encoder, 4).eval()
    thesis = AGCycleGAN(clf.encoder, 4, share_encoder=False).load_decoders(gan.decoder_state()).eval()
    with torch.no_grad(): a, u = gan(x, xb), thesis(x, xb)
    for d in a:
        for k in a[d]: assert (a[d][k] - u[d][k]).abs().max() <= 1e-5, (d, k)

def test_frozen_encoder_is_bit_identical_after_training(setup, tmp_path):
    b, clf, cfg = setup
    before = {k: v.clone() for k, v in clf.encoder.state_dict().items()}
    gan, discs = G.build_gan(clf.encoder, cfg)
    G.train_gan(gan, discs, b, _every(2), cfg, 6, tmp_path/'g.pt', progress=False)
    for k, v in gan.encoder.state_dict().items(): assert torch.equal(v, before[k]), k   # the GAN's copy, BN stats included
    for k, v in clf.encoder.state_dict().items(): assert torch.equal(v, before[k]), k   # the classifier's own
    assert any(p.requires_grad for p in clf.parameters())                                # still usable for Grad-CAM++
    assert any(not torch.equal(p, q) for p, q in zip(gan.gen['a2b'].parameters(), G.build_gan(clf.encoder, cfg)[0].gen['a2b'].parameters()))

def test_non_finite_loss_stops_and_keeps_last_good_checkpoint(setup, tmp_path, monkeypatch):
    b, clf, cfg = setup
    gan, discs = G.build_gan(clf.encoder, cfg)
    calls = {'n': 0}; orig = G.adv_loss
    def poisoned(logits, real, kind='bce'):
        calls['n'] += 1
        out = orig(logits, real, kind)
        return out*float('nan') if calls['n'] > 4*6 else out  # 6 adv losses per step: steps 1-4 fine, step 5 NaN
    monkeypatch.setattr(G, 'adv_loss', poisoned)
    with pytest.raises(AgcError, match='non-finite at step 5'):
        G.train_gan(gan, discs, b, _every(2), cfg, 10, tmp_path/'g.pt', progress=False)
    ck = load_checkpoint(tmp_path/'g.pt')
    assert ck['step'] == 4 and all(torch.isfinite(v).all() for v in ck['gan'].values() if v.is_floating_point())

def test_checkpoint_of_another_classifier_is_refused(setup, tmp_path):
    b, clf, cfg = setup
    gan, discs = G.build_gan(clf.encoder, cfg)
    G.train_gan(gan, discs, b, _every(1), cfg, 2, tmp_path/'g.pt', progress=False)
    torch.manual_seed(123); other = ResNet18(2)  # train_gan reseeds with cfg['seed']: make sure this is another classifier
    with pytest.raises(AgcError, match='encoder_sha'): G.load_gan(tmp_path/'g.pt', other.encoder)
    big = dict(cfg, shape=[48, 48])
    with pytest.raises(AgcError, match=r'shape=\[32, 32\].*shape=\[48, 48\]'):
        G.train_gan(*G.build_gan(clf.encoder, big), b, SMOKE, big, 4, tmp_path/'g.pt', progress=False)

def _gan_cmd(runs, out, steps):
    return [sys.executable, '-m', 'agc_nb.gan', '--dataset', 'synth_chest', '--preset', 'smoke', '--runs_root', str(runs),
            '--out_dir', str(out), '--steps', str(steps), '--ckpt_every', '1']

def test_sigkill_then_resume_reaches_the_same_step(tmp_path):
    runs, out, steps = tmp_path/'runs', tmp_path/'rep', 40
    ck = runs/RUN/'gan.pt'
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    rng = random.Random(0); kills, seen = 0, []
    while kills < 5:
        p = subprocess.Popen(_gan_cmd(runs, out, steps), cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        start = ck.stat().st_mtime_ns if ck.exists() else 0
        t0 = time.time()  # wait for training to make progress, then kill at a random moment (often inside a checkpoint write)
        while p.poll() is None and time.time() - t0 < 120 and not (ck.exists() and ck.stat().st_mtime_ns != start): time.sleep(0.05)
        time.sleep(rng.uniform(0, 1.0))
        if p.poll() is not None: break
        p.send_signal(signal.SIGKILL); p.wait(); kills += 1
        seen.append(load_checkpoint(ck)['step'])  # never corrupt: always loads
    assert kills == 5, f'the run ended after {kills} kills (rc {p.returncode}); make it longer'
    assert seen == sorted(seen) and seen[-1] > seen[0] > 0  # progress survives the kills
    r = subprocess.run(_gan_cmd(runs, out, steps), cwd=tmp_path, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    final = load_checkpoint(ck)
    assert final['step'] == steps and final['log']['step'][-1] == steps and final['log']['step'] == list(range(1, steps + 1))
    assert not list((runs/RUN).glob('.*.tmp'))

def test_torchrun_two_processes_on_cpu(tmp_path):
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node', '2', '-m', 'agc_nb.gan', '--dataset', 'synth_chest',
                        '--preset', 'smoke', '--runs_root', str(tmp_path/'runs'), '--out_dir', str(tmp_path/'rep')],
                       cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    assert 'world size 2' in r.stdout
    ck = load_checkpoint(tmp_path/'runs'/RUN/'gan.pt')
    assert ck['step'] == SMOKE.steps
    # each rank drew its own shard: the class streams advanced by one batch per step on every rank
    assert ck['streams'] == [ck['step']]*2
