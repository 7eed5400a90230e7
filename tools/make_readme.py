"""Write README.md from nbs/index.ipynb: markdown cells as they are, visible code cells as code blocks.

nbdev_readme needs quarto, which this project does not install; this keeps the README generated from the notebook.
"""
import json, re, sys
from pathlib import Path

def render(nb_path='nbs/index.ipynb') -> str:
    cells = json.loads(Path(nb_path).read_text())['cells']
    out = []
    for c in cells:
        src = ''.join(c['source'])
        if c['cell_type'] == 'markdown': out.append(src)
        elif not re.match(r'^#\|\s*(hide|export)', src): out.append(f"```python\n{src}\n```")
    return '\n\n'.join(out).rstrip() + '\n'

if __name__ == '__main__':
    root = Path(__file__).resolve().parent.parent
    text = render(root/'nbs'/'index.ipynb')
    if '--check' in sys.argv:
        ok = (root/'README.md').exists() and (root/'README.md').read_text() == text
        print('README.md in sync with nbs/index.ipynb' if ok else 'README.md differs from nbs/index.ipynb: run python tools/make_readme.py')
        sys.exit(0 if ok else 1)
    (root/'README.md').write_text(text)
