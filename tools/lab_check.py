"""Manual check that the report notebook and its explorer work in a real JupyterLab (not part of CI: it needs a browser).

    apt-get install -y chromium && pip install playwright
    python tools/lab_check.py synth_chest synth_brain      # runs/<dataset>/demo-<size>-s0 should hold trained checkpoints

Opens a copy of nbs/train_gan.ipynb per dataset in JupyterLab (headless Chromium), runs all cells (report outputs go to a
temporary folder, checkpoints are reused from the run folders under runs/), then drives the explorer's controls in the browser and checks each
redraws the figure. Prints a JSON summary; screenshots are left in the temporary folder it names.
"""
import json, subprocess, sys, tempfile, time, shutil
from pathlib import Path
from playwright.sync_api import sync_playwright
ROOT = Path(__file__).resolve().parents[1]; OUT = Path(tempfile.mkdtemp(prefix='lab_check_'))
datasets = sys.argv[1:] or ['synth_chest']
names = []
for ds in datasets:
    nb = json.load(open(ROOT/'nbs/train_gan.ipynb'))
    p = next(c for c in nb['cells'] if 'parameters' in c['metadata'].get('tags', []))
    p['source'] = ''.join(p['source']).replace("dataset = 'synth_chest'", f"dataset = {ds!r}").replace("out_dir = None", f"out_dir = '{OUT}/out_{ds}'").splitlines(True)
    name = f'_lab_check_{ds}.ipynb'; json.dump(nb, open(ROOT/'nbs'/name, 'w')); names.append(name)
srv = subprocess.Popen(['jupyter', 'lab', '--no-browser', '--port', '8899', '--IdentityProvider.token=', '--ServerApp.password=',
                        '--LabApp.expose_app_in_browser=True', f'--ServerApp.root_dir={ROOT}', '--ServerApp.disable_check_xsrf=True', '--allow-root'],
                       stdout=open(OUT/'server.log', 'w'), stderr=subprocess.STDOUT)
time.sleep(8)
report = {}
try:
    with sync_playwright() as pw:
        br = pw.chromium.launch(executable_path='/usr/bin/chromium', args=['--no-sandbox'])
        console = []
        for ds, name in zip(datasets, names):
            page = br.new_page(viewport={'width': 1500, 'height': 1100}); page.on('console', lambda m: console.append(f'{m.type}: {m.text}'))
            page.goto(f'http://localhost:8899/lab/tree/nbs/{name}?reset'); page.wait_for_selector('.jp-Notebook', timeout=60000)
            page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell.currentWidget && window.jupyterapp.shell.currentWidget.sessionContext.session && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'", timeout=120000)
            t0 = time.time()
            page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function("""() => { const nb = window.jupyterapp.shell.currentWidget.content.model; const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
                 let done = true; for (const c of nb.cells) { if (c.type === 'code' && c.sharedModel.source.trim() && c.executionCount == null) done = false; } return done && k.status === 'idle'; }""", timeout=1200000, polling=2000)
            errors = page.evaluate("""() => { const out = []; for (const c of window.jupyterapp.shell.currentWidget.content.model.cells) {
                 if (c.type !== 'code') continue; for (let i = 0; i < c.outputs.length; i++) { const o = c.outputs.get(i).toJSON(); if (o.output_type === 'error') out.push(o.ename + ': ' + o.evalue); } } return out; }""")
            page.wait_for_selector('.widget-dropdown select', timeout=60000)
            time.sleep(3)
            last = page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell').last; last.scroll_into_view_if_needed()
            shot = lambda tag: last.screenshot(path=str(OUT/f'{ds}_{tag}.png'))
            img_src = lambda: last.locator('.widget-output img').first.get_attribute('src')
            shot('start'); s0 = img_src()
            changes = {}
            selects = last.locator('.widget-dropdown select')
            labels = last.locator('.widget-dropdown label').all_inner_texts()
            shown = {lab: selects.nth(labels.index(lab)).evaluate("e => e.options[e.selectedIndex] ? e.options[e.selectedIndex].text : ''") for lab in ('class', 'classified', 'translation')}
            for lab, opt_index in (('map', 1), ('sample', 2), ('direction', 1), ('direction', 2), ('class', 1)):
                sel = selects.nth(labels.index(lab)); before = img_src()
                sel.select_option(index=opt_index); time.sleep(4)
                changes[f'{lab}->{opt_index}'] = before != img_src(); shot(f'{lab}{opt_index}')
            # threshold: type the maximum into the slider's readout
            ro = last.locator('.widget-hslider .widget-readout').first
            ro.click(); ro.fill('1.0'); ro.press('Enter'); time.sleep(4); changes['threshold'] = img_src() != s0; shot('threshold')
            widget_errors = page.locator('text=Error displaying widget').count()
            report[ds] = dict(run_all_s=round(time.time() - t0), cell_errors=errors, widget_errors=widget_errors, image_changed=changes,
                              n_dropdowns=selects.count(), filters_shown=shown)
            page.evaluate("window.jupyterapp.commands.execute('kernelmenu:shutdown')"); time.sleep(2); page.close()
        report['console_errors'] = [c for c in console if c.startswith('error')][:20]
        br.close()
finally:
    srv.terminate(); srv.wait()
    for n in names:
        (ROOT/'nbs'/n).unlink(missing_ok=True); shutil.rmtree(ROOT/'nbs'/'.ipynb_checkpoints', ignore_errors=True)
report['screenshots'] = str(OUT)
print(json.dumps(report, indent=1))
