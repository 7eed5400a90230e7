"""Does `torch.compile` speed up the explanation on this CPU? (issue 16, BENCHMARKS session 23)

    python tools/compile_explain.py [BATCH]

Times, in one process and interleaved, the explanation's fast path (`inference_copy`), the same folded model in
channels-last with `translate` compiled by inductor (no oneDNN convolution modules, which inductor cannot trace), and
Grad-CAM++, at 2D 256^2, width 16; prints the compilation time, the largest difference to the fast path, ms per image
and each ratio to Grad-CAM++.
"""
import sys, time, torch
from agc_nb.bench import seed_everything, _interleaved
from agc_nb.models import ResNet18, AGCycleGAN, inference_copy, frozen_copy, fold_batchnorm, channels_last_format
from agc_nb.explain import agc_explain, gradcampp

batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1
seed_everything(0)
clf = ResNet18(2).eval()
gan = AGCycleGAN(clf.encoder, 16).eval()
fast = inference_copy(gan)
x = torch.randn(batch, 1, 256, 256)
y = torch.zeros(batch, dtype=torch.long)
compiled = fold_batchnorm(frozen_copy(gan)).set_memory_format(channels_last_format(2))
compiled.translate = torch.compile(compiled.translate)
t0 = time.time()
out, ref = agc_explain(compiled, x, y), agc_explain(fast, x, y)
diff = max(float((out[k] - ref[k]).abs().max()) for k in ('att', 'fake', 'mask'))
print(f'compilation {time.time() - t0:.0f} s, max abs difference to the fast path {diff:.1e}')
fns = dict(
    fast=lambda: agc_explain(fast, x, y),
    compiled=lambda: agc_explain(compiled, x, y),
    gradcampp=lambda: gradcampp(clf, x, [0] * batch),
)
s = _interleaved(fns, 5)
print({k: round(1000 * v / batch, 1) for k, v in s.items()}, 'ms per image')
print({k: round(v / s['gradcampp'], 3) for k, v in s.items()}, 'ratio to Grad-CAM++')
