"""The ground-truth suite at smoke size (issue 14.6): every entry runs end to end and lands in one table."""
import json, math
import pytest
from agc_nb.suite import SUITE, SUITE_MAPS, run_suite
from conftest import SHARED


def test_suite_smoke(tmp_path, cache_dir):
    if not SHARED.exists():
        pytest.skip(f"the implanted entries need the shared samples at {SHARED}; the phantoms run in 14_suite, test_report")
    # the phantoms run through the suite in 14_suite (synth_chest) and as reports in test_report (synth_brain)
    implanted = [name for name, entry in SUITE.items() if entry.get('implant')]
    t = run_suite('smoke', implanted, tmp_path / 'suite', tmp_path / 'runs')
    assert set(t.index.get_level_values('dataset')) == set(implanted) and len(implanted) == 5
    assert set(t.index.get_level_values('map')) == set(SUITE_MAPS)
    for col in ('ncc', 'pointing_game', 'auroc'):
        assert t[col].map(lambda v: math.isfinite(v)).all(), col
    assert t.pointing_game.between(0, 1).all() and t.auroc.between(0, 1).all()
    runs = json.loads((tmp_path / 'suite' / 'suite.json').read_text())['runs']
    for name, m in runs.items():
        assert m['removal_direction'] == 'b2a'  # class B carries the effect in every entry
        assert {'attention', 'gradcampp', 'gradcampp_layer3', 'integrated_gradients'} <= set(m['localization_removal'])
        assert 0 <= m['adding_direction']['change_in_region'] <= 1
        assert set(m['faithfulness']['maps']) >= {'attention', 'random', 'ideal'}
        assert m['implant']['effect_class'] == SUITE[name]['implant'].split(',')[0]


def test_sanity_check_trains_a_second_gan_on_a_random_classifier(tmp_path):
    from agc_nb.config import RunSpec
    from agc_nb.pipeline import run_report

    spec = RunSpec('synth_chest', preset='smoke', sanity=True, runs_root=str(tmp_path / 'runs'), out_dir=str(tmp_path))
    m = run_report(spec.replace(progress=False))['metrics']['sanity']
    assert (tmp_path / 'runs' / 'synth_chest' / 'smoke-32-s0' / 'gan_sanity.pt').exists()
    for k in ('attention', 'gradcampp'):
        assert -1 <= (m[k]['spearman'] if m[k]['spearman'] is not None else 0) <= 1 and -1 <= m[k]['ssim'] <= 1
        assert m[k]['n'] == 10
    assert m['verdict'].startswith('The attention') and isinstance(m['attention_depends_on_classifier'], bool)
    assert m['ranked_inside'] == 'the whole image'  # 2D: no anatomy mask to rank inside
