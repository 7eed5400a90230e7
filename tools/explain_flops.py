"""FLOPs of one explanation: the AG-CycleGAN's translation (encoder, generator decoder, attention decoder) against
Grad-CAM++ (the classifier's forward and backward), counted by `torch.utils.flop_counter` at batch 1.

    python tools/explain_flops.py [--dims 2] [--size 256] [--width 16] [--shared_decoder] [--att_hidden N]

A ratio of counts, not of times: what issue 16's explanation bound (time <= 0.5 x Grad-CAM++) allows once every
kernel runs at the same speed; the time ratio also carries each kernel's efficiency.
"""
import torch
from torch.utils.flop_counter import FlopCounterMode
from fastcore.script import call_parse, store_true
from agc_nb.config import seed_everything
from agc_nb.models import ResNet18, AGCycleGAN
from agc_nb.explain import agc_explain, gradcampp


def count(fn) -> float:
    "GFLOPs of one call of `fn`."
    with FlopCounterMode(display=False) as fc:
        fn()
    return fc.get_total_flops() / 1e9


@call_parse
def main(
    dims: int = 2,  # 2 or 3
    size: int = 256,  # side of the image
    width: int = 16,  # channels of the decoders' last stage
    shared_decoder: store_true = False,  # one decoder per direction, the attention a head on it (the 2D demo's)
    att_hidden: int = 0,  # with shared_decoder: 3x3 stages of the head's own (the 2D demo: 1)
):
    seed_everything(0)
    clf = ResNet18(dims).eval()
    # the plain model: the fast path (`inference_copy`) computes the same with packed kernels the counter does not see
    gan = AGCycleGAN(clf.encoder, width, shared_decoder=shared_decoder, att_hidden=att_hidden).eval()
    x = torch.randn(1, 1, *(size,) * dims)
    with torch.no_grad():
        agc = count(lambda: agc_explain(gan, x, [0]))
        encoder = count(lambda: gan.encoder(x))
    cam = count(lambda: gradcampp(clf, x, [0]))
    print(f'{dims}D {size}, width {width}: AG-CycleGAN explanation {agc:.2f} GFLOP (encoder {encoder:.2f}, decoders '
          f'{agc - encoder:.2f}); Grad-CAM++ {cam:.2f} GFLOP; ratio {agc / cam:.2f}')
