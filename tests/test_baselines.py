"""The baselines are what they claim to be: our Grad-CAM++ (pytorch-grad-cam) against MONAI's independent `GradCAMpp`.

The two libraries resize the stage's map to the input differently (bilinear / spline zoom vs MONAI's interpolation),
so the maps are compared on the stage's own grid (both area-averaged onto it), image by image."""
import numpy as np, pytest, torch
import torch.nn.functional as F
from agc_nb.explain import gradcampp, native_resolution
from agc_nb.models import ResNet18

monai_visualize = pytest.importorskip('monai.visualize', reason='MONAI is a test-only dependency (pip install -e .[dev])')


def _unit(x):
    "MONAI's default post-processing maps (min, max) to (1, 0), which flips the map; ours maps it to (0, 1)."
    lo, hi = x.amin(dim=tuple(range(1, x.ndim)), keepdim=True), x.amax(dim=tuple(range(1, x.ndim)), keepdim=True)
    return (x - lo) / (hi - lo).clamp(min=1e-12)


@pytest.mark.parametrize('dims,size,layer', [(2, 128, 'layer4'), (2, 64, 'layer3'), (3, 64, 'layer4'), (3, 32, 'layer3')])
def test_gradcampp_agrees_with_monai(dims, size, layer):
    torch.manual_seed(dims * 100 + size)
    clf = ResNet18(dims).eval()
    x = torch.randn(4, 1, *(size,) * dims)
    targets = [1, 0, 1, 0]
    ours = torch.from_numpy(gradcampp(clf, x.clone(), targets, layer))[:, None]
    cam = monai_visualize.GradCAMpp(nn_module=clf, target_layers=f'encoder.{layer}', postprocessing=_unit)
    theirs = torch.cat([cam(x=x[i : i + 1].clone(), class_idx=t).detach() for i, t in enumerate(targets)])
    grid = native_resolution(clf, x)['gradcampp' if layer == 'layer4' else 'gradcampp_layer3']
    assert len(grid) == dims and all(g == size // (32 if layer == 'layer4' else 16) for g in grid)
    pool = F.adaptive_avg_pool2d if dims == 2 else F.adaptive_avg_pool3d
    a, b = (pool(m.float(), grid).flatten(1).numpy() for m in (ours, theirs))
    r = [np.corrcoef(u, v)[0, 1] for u, v in zip(a, b)]
    assert min(r) >= 0.99, r
