"""Build the documentation site from the notebooks, offline: `python tools/build_docs.py` writes `_docs/`.

Each notebook becomes one page: its prose, its code, the signature and docments of every function and class it
exports (rendered by nbdev's `show_doc` right after the cell that defines it), and the outputs of a smoke-size run
(the notebooks are executed with IN_TEST=1, so the pipeline notebooks train at the smoke preset). mkdocs with the
material theme and mkdocs-jupyter renders the pages; no quarto, nothing fetched from the network at build time.
A notebook that fails to execute, a page that is missing, or a page that shows an error output fails the build.
"""
import argparse, ast, copy, importlib, os, re, shutil, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from nbdev.showdoc import show_doc

ROOT = Path(__file__).resolve().parent.parent
SRC, SITE = ROOT/'_docs_src', ROOT/'_docs'
DIRECTIVE = re.compile(r'^#\|\s*(\S+)\s*(\S*)')


def directives(src: str) -> dict:
    "The `#| name value` lines of a cell."
    return {m.group(1): m.group(2) for m in map(DIRECTIVE.match, src.splitlines()) if m}


def public_names(src: str) -> list:
    "Top-level functions and classes a cell defines, without a leading underscore."
    try:
        tree = ast.parse(src)
    except SyntaxError:
        return []
    kinds = (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)
    return [n.name for n in tree.body if isinstance(n, kinds) and not n.name.startswith('_')]


def doc_markdown(module, name: str) -> str:
    "nbdev's `show_doc` of `module.name` as markdown, without its link to a source host."
    md = show_doc(getattr(module, name))._repr_markdown_()
    return '\n'.join(l for l in md.splitlines() if not l.startswith('[source]')).strip()


def page(nb_path: Path) -> nbformat.NotebookNode:
    "The notebook with a show_doc cell after each exported definition, directive lines dropped, hidden inputs tagged."
    nb = nbformat.read(nb_path, as_version=4)
    module, cells = None, []
    for c in nb.cells:
        d = directives(c.source) if c.cell_type == 'code' else {}
        if 'default_exp' in d:
            module = importlib.import_module(f"agc_nb.{d['default_exp']}")
            continue
        c = copy.deepcopy(c)
        if c.cell_type == 'code':
            c.source = '\n'.join(l for l in c.source.splitlines() if not DIRECTIVE.match(l))
            if 'hide' in d:
                c.metadata.setdefault('tags', []).append('hide-input')
            if d.get('eval:') == 'false':  # as nbdev_test: shown, not run
                c.metadata.setdefault('tags', []).append('skip-execution')
        cells.append(c)
        if 'export' in d and module is not None:
            cells += [nbformat.v4.new_markdown_cell(doc_markdown(module, n)) for n in public_names(c.source)]
    nb.cells = cells
    return nb


def execute(nb: nbformat.NotebookNode, where: Path, timeout: int) -> nbformat.NotebookNode:
    "Run every cell (errors raise), inside the project so that paths resolve as in the notebooks."
    NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(where)}}).execute()
    return nb


def build_one(nb_path: Path, timeout: int) -> str:
    t0 = time.time()
    nb = execute(page(nb_path), SRC, timeout)
    nbformat.write(nb, SRC/nb_path.name)
    return f"{nb_path.name}: {time.time() - t0:.0f} s"


def title(name: str) -> str:
    "A notebook's title: its first heading."
    return nbformat.read(ROOT/'nbs'/name, as_version=4).cells[0].source.splitlines()[0].lstrip('# ')


def write_config(names: list):
    "mkdocs.yml: the index first, the library notebooks in order, then the pipeline notebooks."
    order = ['index.ipynb'] + [n for n in names if n[0].isdigit()] + \
        [n for n in names if not n[0].isdigit() and n != 'index.ipynb']
    lines = ['site_name: agc_nb',
             'site_description: Explain CNN classifiers of medical images with an Attention-Guided CycleGAN',
             f'docs_dir: {SRC.name}', f'site_dir: {SITE.name}', 'theme:', '  name: material',
             '  font: false',  # system fonts: the pages open offline
             'plugins:',
             '  - mkdocs-jupyter:', '      execute: false', '      include_source: true', '      remove_tag_config:',
             '        remove_input_tags:', '          - hide-input', 'nav:']
    lines += [f"  - '{title(n)}': {n}" for n in order]
    text = '\n'.join(lines) + '\n'
    if not (ROOT/'mkdocs.yml').exists() or (ROOT/'mkdocs.yml').read_text() != text:
        (ROOT/'mkdocs.yml').write_text(text)


def check_site(names: list) -> list:
    "Problems of the built site: a missing page, a page without its title, a page that shows a traceback."
    bad = []
    for n in names:
        f = SITE/('index.html' if n == 'index.ipynb' else f'{Path(n).stem}/index.html')
        html = f.read_text() if f.exists() else ''
        if not html:
            bad.append(f'{n}: no page {f.relative_to(SITE)}')
        elif 'Traceback (most recent call last)' in html:
            bad.append(f'{n}: the page shows a traceback')
        elif title(n).split('`')[0] not in html:
            bad.append(f'{n}: the page lacks its title')
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # one at a time: two torch kernels on two cores oversubscribe OpenMP (11 min for the site instead of 4)
    ap.add_argument('--workers', type=int, default=1, help='notebooks executed at once')
    ap.add_argument('--timeout', type=int, default=900, help='seconds per cell')
    args = ap.parse_args()
    os.environ['IN_TEST'] = '1'  # smoke size, temporary folders
    os.environ['MPLBACKEND'] = 'module://matplotlib_inline.backend_inline'  # figures appear on the pages
    os.environ['NO_MKDOCS_2_WARNING'] = '1'
    shutil.rmtree(SRC, ignore_errors=True)
    SRC.mkdir()
    names = sorted(p.name for p in (ROOT/'nbs').glob('*.ipynb'))
    with ThreadPoolExecutor(args.workers) as ex:
        for line in ex.map(lambda n: build_one(ROOT/'nbs'/n, args.timeout), names):
            print(line, flush=True)
    write_config(names)
    r = subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '--strict', '--quiet'], cwd=ROOT)
    if r.returncode:
        sys.exit(f'mkdocs build failed ({r.returncode})')
    bad = check_site(names)
    if bad:
        sys.exit('broken pages:\n  ' + '\n  '.join(bad))
    print(f'docs site: {len(names)} pages in {SITE}')


if __name__ == '__main__':
    main()
