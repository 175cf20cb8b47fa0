#!/usr/bin/env python3
"""The real-browser test (issue #19): JupyterLab from .venv and Debian's chromium, headless, driven by Playwright.

It starts JupyterLab on 127.0.0.1 with a token in a temporary folder, opens a small notebook there that shows the
Turing-test widget on real LIDC-IDRI patches, and checks, as a reader would see it:

- the notebook opens clean (not "modified");
- the patch is drawn at 256x256 CSS pixels and counter, image and buttons fit in one view;
- answers by clicks and by the r / s keys are recorded, and the keys (and other letters such as b) do not reach
  JupyterLab: the cell stays a code cell and no cell is added;
- after a kernel restart the re-run widget resumes at the next image; when all are answered the image is cleared and
  input is disabled; the CSV holds every answer, in order;
- the generator explorer, when a built smoke zoo is there (data/zoo-smoke): images at 256 px, a new seed regenerates;
- a study report re-rendered by `lungnb.report` from the committed `reports/nam/nam.ipynb`, and the index over the
  committed `results.json` files: no stderr block, one title, the header's links and contents resolve, the executed
  notebook opens as HTML.

Screenshots go to the output folder (default build/browser-test/). Everything started here (JupyterLab, its kernels,
the browser) is stopped at the end, also on failure.

    .venv/bin/python tools/browser_test.py [--out DIR] [--keep]
"""
import os, sys, json, time, platform, socket, secrets, shutil, signal, argparse, subprocess, tempfile, urllib.request
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
BIN = TOP/'.venv'/'bin'
N_REAL = N_FAKE = 6
T0 = time.time()
checks = []

def log(msg): print(f'browser-test [{time.time() - T0:5.1f} s] {msg}', flush=True)

def check(cond, what):
    "Record one check; stop the test at the first failure."
    if not cond: raise AssertionError(what)
    checks.append(what); log(f'ok: {what}')

def free_port()->int:
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

# what the kernel reports and JupyterLab writes into a notebook: one that holds it already opens unmodified
LANGUAGE_INFO = {'codemirror_mode': {'name': 'ipython', 'version': 3}, 'file_extension': '.py', 'mimetype': 'text/x-python', 'name': 'python',
                 'nbconvert_exporter': 'python', 'pygments_lexer': 'ipython3', 'version': platform.python_version()}

def prepare(work:Path):
    "Real LIDC-IDRI 64x64 nodule patches (lungnb's own helpers) and the notebook that shows the widget."
    import numpy as np
    from lungnb.core import find_data
    from lungnb.data.lidc import read_packed, nodule_patches
    z = read_packed(find_data('lidc-idri-slices/lidc_top3_128.npz'))
    p, _ = nodule_patches(z['images'][:2*(N_REAL + N_FAKE)], z['masks'][:2*(N_REAL + N_FAKE)], 64)
    np.save(work/'real.npy', p[:N_REAL]); np.save(work/'fake.npy', p[N_REAL:N_REAL + N_FAKE])
    src = ("import numpy as np\nfrom lungnb.widgets import TuringTest\n"
           f"t = TuringTest(np.load('real.npy'), np.load('fake.npy'), 'answers.csv', n_real={N_REAL}, n_fake={N_FAKE}, seed=3)\nt")
    nb = dict(nbformat=4, nbformat_minor=5, cells=[dict(cell_type='code', id='turing01', metadata={}, execution_count=None,
                                                         outputs=[], source=src)],
              metadata=dict(kernelspec=dict(name='python3', display_name='python3', language='python'), language_info=LANGUAGE_INFO))
    (work/'turing.ipynb').write_text(json.dumps(nb, indent=1))
    for f in ('60_widgets.ipynb', '40_report.ipynb'): shutil.copy(TOP/'nbs'/f, work/f)   # opened as committed

def start_lab(work:Path):
    "JupyterLab from the venv on 127.0.0.1 with a token, its settings and runtime files in `work`."
    port, tok = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(work/'cfg'), JUPYTER_RUNTIME_DIR=str(work/'rt'),
               JUPYTERLAB_WORKSPACES_DIR=str(work/'ws'), JUPYTERLAB_SETTINGS_DIR=str(work/'settings'), OMP_NUM_THREADS='1')
    cmd = [str(BIN/'jupyter'), 'lab', '--no-browser', '--ip=127.0.0.1', f'--port={port}', '--ServerApp.port_retries=0',
           f'--IdentityProvider.token={tok}', f'--ServerApp.root_dir={work}', '--expose-app-in-browser', '--allow-root',
           '--LabApp.news_url=', '--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate']
    out = open(work/'jupyterlab.log', 'w')
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f'http://127.0.0.1:{port}'
    for _ in range(240):
        if proc.poll() is not None: raise RuntimeError(f'JupyterLab exited: {(work/"jupyterlab.log").read_text()[-2000:]}')
        try:
            with urllib.request.urlopen(f'{base}/api/status?token={tok}', timeout=2) as r:
                if r.status == 200: return proc, base, tok
        except OSError: time.sleep(0.25)
    raise RuntimeError('JupyterLab did not answer within 60 s')

def stop_lab(proc, work:Path, base:str|None, tok:str|None):
    "Shut JupyterLab down (its kernels too), then make sure nothing it started is left."
    if proc is None: return
    if base and proc.poll() is None:
        try: urllib.request.urlopen(urllib.request.Request(f'{base}/api/shutdown?token={tok}', method='POST'), timeout=5)
        except OSError: pass
        try: proc.wait(10)
        except subprocess.TimeoutExpired: pass
    if proc.poll() is None:
        try: os.killpg(proc.pid, signal.SIGTERM); proc.wait(5)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try: os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError: pass
    for d in Path('/proc').iterdir():                 # kernels are started with our runtime folder in their command line
        if not d.name.isdigit(): continue
        try: cmdline = (d/'cmdline').read_bytes().decode(errors='replace')
        except OSError: continue
        if str(work/'rt') in cmdline:
            try: os.kill(int(d.name), signal.SIGKILL); log(f'stopped a leftover kernel, pid {d.name}')
            except ProcessLookupError: pass

JS_KERNEL_IDLE = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!k && k.status === 'idle' && w.sessionContext.isReady; }"""
JS_CELLS = """() => { const nb = window.jupyterapp.shell.currentWidget.content;
  return nb.widgets.map(c => c.model.type); }"""

def open_clean(page, base:str, tok:str, name:str)->bool:
    "Open a notebook, wait for its kernel, and say whether JupyterLab shows it unmodified."
    page.goto(f'{base}/lab/workspaces/{Path(name).stem}/tree/{name}?reset&token={tok}')   # a fresh workspace for each
    page.wait_for_function(f"() => {{ const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                           f" return !!w && !!w.context && w.context.path === '{name}'; }}", timeout=60_000)
    page.wait_for_selector('.jp-Notebook .jp-Cell', timeout=60_000)
    page.wait_for_function(JS_KERNEL_IDLE, timeout=60_000)
    page.wait_for_timeout(1000)
    return (page.evaluate('() => window.jupyterapp.shell.currentWidget.context.model.dirty') is False
            and page.locator('.lm-TabBar-tab.jp-mod-current.jp-mod-dirty').count() == 0)

def widget_test(page, base:str, tok:str, work:Path, out:Path):
    stateful = [f.name for f in sorted((TOP/'nbs').glob('*.ipynb')) if json.loads(f.read_text()).get('metadata', {}).get('widgets')]
    check(not stateful, f'no notebook in nbs/ carries saved widget state {stateful or ""}')
    for name in ('60_widgets.ipynb', '40_report.ipynb'):
        check(open_clean(page, base, tok, name), f'nbs/{name} opens in JupyterLab unmodified')
    check(open_clean(page, base, tok, 'turing.ipynb'), 'the test notebook opens unmodified')

    def run_cell():
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")   # no waiting on the promise
    def counter(): return page.inner_text('.lungnb-turing .lt-info')
    def wait_for_image(k):
        page.wait_for_function(f"() => {{ const e = document.querySelector('.lungnb-turing .lt-info');"
                               f" return e && e.textContent.startsWith('image {k} of'); }}", timeout=30_000)
    n = N_REAL + N_FAKE
    run_cell(); page.wait_for_selector('.lungnb-turing', timeout=60_000); wait_for_image(1)
    img = page.locator('.lungnb-turing .lt-img').bounding_box(); box = page.locator('.lungnb-turing').bounding_box()
    nat = page.evaluate("() => { const i = document.querySelector('.lungnb-turing .lt-img'); return [i.naturalWidth, i.naturalHeight]; }")
    check(abs(img['width'] - 256) < 1 and abs(img['height'] - 256) < 1 and nat == [256, 256],
          f'the patch is drawn at 256x256 px (drawn {img["width"]:.0f}x{img["height"]:.0f}, PNG {nat[0]}x{nat[1]})')
    check(box['height'] < 420 and box['width'] < 600, f'counter, image and buttons fit in one view ({box["width"]:.0f}x{box["height"]:.0f} px)')
    page.locator('.jp-Cell').first.screenshot(path=str(out/'turing_widget.png'))
    page.screenshot(path=str(out/'jupyterlab.png'))

    answers = []
    def click(ans):
        page.click(f'.lungnb-turing button[data-answer={ans}]'); answers.append(ans)
        if len(answers) < n: wait_for_image(len(answers) + 1)
    def key(k):
        page.keyboard.press(k); answers.append({'r': 'real', 's': 'synthetic'}[k])
        if len(answers) < n: wait_for_image(len(answers) + 1)
    for a in ('real', 'synthetic', 'real'): click(a)
    check(counter().startswith('image 4 of 12'), 'three answers by clicking the buttons')
    page.click('.lungnb-turing .lt-img')                       # the reader clicks the image, then uses the keys
    for k in ('s', 'r', 's'): key(k)
    page.keyboard.press('b'); page.keyboard.press('a'); page.wait_for_timeout(300)
    check(counter().startswith('image 7 of 12'), 'three answers with the s / r keys')
    check(page.evaluate(JS_CELLS) == ['code'], 'the keys do not reach JupyterLab: still one cell, still code (r, s, a, b)')
    import pandas as pd
    check(len(pd.read_csv(work/'answers.csv')) == 6, 'the CSV holds the 6 answers before the restart')

    page.evaluate("() => { window.jupyterapp.commands.execute('kernelmenu:restart'); }")    # it waits for the dialog
    page.click('.jp-Dialog .jp-mod-accept', timeout=30_000)
    page.wait_for_timeout(1000); page.wait_for_function(JS_KERNEL_IDLE, timeout=60_000)
    run_cell(); wait_for_image(7)
    check(counter().startswith('image 7 of 12'), 'after a kernel restart the re-run widget resumes at image 7')
    for i in range(n - len(answers)):
        if i % 2: click('synthetic')
        else:
            page.click('.lungnb-turing .lt-img'); key('r' if i % 4 == 0 else 's')
    page.wait_for_selector('.lungnb-turing.lt-is-done', timeout=30_000)
    done = page.evaluate("""() => { const r = document.querySelector('.lungnb-turing');
      return { img: r.querySelector('.lt-img').hidden && !r.querySelector('.lt-img').getAttribute('src'),
               buttons: [...r.querySelectorAll('button')].every(b => b.disabled), text: r.querySelector('.lt-done').textContent }; }""")
    check(done['img'] and done['buttons'] and done['text'].startswith(f'Done: {n} answers'), f'done state: image cleared, buttons disabled ({done["text"]})')
    page.click('.lungnb-turing .lt-frame'); page.keyboard.press('r'); page.wait_for_timeout(500)
    page.locator('.jp-Cell').first.screenshot(path=str(out/'turing_done.png'))
    ans = pd.read_csv(work/'answers.csv')
    check(ans['item'].tolist() == list(range(n)) and ans.answer.tolist() == answers,
          f'the CSV holds every answer, in order ({len(ans)} rows, as given: {sum(a == "real" for a in answers)} real, '
          f'{sum(a == "synthetic" for a in answers)} synthetic)')
    check(page.evaluate(JS_CELLS) == ['code'], 'still one code cell at the end')

def explorer_test(page, base:str, tok:str, work:Path, out:Path):
    "The generator explorer on a built smoke zoo (data/zoo-smoke), if there is one: images at 256 px, regenerated on a change."
    from lungnb.zoo import zoo_root
    from lungnb.widgets import latent_entries
    zoo = zoo_root(None, 'smoke'); names = latent_entries(zoo) if zoo.exists() else []
    if not names: log(f'skipped the generator explorer: no built smoke zoo in {zoo} (lungnb zoo build --preset smoke)'); return
    src = f"from lungnb.widgets import GeneratorExplorer\nex = GeneratorExplorer({str(zoo)!r}, {names[0]!r}, n=2)\nex"
    nb = dict(nbformat=4, nbformat_minor=5, cells=[dict(cell_type='code', id='explore1', metadata={}, execution_count=None, outputs=[], source=src)],
              metadata=dict(kernelspec=dict(name='python3', display_name='python3', language='python'), language_info=LANGUAGE_INFO))
    (work/'explorer.ipynb').write_text(json.dumps(nb, indent=1))
    check(open_clean(page, base, tok, 'explorer.ipynb'), 'the explorer notebook opens unmodified')
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
    page.wait_for_selector('.lungnb-explorer img', timeout=120_000)
    boxes = [page.locator('.lungnb-explorer img').nth(i).bounding_box() for i in range(page.locator('.lungnb-explorer img').count())]
    check(len(boxes) == 4 and all(abs(b['width'] - 256) < 1 and abs(b['height'] - 256) < 1 for b in boxes),
          f'explorer ({names[0]}): 2 samples beside their nearest training images, each drawn at 256x256 px')
    cap = page.inner_text('.lungnb-explorer figcaption')
    check('nearest training image' in cap and 'distance' in cap, f'explorer: the caption gives the distance ({cap[:60]}...)')
    page.locator('.jp-Cell').first.screenshot(path=str(out/'explorer.png'))
    before = page.get_attribute('.lungnb-explorer img', 'src')
    seed = page.locator('.jp-OutputArea .widget-text input').first
    seed.fill('7'); seed.press('Enter')
    page.wait_for_function("(b) => { const i = document.querySelector('.lungnb-explorer img'); return i && i.getAttribute('src') !== b; }",
                           arg=before, timeout=30_000)
    check(True, 'explorer: a new seed regenerates the samples')

def report_test(page, work:Path, out:Path):
    "Re-render the committed nam report and the index with lungnb.report, then read them in the browser."
    from lungnb.report import render_html, index_html, report_problems
    rep = work/'reports'; rep.mkdir()
    studies = sorted(p.parent.name for p in (TOP/'reports').glob('*/results.json'))
    for sid in studies:                # nam is re-rendered; the others keep their committed pages, for the links
        shutil.copytree(TOP/'reports'/sid, rep/sid, ignore=None if sid == 'nam' else shutil.ignore_patterns('*.ipynb'))
        if sid != 'nam' and (TOP/'reports'/f'{sid}.html').exists(): shutil.copy(TOP/'reports'/f'{sid}.html', rep/f'{sid}.html')
    render_html(rep/'nam'/'nam.ipynb', rep/'nam.html')
    index_html(rep, studies)
    check(report_problems(rep/'index.html') + report_problems(rep/'nam.html') + report_problems(rep/'nam'/'notebook.html') == [],
          'index, report and notebook page pass tools/check_reports.py')

    def links_resolve(what):
        bad = page.evaluate("""() => [...document.querySelectorAll('a[href], img[src]')].map(e => e.getAttribute('href') || e.getAttribute('src'))
          .filter(u => !/^[a-z]+:/.test(u)).filter(u => u.startsWith('#') &&
            !document.getElementById(u.slice(1)) && !document.getElementById(decodeURIComponent(u.slice(1))))""")
        files = page.evaluate("""() => [...document.querySelectorAll('a[href], img[src]')].map(e => e.href || e.src)
          .filter(u => u.startsWith('file://')).map(u => decodeURIComponent(u.split('#')[0].slice(7)))""")
        missing = [f for f in files if not Path(f).exists()]
        check(not bad and not missing, f'{what}: every link and anchor resolves ({len(files)} links to files{"; broken: " if bad or missing else ""}{", ".join(bad + missing)})')
    def no_stderr(what):
        check(page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0 and
              'Warning' not in page.inner_text('body'), f'{what}: no stderr block, no warning text')

    page.set_viewport_size({'width': 1280, 'height': 1000})
    page.goto((rep/'index.html').as_uri())
    check(page.locator('h1').count() == 1 and 'Cross-study summary' in page.inner_text('body'), 'index: one title, the cross-study summary first')
    no_stderr('index'); links_resolve('index')
    page.screenshot(path=str(out/'report_index.png'), full_page=True)
    page.click('h3#nam a[href="nam.html"]'); page.wait_for_load_state()
    check(page.url.endswith('/nam.html') and page.locator('h1').count() == 1, 'the index links the nam report, which has one title')
    check(page.locator('header.lungnb-header a[href="index.html"]').inner_text() == '← all studies'
          and page.locator('.lungnb-toc a').count() >= 3, 'the report header: "← all studies", and a table of contents')
    check(page.locator('.lungnb-nav a').count() == len(studies), f'the report header links the other {len(studies) - 1} studies and the index')
    no_stderr('nam report'); links_resolve('nam report')
    page.screenshot(path=str(out/'report_nam.png'))
    page.click('header.lungnb-header a[href="nam/notebook.html"]'); page.wait_for_load_state()
    check(page.url.endswith('/nam/notebook.html') and page.locator('.jp-InputArea').count() > 0,
          'the executed notebook opens as HTML, with its code')
    no_stderr('executed notebook'); links_resolve('executed notebook')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(TOP/'build'/'browser-test'), help='folder for the screenshots and logs')
    ap.add_argument('--keep', action='store_true', help='keep the temporary JupyterLab folder (its path is printed)')
    a = ap.parse_args()
    out = Path(a.out); shutil.rmtree(out, ignore_errors=True); out.mkdir(parents=True)
    chromium = shutil.which('chromium') or shutil.which('chromium-browser')
    if not chromium: print('browser-test: no chromium on PATH (Debian: apt-get install -y chromium)'); return 1
    work = Path(tempfile.mkdtemp(prefix='lungnb-browser-'))
    proc = base = tok = None
    try:
        prepare(work); log('real LIDC patches and the notebook are ready')
        proc, base, tok = start_lab(work); log(f'JupyterLab is up on {base}')
        from playwright.sync_api import sync_playwright
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, headless=True, args=['--no-sandbox', '--disable-gpu'])
            try:
                page = browser.new_page(viewport={'width': 1280, 'height': 900})
                try:
                    widget_test(page, base, tok, work, out)
                    explorer_test(page, base, tok, work, out)
                    report_test(page, work, out)
                except Exception:
                    page.screenshot(path=str(out/'failure.png')); raise
            finally: browser.close()
    except Exception as e:
        print(f'browser-test: FAILED after {time.time() - T0:.0f} s: {type(e).__name__}: {e}')
        if (work/'jupyterlab.log').exists(): shutil.copy(work/'jupyterlab.log', out/'jupyterlab.log')
        print(f'browser-test: screenshots and the JupyterLab log in {out}')
        print(f'browser-test: {len(checks)} passed, 1 failed')
        return 1
    finally:
        stop_lab(proc, work, base, tok)
        if a.keep: log(f'kept {work}')
        else: shutil.rmtree(work, ignore_errors=True)
    print(f'browser-test: screenshots in {out}: {", ".join(sorted(p.name for p in out.glob("*.png")))}')
    print(f'browser-test: {time.time() - T0:.0f} s')
    print(f'browser-test: {len(checks)} passed, 0 failed')
    return 0

if __name__ == '__main__': sys.exit(main())
