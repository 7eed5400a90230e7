"""Screen AG-CycleGAN settings on suite entries with their classifiers fixed (issue 15's ablation).

    python tools/screen_gan.py VARIANT ENTRY[,ENTRY...] RUNS DIR [--steps N] [--sanity true] [--gan_seed S]
        [--cls_augment true] [--cls_ema D]

VARIANT names a change of the demo preset's `GanSettings` (see VARIANTS); RUNS is a runs root that already holds the
entries' classifier checkpoints (e.g. from `agc_nb_suite --runs_root RUNS`): they are copied, so only the GAN trains.
One JSON row per entry is printed and appended to DIR/screen.jsonl (removal-direction attention NCC / pointing game,
the strongest other map, flip rates, fidelity, faithfulness).
"""
import dataclasses, json, shutil, sys, time
from pathlib import Path
from fastcore.script import call_parse
import agc_nb.config as C
from agc_nb.suite import SUITE
from agc_nb.config import RunSpec
import agc_nb.pipeline as P
from agc_nb.pipeline import run_report

# an attention decoder of its own per direction (the 2D default before session 44), which attention-decoder variants
# change
TWO = dict(shared_decoder=False, att_hidden=0)
VARIANTS = {
    'base': {},
    # the gain's gradient read at the input, where the image still shows its class, not at the translation
    'gin': dict(gain_at='input'),
    'gin_plain': dict(gain_at='input', lambda_gain=20.0, lambda_gain_change=0.0),
    'gin40': dict(gain_at='input', lambda_gain_change=40.0),  # ... and the attention held to it twice as hard
    'gc40': dict(lambda_gain_change=40.0),  # the attention held twice as hard to the gain read at the translation
    'cls0': dict(lambda_cls=0.0),
    'cls1': dict(lambda_cls=1.0),
    'cls1_att3': dict(lambda_cls=1.0, lambda_att=3.0),
    'cls1_pool': dict(lambda_cls=1.0, pool_size=50),
    'cls1_sw': dict(lambda_cls=1.0, att_switch=0.3),
    'cls1_idt': dict(lambda_cls=1.0, lambda_idt=1.0),
    'cls1_tv': dict(lambda_cls=1.0, lambda_tv=1.0),
    'cls1_idle1': dict(lambda_cls=1.0, lambda_idle=1.0),
    'cls1_idle3': dict(lambda_cls=1.0, lambda_idle=3.0),
    'cls1_idle10': dict(lambda_cls=1.0, lambda_idle=10.0),
    'cls1_res': dict(lambda_cls=1.0, residual=True),
    'cls1_res_idle3': dict(lambda_cls=1.0, residual=True, lambda_idle=3.0),
    'cls1_res_idle10': dict(lambda_cls=1.0, residual=True, lambda_idle=10.0),
    'cls1_res_idle30': dict(lambda_cls=1.0, residual=True, lambda_idle=30.0),
    'cls1_res_match3': dict(lambda_cls=1.0, residual=True, lambda_match=3.0),
    'cls1_res_match10': dict(lambda_cls=1.0, residual=True, lambda_match=10.0),
    'cls1_res_match30': dict(lambda_cls=1.0, residual=True, lambda_match=30.0),
    'cls1_match10': dict(lambda_cls=1.0, lambda_match=10.0),
    'cls1_gain0': dict(lambda_cls=1.0, lambda_gain=0.0),  # the demo default before session 17
    'cls1_gain3': dict(lambda_cls=1.0, lambda_gain=3.0),
    'cls1_gain10': dict(lambda_cls=1.0, lambda_gain=10.0),
    'cls1_gain20': dict(lambda_cls=1.0, lambda_gain=20.0),
    'cls1_gain30': dict(lambda_cls=1.0, lambda_gain=30.0),
    # the 2D default of session 17 with half the decoder width
    'cls1_gain20_w8': dict(lambda_cls=1.0, lambda_gain=20.0, width=8, **TWO),
    'shared': dict(shared_decoder=True, att_hidden=0),  # one decoder per direction, the attention a 1x1 head on it
    # ... the head learning at 5x the generators' rate
    'shared_attlr5': dict(shared_decoder=True, att_hidden=0, att_lr=5.0),
    'shared_attlr2': dict(shared_decoder=True, att_hidden=0, att_lr=2.0),  # ... at 2x
    'shared_hidden': dict(shared_decoder=True, att_hidden=1),  # ... the head with a 3x3 stage of its own
    'shared_hidden2': dict(shared_decoder=True, att_hidden=2),  # ... with two
    'two_decoders': TWO,
    'att1': dict(lambda_att=1.0),  # the 2D attention penalty in 3D as well (3D leaves it off)
    # attention decoders at half width, stopping at half resolution
    'att8_half': dict(att_width=8, att_stride=2, **TWO),
    'att8': dict(att_width=8, **TWO),  # attention decoders at half width, at full resolution
    # ... with at least two channels per GroupNorm group: width 8's single-channel groups grew a saturated blob
    'att8_gc2': dict(att_width=8, group_channels=2, **TWO),
    'att8_half_gc2': dict(att_width=8, att_stride=2, group_channels=2, **TWO),
    'w8_gc2': dict(width=8, group_channels=2, **TWO),  # every decoder at half width, two channels per GroupNorm group
    'gen8_gc2': dict(width=8, att_width=16, group_channels=2, **TWO),  # ... the generators only (attention as default)
    # the attention's target is the gain weighed by the change's size |G - x|, at the default gain weight
    'gain_change': dict(lambda_gain=0.0, lambda_gain_change=20.0),
    'gain_change30': dict(lambda_gain=0.0, lambda_gain_change=30.0),  # ... at the 3D default's gain weight
    'plain_gain20': dict(lambda_gain=20.0, lambda_gain_change=0.0),  # the 2D default before session 41
    # the attention's head on signed features: its peak not held under sigmoid(bias)
    'signed': dict(att_signed=True, **TWO),
    # the decoders' coarse stages narrower: 64 channels at 1/16, halved to width 16
    'deep64': dict(deep_width=64, **TWO),
    # ... with the classifier-consistency term doubled (flips)
    'deep64_cls2': dict(deep_width=64, lambda_cls=2.0, **TWO),
    'gc2': dict(group_channels=2),  # two channels per GroupNorm group: changes only 3D (width 8) decoders
    'gain60': dict(lambda_gain=60.0),  # twice the 3D default's gain weight (screened in 3D)
    'attlr1': dict(att_lr=1.0),  # the attention at the generator's rate (3D default before session 22)
    'attlr5': dict(att_lr=5.0),  # the attention networks learn 5x faster (Adam: a loss weight cannot do that)
    'cls1_ls_decay': dict(lambda_cls=1.0, loss='lsgan', lr_decay=True),
    'ema99': dict(ema=0.99),  # the decoders' weights that explain: their moving average over ~100 steps
    'ema995': dict(ema=0.995),  # no different from the default: WeightAverage's warm-up caps 1000 steps at 0.991
    'last': dict(ema=0.0),  # the last step's weights explain (the default before session 30; see last_weights.py)
    'decay': dict(lr_decay=True),  # the learning rate down to 0 over the second half (the paper's), nothing else
    'idt5': dict(lambda_idt=5.0),  # CycleGAN's identity loss at half the cycle weight (its usual 0.5 x lambda_cyc)
    'tv10': dict(lambda_tv=10.0),  # a smoothness prior on the attention (total variation), over the default
    'warp': dict(warp=True),  # generators that move tissue (a displacement field) and change intensity on top
    'warp_shift1': dict(warp=True, lambda_shift=1.0),  # ... with the displacement's mean length (voxels) as a cost
    'warp_shift3': dict(warp=True, lambda_shift=3.0),
    'warp_grid8': dict(warp=True, warp_grid=8),  # the displacement smooth between 8 cells per axis: no edge jitter
    'att_init05': dict(att_init=0.05),  # the attention starts at 0.05 everywhere, not 0.5 (`start_attention`)
    'att_init20': dict(att_init=0.2),  # ... at 0.2
    'att_init0': dict(att_init=0.0),  # the attention starts where PyTorch's initialisation puts it (about 0.5)
    'fast': C.FAST_GAN,  # `-p fast true`: channels-last training under bf16 autocast
    'channels_last': dict(channels_last=True),  # channels-last alone (fp32): the same arithmetic, other sum orders
}


def _row(variant: str, entry: str, m: dict, seconds: float) -> dict:
    "The screen's summary of one report's metrics."
    loc = m['localization_removal']
    others = [(round(v['ncc'], 3), k) for k, v in loc.items() if k not in ('attention', 'random')]
    return dict(
        variant=variant,
        entry=entry,
        s=round(seconds),
        auroc=round(m['classifier']['auroc'], 3),
        attention=[round(loc['attention'][k], 3) for k in ('ncc', 'pointing_game')],
        best_other=max(others),
        flips=[m['translation'][d]['flip_rate'] for d in ('a2b', 'b2a')],
        fidelity=m.get('translation_fidelity', {}).get('ncc'),
        fidelity_removal=m.get('translation_fidelity', {}).get('removal'),
        faithfulness=m.get('faithfulness', {}).get('maps', {}).get('attention', {}).get('normalised'),
        sanity={k: m['sanity'][k]['spearman'] for k in ('attention', 'gradcampp')} if 'sanity' in m else None,
    )


@call_parse
def main(
    variant: str,  # a key of VARIANTS
    entries: str,  # suite entries, comma-separated (`folder:PATH` for a folder dataset)
    classifiers: str,  # runs root holding the entries' classifier checkpoints
    out: str,  # folder for the reports and screen.jsonl
    steps: int = None,  # GAN steps (default: the preset's)
    seed: int = 0,  # the runs' seed: that of the classifiers in `classifiers` (their folders end in -s<seed>)
    sanity: str = 'false',  # also the model-randomisation check (a second GAN on a random classifier's encoder)
    gan_seed: int = None,  # seed of the GAN alone (classifier and split keep `seed`): the GAN's own spread
    cls_augment: str = 'auto',  # 'true' for classifiers of classifier_recipes.py's augmentation variants
    cls_ema: float = None,  # the classifiers' weight-average decay, for classifier_recipes.py's emaNN variants
):
    "Train the AG-CycleGAN of each entry with the variant's settings on the fixed classifiers; print one row each."
    if variant not in VARIANTS:
        sys.exit(f"unknown variant {variant!r}; one of {sorted(VARIANTS)}")
    demo, change = C.PRESETS['demo'], VARIANTS[variant]
    # the preset's 3D and synthetic changes set some of the same weights (3D: lambda_gain): the variant wins there too
    cnn = demo.cnn if cls_augment == 'auto' else dataclasses.replace(demo.cnn, augment=cls_augment == 'true')
    cnn = cnn if cls_ema is None else dataclasses.replace(cnn, ema=cls_ema)
    C.PRESETS['demo'] = dataclasses.replace(
        demo,
        cnn=cnn,
        gan=dataclasses.replace(demo.gan, **change),
        gan3d={**demo.gan3d, **change},
        gan_synth={**demo.gan_synth, **change},
    )
    # the variant applies on top of the default as imported now: each row records what that made (2D, before the
    # preset's 3D and synthetic changes), so a row stays readable after the default moves
    gan, plain = dataclasses.asdict(C.PRESETS['demo'].gan), dataclasses.asdict(C.GanSettings())
    ran = {k: v for k, v in gan.items() if v != plain[k]}
    src, root, out = Path(classifiers), Path(out) / 'runs' / variant, Path(out)
    for f in src.rglob('cnn.pt'):
        dst = root / f.relative_to(src)
        if not dst.exists():
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(f, dst)
    if gan_seed is not None:
        fit = P.fit_gan_on
        P.fit_gan_on = lambda spec, *a, **k: fit(spec.replace(seed=gan_seed), *a, **k)
    for entry in entries.split(','):
        t0 = time.time()
        where = dict(runs_root=str(root), out_dir=str(out / variant / Path(entry).name), seed=seed)
        # `folder:PATH`: a folder dataset (a user's, or `tools/user_folders.py`'s) instead of a suite entry
        data = dict(dataset='folder', data_dir=entry.split(':', 1)[1]) if entry.startswith('folder:') else SUITE[entry]
        spec = RunSpec(**data, preset='demo', **where)
        m = run_report(spec.replace(steps=steps, progress=False, sanity=RunSpec(sanity=sanity).sanity))['metrics']
        row = dict(_row(variant, entry, m, time.time() - t0), settings=ran, gan_seed=gan_seed)
        print(json.dumps(row), flush=True)
        with open(out / 'screen.jsonl', 'a') as fh:
            fh.write(json.dumps(row) + '\n')
