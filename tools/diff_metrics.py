"""Compare two metrics.json files, timing aside: `python tools/diff_metrics.py BEFORE AFTER`.

Prints every value that differs (path: before != after) and every key found in one file only; prints nothing and
exits 0 when the two agree. The `timing` sections and the classifier's `train_s` are left out: they measure the
machine, not the method. Used to show that a refactor changes no number.
"""
import json, sys

SKIP = ('timing', 'train_s')


def differences(a, b, path='') -> list:
    "Lines describing where `a` and `b` differ (keys in `SKIP` ignored)."
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            if k in SKIP:
                continue
            if k not in a or k not in b:
                out.append(f"{path}/{k}: only in {'before' if k in a else 'after'}")
            else:
                out += differences(a[k], b[k], f'{path}/{k}')
        return out
    return [] if a == b else [f'{path}: {a!r} != {b!r}']


if __name__ == '__main__':
    before, after = (json.load(open(f)) for f in sys.argv[1:3])
    lines = differences(before, after)
    print('\n'.join(lines), end='\n' if lines else '')
    sys.exit(1 if lines else 0)
