"""Packed weights and per-part convolutions in the explanation's fast path (issue 16, BENCHMARKS session 27).

    python tools/packed_explain.py [BATCH] [ROUNDS]

Times, in one process and interleaved, the fast path (`inference_copy`) as before session 27 (`torch.mkldnn_convolution`
reordering every weight on each call; each decoder stage joining its inputs into one copy), with packed weights only,
and as it is now (packed weights, one convolution per part added in place), beside Grad-CAM++ on the same classifier,
at 2D 256², width 16; prints the largest difference between the maps and ms per image (medians) with the ratios.
"""
import sys
from contextlib import ExitStack
from unittest import mock
import torch
from agc_nb.bench import seed_everything, _interleaved
from agc_nb.models import ResNet18, AGCycleGAN, inference_copy, OneDnnConv, ConcatConv
from agc_nb.explain import agc_explain, gradcampp

batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
seed_everything(0)
clf = ResNet18(2).eval()
fast = inference_copy(AGCycleGAN(clf.encoder, 16).eval())
x = torch.randn(batch, 1, 256, 256)
y = torch.zeros(batch, dtype=torch.long)
# what each variant leaves out: no packing (and so no per-part sums), or only the per-part sums
OFF = dict(
    before=[mock.patch.object(OneDnnConv, '_packable', lambda *a: False)],
    packed=[mock.patch.object(OneDnnConv, 'conv_of_parts', ConcatConv.conv_of_parts)],
    now=[],
)


def variant(name):
    "The explanation with the parts of `name` switched off."
    def run():
        with ExitStack() as stack:
            for p in OFF[name]:
                stack.enter_context(p)
            return agc_explain(fast, x, y)
    return run


outs = {k: variant(k)() for k in OFF}
for k in ('packed', 'now'):
    diff = max(float((outs[k][m] - outs['before'][m]).abs().max()) for m in ('att', 'fake', 'mask'))
    print(f"{k}: max abs difference to before {diff:.1e}")
fns = {k: variant(k) for k in OFF}
fns['gradcampp'] = lambda: gradcampp(clf, x, [0] * batch)
s = _interleaved(fns, rounds)
print({k: round(1000 * v / batch, 1) for k, v in s.items()}, f'ms per image, batch {batch}, {rounds} rounds')
print({k: round(s[k] / s['gradcampp'], 3) for k in OFF}, 'of Grad-CAM++')
