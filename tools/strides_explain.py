"""The image's strides in the explanation's fast path (issue 16, BENCHMARKS session 24).

    python tools/strides_explain.py [BATCH] [ROUNDS]

Times, in one process and interleaved, the fast path (`inference_copy`) as it is, whose `translate` gives a
one-channel image channels-last strides, and the same copy told to leave the image's strides plain (as before
session 24), at 2D 256^2, width 16; prints the largest difference between their maps and ms per image (median).
"""
import sys, torch
from agc_nb.bench import seed_everything, _interleaved
from agc_nb.models import ResNet18, AGCycleGAN, inference_copy
from agc_nb.explain import agc_explain

batch = int(sys.argv[1]) if len(sys.argv) > 1 else 1
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
seed_everything(0)
gan = AGCycleGAN(ResNet18(2).encoder, 16).eval()
fast, plain_strides = inference_copy(gan), inference_copy(gan)
plain_strides.memory_format = torch.contiguous_format  # the weights stay channels-last; only the input's strides
x = torch.randn(batch, 1, 256, 256)
y = torch.zeros(batch, dtype=torch.long)
out, ref = agc_explain(fast, x, y), agc_explain(plain_strides, x, y)
print(f"max abs difference {max(float((out[k] - ref[k]).abs().max()) for k in ('att', 'fake', 'mask')):.1e}")
fns = dict(plain_strides=lambda: agc_explain(plain_strides, x, y), fast=lambda: agc_explain(fast, x, y))
s = _interleaved(fns, rounds)
print({k: round(1000 * v / batch, 1) for k, v in s.items()}, 'ms per image')
