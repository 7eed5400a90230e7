"""Classifier recipe experiments of issue 13 (BENCHMARKS.md, session 11): the demo classifier with its recipe changed.

    python tools/classifier_recipes.py VARIANT DATASET [key=value RunSpec fields...]

VARIANT joins options with '+', each a change to the demo preset's classifier settings in 2D and 3D: sgd (SGD at the LR
range test's pick with patience 25, the 2D default until session 19; in 3D too), adamw (AdamW 1e-4..1e-3, weight decay
1e-2, betas (momentum, 0.999)), wd4, lr3, hilr (3e-4..3e-3), noaug, shiftaug, lightaug, strongaug (about twice the
default's ranges), geoaug (twice its geometry), rotaug (twice its rotation and shift), flip, lrflip (left-right only),
noflip, bs16, bs8, zinit (zero-initialised residual branches), nomp (no max-pool after the stem: stride 16), epN (N
epochs, no budget), emaNN (EMA decay 0.NN), capN (at most N epochs, budget kept), nopat (no patience), mloss (validation
loss keeps the epoch), pbn (precise BN), s48 (3D at 48^3), s128 (2D at 128^2), aa (3D volumes area-averaged before the
trilinear resize, no aliasing at a 4x reduction; the disk cache's key does not know it: set AGC_NB_CACHE to an empty
folder), default (none).
The implant's pool is an option of the implant (`implant=bright,pool=first`). Prints one JSON row. Example:
    python tools/classifier_recipes.py default ixi data_dir=../shared/data/ixi_hh185 implant=bright,size=0.15
Experiment code: it patches the preset and the augmentation in this process only.
"""
import sys, time, json, dataclasses, functools, torch
import agc_nb.classifier as C, agc_nb.config as K, agc_nb.data as D
from agc_nb.config import RunSpec
from agc_nb.datasets import load_data

variant, dataset, *kv = sys.argv[1:]
fields = dict(a.split('=', 1) for a in kv)
def shift_intensity(x, gen, shift=2, contrast=0.1, brightness=0.1):
    "integer shifts (no resampling) and intensity"
    n, d = x.shape[0], x.ndim - 2
    out = []
    for i in range(n):
        s = (torch.randint(-shift, shift + 1, (d,), generator=gen)).tolist()
        out.append(torch.roll(x[i], s, dims=tuple(range(1, d + 1))))
    y = torch.stack(out)
    return D.augment(y, gen, rotate=0, scale=0, shift=0, contrast=contrast, brightness=brightness)

cnn = {}
opts = variant.split('+')
if 'sgd' in opts:
    cnn.update(optimizer='sgd', base_lr=None, max_lr=None, momentum=None, weight_decay=None, patience=25)
if 'adamw' in opts:
    cnn.update(optimizer='adamw', base_lr=1e-4, max_lr=1e-3, momentum=0.9, weight_decay=1e-2)
if 'wd4' in opts:
    cnn.update(weight_decay=1e-4)
if 'lr3' in opts:
    cnn.update(base_lr=1e-3, max_lr=1e-3)
if 'hilr' in opts:
    cnn.update(base_lr=3e-4, max_lr=3e-3)
def flip_aug(x, gen):
    y = D.augment(x, gen)
    d = x.ndim - 2
    for ax in range(d):
        f = torch.rand(x.shape[0], generator=gen) < 0.5
        y[f] = y[f].flip(ax + 2)
    return y
only3d = {}  # mirroring is for brains (axis 0 is left-right in RAS); in 2D axis 0 is a radiograph's up-down
if 'lrflip' in opts:  # the 3D default since session 14
    only3d.update(flip_axes=(0,), augment=True)
if 'noflip' in opts:
    only3d.update(flip_axes=())
if 'flip' in opts:
    C.augment_batch = flip_aug
    cnn.update(augment=True)
if 'nopat' in opts:
    cnn.update(patience=None)
if 'mloss' in opts:  # the validation loss, not its AUROC, keeps the epoch
    cnn.update(monitor='loss')
if 'pbn' in opts:
    cnn.update(precise_bn=True)
if 'noaug' in opts:
    cnn.update(augment=False)
if 'shiftaug' in opts:
    C.augment_batch = shift_intensity
    cnn.update(augment=True)
if 'lightaug' in opts:
    C.augment_batch = functools.partial(D.augment, rotate=4, scale=0.03, shift=0.03)
    cnn.update(augment=True)
if 'strongaug' in opts:  # rotation 15° (default 8°), twice the default's other ranges
    C.augment_batch = functools.partial(D.augment, rotate=15, scale=0.12, shift=0.12, contrast=0.2, brightness=0.2)
    cnn.update(augment=True)
if 'geoaug' in opts:  # rotation 15°, twice the default's shift and scale; its intensity ranges
    C.augment_batch = functools.partial(D.augment, rotate=15, scale=0.12, shift=0.12)
    cnn.update(augment=True)
if 'rotaug' in opts:  # rotation 15°, twice the default's shift; its scale and intensity ranges
    C.augment_batch = functools.partial(D.augment, rotate=15, shift=0.12)
    cnn.update(augment=True)
if 'bs16' in opts:
    cnn.update(batch_size=16)
if 'bs8' in opts:
    cnn.update(batch_size=8)
if 'zinit' in opts:  # every residual branch starts at zero (Goyal et al. 2017): each block begins as an identity
    _resnet = C.ResNet18
    def zero_init_resnet(dims, *a, **k):
        m = _resnet(dims, *a, **k)
        for blk in m.modules():
            if hasattr(blk, 'bn2'):
                torch.nn.init.zeros_(blk.bn2.weight)
        return m
    C.ResNet18 = zero_init_resnet
if 'nomp' in opts:  # no max-pool after the stem: the encoder's stride 16, not 32 (a small lesion keeps 2x the cells)
    _resnet_mp = C.ResNet18
    def resnet_without_maxpool(dims, *a, **k):
        m = _resnet_mp(dims, *a, **k)
        m.encoder.maxpool = torch.nn.Identity()
        return m
    C.ResNet18 = resnet_without_maxpool
for o in opts:  # epN: exactly N epochs, no time budget (a result that does not depend on the machine's speed)
    if o.startswith('ep') and o[2:].isdigit():
        cnn.update(epochs=int(o[2:]), time_budget_s=None)
    if o.startswith('cap') and o[3:].isdigit():  # capN: at most N epochs, the time budget kept
        cnn.update(epochs=int(o[3:]))
    if o.startswith('ema') and o[3:].isdigit():  # emaNN: the weights' moving average with decay 0.NN per step
        cnn.update(ema=float('0.' + o[3:]))
if 'aa' in opts:  # 3D downsampling area-averaged first (trilinear alone aliases at a 4x reduction)
    _resize = D.resize
    def area_resize(x, shape, mode='linear'):
        t = torch.as_tensor(x, dtype=torch.float32)
        if mode == 'linear' and t.ndim == 3 and any(s > n for s, n in zip(t.shape, shape)):
            down = tuple(min(s, n) for s, n in zip(t.shape, shape))
            t = torch.nn.functional.interpolate(t[None, None], size=down, mode='area')[0, 0]
        return _resize(t, shape, mode)
    D.resize = area_resize
p = K.PRESETS['demo']
size3d = 48 if 's48' in opts else p.size3d
size2d = 128 if 's128' in opts else p.size2d  # 2D at 128^2 (the 64^2 folder's images upsampled)
cnn3d = {**p.cnn3d, **cnn, **only3d}
K.PRESETS['demo'] = dataclasses.replace(
    p, cnn=dataclasses.replace(p.cnn, **cnn), cnn3d=cnn3d, size3d=size3d, size2d=size2d
)
seed = int(fields.pop('seed', 0))
out = f'runs/recipes/{variant}'  # git-ignored
spec = RunSpec(
    seed=seed, dataset=dataset, runs_root=out, out_dir=f'{out}/report_s{seed}_{dataset}', overwrite=True,
    progress=False, **fields,
)
t0 = time.time()
b = load_data(spec)
sizes = {k: len(getattr(b, k)) for k in ('train', 'val', 'test')}
print('sizes', sizes, b.classes, f'load {time.time() - t0:.0f}s', flush=True)
from agc_nb.pipeline import run_classifier
r = run_classifier(spec, bundle=b)
h = r['history']
m = r['metrics']
row = dict(
    variant=variant, dataset=dataset, **fields, auroc=round(m['auroc'], 3), acc=round(m['accuracy'], 3),
    train_s=round(r['train_s']), epochs=len(h), best=int(h.attrs['best_epoch']),
    train_acc_last=round(float(h.acc.iloc[-1]), 3), hp={k: v for k, v in r['hparams'].items() if k != 'lr_rule'},
)
if 'sources' in m:  # several folders: the library's check (is the source itself a cue?)
    row['sources'] = m['sources']
print(json.dumps(row))
