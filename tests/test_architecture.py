"""The library's shape: modules in layers with no import circle, one statement per line, lines of at most 120 characters."""
import ast, io, tokenize
from conftest import ROOT

LIB = ROOT/'agc_nb'
# bottom to top: a module may import only modules that stand before it
LAYERS = ['core', 'config', 'data', 'synth', 'implant', 'datasets', 'models', 'classifier', 'cyclegan', 'explain',
          'figures', 'pipeline', 'report', 'gan', 'widgets', 'bench', 'suite']


def _agc_imports(path):
    "(module imported, line, at module level?) for every import of an agc_nb module anywhere in `path`."
    tree = ast.parse(path.read_text())
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and (node.module.startswith('agc_nb') or node.level):
            mod = node.module or ''
            names = [mod.split('.')[-1]] if mod not in ('agc_nb', '') else [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name.split('.')[1] for a in node.names if a.name.startswith('agc_nb.')]
        out += [(n, node.lineno, id(node) in top) for n in names]
    return out


def test_every_module_has_a_layer():
    mods = sorted(p.stem for p in LIB.glob('*.py') if not p.stem.startswith('_'))
    assert mods == sorted(LAYERS)


def test_imports_only_go_down_the_layers_and_sit_at_the_top():
    bad = []
    for m in LAYERS:
        for dep, line, at_top in _agc_imports(LIB/f'{m}.py'):
            if dep not in LAYERS or LAYERS.index(dep) >= LAYERS.index(m):
                bad.append(f'{m}.py:{line} imports {dep}')
            if not at_top:
                bad.append(f'{m}.py:{line} imports {dep} inside a function')
    assert not bad, bad


def test_the_checker_sees_function_level_imports(tmp_path):
    f = tmp_path/'x.py'
    f.write_text('from agc_nb.core import AgcError\ndef f():\n    from agc_nb.figures import peak\n')
    assert _agc_imports(f) == [('core', 1, True), ('figures', 3, False)]


def test_one_statement_per_line_and_short_lines():
    long, semi = [], []
    for p in sorted(LIB.glob('*.py')):
        if p.name == '_modidx.py':
            continue  # nbdev's generated index
        src = p.read_text()
        for i, line in enumerate(src.splitlines(), 1):
            # nbdev wraps `__all__` at 120 characters before it prefixes `__all__ = `: its first line is generated
            if len(line) > 120 and not line.startswith('__all__ = ['):
                long.append(f'{p.name}:{i} ({len(line)})')
        semi += [f'{p.name}:{t.start[0]}' for t in tokenize.generate_tokens(io.StringIO(src).readline)
                 if t.type == tokenize.OP and t.string == ';']
    assert not long, long
    assert not semi, semi
