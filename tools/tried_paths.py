"""Two speed-ups tried for issue 16 and dropped (BENCHMARKS session 25): the command that gives their numbers.

    python tools/tried_paths.py threads [BATCH] [ROUNDS]
    python tools/tried_paths.py no_onednn [ROUNDS]
    python tools/tried_paths.py profile_step [STEPS]

`threads`: the fast path's two decoders of one direction (generator and attention) run one after the other, as
`AGCycleGAN.translate` does, against each on its own thread with one intra-op thread each (2D 256², width 16),
with the encoder alone and Grad-CAM++ beside them; ms per image, medians of interleaved rounds.
`no_onednn`: the 3D training step (32³, batch 2, width 8, cached features), plain and channels-last, with and without
oneDNN (`torch.backends.mkldnn.flags(enabled=False)`: PyTorch's own convolution kernels); ms per step.
`profile_step`: `torch.profiler` over STEPS channels-last 3D steps (the same step): the ops by self time, then the
convolutions by shape.
"""
import sys
from concurrent.futures import ThreadPoolExecutor
import torch
from agc_nb.bench import seed_everything, _interleaved, _step_setup, FAST_STEP
from agc_nb.models import ResNet18, AGCycleGAN, inference_copy
from agc_nb.explain import gradcampp


def threads(batch=1, rounds=7):
    "Decoders one after the other against one thread each."
    seed_everything(0)
    clf = ResNet18(2).eval()
    fast = inference_copy(AGCycleGAN(clf.encoder, 16).eval())
    x = torch.randn(batch, 1, 256, 256).to(memory_format=fast.memory_format)
    pool = ThreadPoolExecutor(2)

    def single(f):
        def g():
            torch.set_num_threads(1)  # this worker's intra-op threads only
            return f()
        return g

    @torch.no_grad()
    def serial():
        feats = fast.encoder(x)
        return fast.gen['a2b'](feats, x), fast.att['a2b'](feats, x)

    @torch.no_grad()
    def parallel():
        feats = fast.encoder(x)
        jobs = [pool.submit(single(lambda net=net: net['a2b'](feats, x))) for net in (fast.gen, fast.att)]
        return tuple(j.result() for j in jobs)

    a, b = serial(), parallel()
    print(f"max abs difference {max(float((p - q).abs().max()) for p, q in zip(a, b)):.1e}")
    fns = dict(serial=serial, parallel=parallel, encoder=torch.no_grad()(lambda: fast.encoder(x)))
    fns['gradcampp'] = lambda: gradcampp(clf, x, [0] * batch)
    s = _interleaved(fns, rounds)
    print({k: round(1000 * v / batch, 1) for k, v in s.items()}, 'ms per image, batch', batch)


def no_onednn(rounds=3):
    "The 3D step with and without oneDNN."
    plain = _step_setup(3, 32, 2, 8, 'cached', 'cpu')
    fast = _step_setup(3, 32, 2, 8, 'cached', 'cpu', **FAST_STEP)

    def without(f):
        def g():
            with torch.backends.mkldnn.flags(enabled=False):
                return f()
        return g

    s = _interleaved(dict(plain=plain, fast=fast, plain_no_onednn=without(plain), fast_no_onednn=without(fast)), rounds)
    print({k: round(1000 * v) for k, v in s.items()}, 'ms per step')


def profile_step(steps=5):
    "Where the channels-last 3D step's time goes."
    from torch.profiler import profile, ProfilerActivity

    step = _step_setup(3, 32, 2, 8, 'cached', 'cpu', **FAST_STEP)
    for _ in range(3):
        step()
    with profile(activities=[ProfilerActivity.CPU], record_shapes=True) as p:
        for _ in range(steps):
            step()
    print(p.key_averages().table(sort_by='self_cpu_time_total', row_limit=12, max_name_column_width=40))
    by_shape = p.key_averages(group_by_input_shape=True)
    convs = [e for e in by_shape if e.key in ('aten::convolution_backward', 'aten::mkldnn_convolution')]
    for e in sorted(convs, key=lambda e: -e.self_cpu_time_total)[:8]:
        print(f"{e.key:30s} {e.self_cpu_time_total / e.count / 1000:6.2f} ms x {e.count:3d}  {e.input_shapes[:2]}")


if __name__ == '__main__':
    what, args = sys.argv[1], [int(a) for a in sys.argv[2:]]
    dict(threads=threads, no_onednn=no_onednn, profile_step=profile_step)[what](*args)
