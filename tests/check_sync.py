"""Fail when the notebooks are not clean (nbdev_clean changes them) or the library is out of sync (nbdev_export changes it).

Compares file contents before and after running both tools, so it works the same on a fresh clone and on a working copy.
"""
import hashlib, subprocess, sys
from pathlib import Path

def snapshot(root: Path) -> dict:
    files = list((root/'nbs').glob('*.ipynb')) + list((root/'agc_nb').rglob('*.py'))
    return {str(f.relative_to(root)): hashlib.sha1(f.read_bytes()).hexdigest() for f in files}

def main(root='.') -> int:
    root = Path(root).resolve()
    before = snapshot(root)
    for tool in ('nbdev_clean', 'nbdev_export'):
        r = subprocess.run([tool], cwd=root, capture_output=True, text=True)
        if r.returncode: print(f"{tool} failed:\n{r.stdout}{r.stderr}"); return 1
    after = snapshot(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        print("Notebooks not clean or library out of sync; nbdev_clean/nbdev_export changed:\n  " + "\n  ".join(changed)
              + "\nRun nbdev_clean and nbdev_export and commit the result.")
        return 1
    print(f"notebooks clean and library in sync ({len(after)} files)")
    return subprocess.run([sys.executable, str(root/'tools'/'make_readme.py'), '--check']).returncode

if __name__ == '__main__': sys.exit(main(*sys.argv[1:]))
