#!/usr/bin/env python3
"""lungnb's documentation site and README, built from the notebooks without executing them (Quarto is not installable here).

  python tools/build_docs.py [--out _docs]       # every notebook in nbs/ (and nbs/experiments/) -> HTML with a sidebar; README.md;
                                                 # the headline table in nbs/index.ipynb from reports/*/results.json
  python tools/build_docs.py --check             # build into a temporary folder; fail on a notebook that does not render,
                                                 # a broken internal link, a cut module docstring, a missing show_doc,
                                                 # or a README.md that differs from what nbs/index.ipynb makes
  python tools/build_docs.py --add-show-doc NB ...   # insert a `show_doc(name)` cell after the definition of every public
                                                     # name of NB's module that has none (then run nbdev_clean)

Pages use the outputs already saved in the notebooks (nbconvert's HTMLExporter, `lab` template). nbdev's cell directives
are honoured the way nbdev's docs do: `#|hide` and `#|default_exp` cells are left out, `#|echo: false` hides the input,
`#|output: false` the output; directive lines are not shown. A `show_doc(name)` cell that has no saved output is rendered
from the source (signature with its docments, and the docstring), read with `ast` so that nothing is imported.

README.md is nbs/index.ipynb through nbconvert's MarkdownExporter (`nbdev_readme` needs Quarto): links to other notebooks
become `nbs/<name>.ipynb`, links that climb out of nbs/ (`../reports/...`) become repository paths.
"""
from __future__ import annotations
import argparse, ast, copy, html, json, os, re, shutil, sys, tempfile, time, uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit, unquote

ROOT = Path(__file__).resolve().parent.parent
NBS, LIB = ROOT/'nbs', ROOT/'lungnb'
README_NOTE = '<!-- generated from nbs/index.ipynb by `make docs` (tools/build_docs.py): edit the notebook, not this file -->\n'

# ---------------------------------------------------------------- pages
def pages(nbs:Path=NBS)->list[Path]:
    "Every notebook of the site in navigation order: index, guide, the numbered notebooks, then the experiments."
    top = sorted(p for p in nbs.glob('*.ipynb') if not p.name.startswith('_'))
    first = [nbs/n for n in ('index.ipynb', 'guide.ipynb') if (nbs/n).exists()]
    rest = [p for p in top if p not in first]
    return first + rest + sorted((nbs/'experiments').glob('*.ipynb'))

def read_nb(p:Path)->dict:
    "A notebook as a plain dict with every multi-line field joined (nbformat's reader)."
    import nbformat
    return json.loads(json.dumps(nbformat.reads(p.read_text(), as_version=4)))

def title(nb:dict, p:Path)->str:
    "The notebook's first `# ` heading, else its file stem."
    for c in nb['cells']:
        if c['cell_type'] == 'markdown':
            m = re.search(r'^#\s+(.+)$', src(c), re.M)
            if m: return m.group(1).strip()
    return p.stem

def src(c:dict)->str: return ''.join(c['source']) if isinstance(c['source'], list) else c['source']

_re_directive = re.compile(r'^\s*#\s*\|\s*(.*)$')
def directives(code:str)->tuple[dict, str]:
    "nbdev's leading `#|` directives of a code cell as {name: value}, and the source without them."
    lines, ds = code.splitlines(), {}
    while lines and (m := _re_directive.match(lines[0])):
        d = m.group(1).strip()
        k, _, v = d.partition(':') if ':' in d else d.partition(' ')
        ds[k.strip()] = v.strip(); lines.pop(0)
    return ds, '\n'.join(lines)

# ---------------------------------------------------------------- show_doc without executing
def module_of(nb:dict)->str|None:
    "The module a library notebook exports to (its `#|default_exp`), or None."
    for c in nb['cells']:
        if c['cell_type'] == 'code' and (m := re.search(r'^#\s*\|\s*default_exp\s+(\S+)', src(c), re.M)): return m.group(1)
    return None

def module_file(mod:str)->Path: return LIB.joinpath(*mod.split('.')).with_suffix('.py')

def defs(path:Path)->dict:
    "Top-level functions and classes of a module file: name -> ast node (with the file's lines in `_lines`)."
    text = path.read_text(); tree = ast.parse(text); lines = text.splitlines()
    out = {}
    for n in tree.body:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): n._lines = lines; out[n.name] = n
    return out

def module_all(path:Path)->list[str]:
    for n in ast.parse(path.read_text()).body:
        if isinstance(n, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in n.targets): return list(ast.literal_eval(n.value))
    return []

def _signature(n, lines)->str:
    "The source of a def's header (decorators excluded, docments kept), up to its body."
    body0 = n.body[0]
    end = body0.lineno - 1
    if isinstance(body0, ast.Expr) and isinstance(getattr(body0, 'value', None), ast.Constant) and body0.lineno == n.lineno:
        # one-line `def f(x): "doc"`: cut at the docstring
        line = lines[n.lineno - 1]; return line[:body0.col_offset].rstrip()
    return '\n'.join(lines[n.lineno - 1:end]).rstrip()

def show_doc_md(name:str, n)->str:
    "nbdev-like markdown for `show_doc(name)`: heading, signature with docments, docstring."
    lines = n._lines
    if isinstance(n, ast.ClassDef):
        sig = lines[n.lineno - 1].rstrip()
        init = next((b for b in n.body if isinstance(b, ast.FunctionDef) and b.name == '__init__'), None)
        if init is not None: sig += '\n' + '\n'.join(l[4:] if l.startswith('    ') else l for l in _signature(init, lines).splitlines())
        if ast.get_docstring(n) and sig.rstrip().endswith(':') and init is None: sig = sig.rstrip()
    else: sig = _signature(n, lines)
    doc = ast.get_docstring(n) or ''
    md = f'---\n\n### {name}\n\n```python\n{sig}\n```\n'
    return md + (f'\n*{doc.strip()}*\n' if doc else '')

_re_show_doc = re.compile(r'\bshow_doc\(\s*([A-Za-z_][\w.]*)')
def shown(nb:dict)->set[str]:
    "Names that have a show_doc call in the notebook (`show_doc(x)`, and `x` of `show_doc(mod.x)`)."
    out = set()
    for c in nb['cells']:
        if c['cell_type'] != 'code': continue
        for m in _re_show_doc.findall(src(c)):
            out.add(m); parts = m.split('.')
            if len(parts) > 1 and parts[0][:1].islower(): out.add(parts[-1])
    return out

# ---------------------------------------------------------------- notebook -> HTML
def prepare(nb:dict, nb_path:Path)->dict:
    "A copy of `nb` as the site shows it: nbdev directives applied, show_doc cells without output rendered from source."
    nb = copy.deepcopy(nb)
    mod = module_of(nb); table = defs(module_file(mod)) if mod and module_file(mod).exists() else {}
    cells = []
    for c in nb['cells']:
        c.setdefault('metadata', {})
        if c['cell_type'] != 'code': cells.append(c); continue
        ds, code = directives(src(c))
        if 'hide' in ds or 'default_exp' in ds or ds.get('include') == 'false': continue
        tags = set(c['metadata'].get('tags', []))
        if ds.get('echo') == 'false' or 'hide_input' in ds: tags.add('remove_input')
        if ds.get('output') == 'false': c['outputs'] = []
        m = re.fullmatch(r'\s*show_doc\(\s*([A-Za-z_]\w*)\s*\)\s*', code)
        if m and not c.get('outputs') and m.group(1) in table:
            c['outputs'] = [{'output_type': 'display_data', 'metadata': {},
                             'data': {'text/markdown': show_doc_md(m.group(1), table[m.group(1)])}}]
            tags.add('remove_input')
        elif m and c.get('outputs'): tags.add('remove_input')
        c['source'] = code; c['metadata']['tags'] = sorted(tags)
        cells.append(c)
    nb['cells'] = cells
    return nb

def _exporter():
    from nbconvert import HTMLExporter
    from traitlets.config import Config
    cfg = Config()
    cfg.TagRemovePreprocessor.remove_input_tags = {'remove_input'}
    cfg.TagRemovePreprocessor.enabled = True
    cfg.HTMLExporter.exclude_input_prompt = True
    cfg.HTMLExporter.exclude_output_prompt = True
    cfg.HTMLExporter.embed_images = True       # markdown images (nbs/images/...) go into the page
    return HTMLExporter(config=cfg, template_name='lab')

NAV_CSS = """<style>
#lungnb-nav{position:fixed;top:0;left:0;bottom:0;width:16rem;overflow-y:auto;padding:1rem .8rem;box-sizing:border-box;
 background:#f7f7f9;border-right:1px solid #ddd;font:14px/1.35 system-ui,sans-serif;z-index:10}
#lungnb-nav h2{font-size:1.1rem;margin:0 0 .6rem}#lungnb-nav h3{font-size:.8rem;text-transform:uppercase;color:#666;margin:1rem 0 .3rem}
#lungnb-nav ul{list-style:none;margin:0;padding:0}#lungnb-nav li{margin:.15rem 0}#lungnb-nav a{text-decoration:none;color:#1a5fb4}
#lungnb-nav a.current{font-weight:600;color:#000}#lungnb-nav .num{color:#888;font-size:.8em;margin-right:.3em}
body{margin-left:16rem !important}.jp-RenderedMarkdown pre{background:#f5f5f5;padding:.6em .8em;border-radius:3px}@media (max-width:800px){#lungnb-nav{position:static;width:auto;height:auto;border:0}
body{margin-left:0 !important}}
</style>
"""

def nav_html(site:list[tuple[Path, str, str]], here:str)->str:
    "The sidebar: every page of the site (rel html path, title), the current one marked; links relative to `here`."
    up = '../' * here.count('/')
    groups = [('Start here', lambda r: '/' not in r and not re.match(r'\d', r)), ('Library', lambda r: '/' not in r and re.match(r'\d', r)),
              ('Studies', lambda r: r.startswith('experiments/'))]
    out = ['<nav id="lungnb-nav"><h2><a href="%sindex.html">lungnb</a></h2>' % up]
    for g, pred in groups:
        items = [(r, t, num) for _, r, t, num in site if pred(r)]
        if not items: continue
        out.append(f'<h3>{g}</h3><ul>')
        for r, t, num in items:
            cls = ' class="current"' if r == here else ''
            n = f'<span class="num">{html.escape(num)}</span>' if num else ''
            out.append(f'<li><a href="{up}{r}"{cls}>{n}{html.escape(t)}</a></li>')
        out.append('</ul>')
    return '\n'.join(out) + '</nav>\n'

_re_href = re.compile(r'''(\s(?:href|src)=)(["'])([^"']*)\2''')
def rewrite_links(page:str, nb_path:Path, nbs:Path, known:set[Path])->str:
    "Relative links to notebooks of the site (`x.ipynb#a`) point at their pages (`x.html#a`)."
    def sub(m):
        url = m.group(3); u = urlsplit(url)
        if u.scheme or u.netloc or not u.path.endswith('.ipynb'): return m.group(0)
        target = Path(os.path.normpath(nb_path.parent/unquote(u.path)))
        if target not in known: return m.group(0)
        new = u.path[:-len('.ipynb')] + '.html' + (f'#{u.fragment}' if u.fragment else '')
        return f'{m.group(1)}{m.group(2)}{new}{m.group(2)}'
    return _re_href.sub(sub, page)

def build(out:Path, nbs:Path=NBS)->tuple[list[str], list[Path]]:
    "Render every page into `out`; returns (errors, written html files)."
    ps = pages(nbs); known = {Path(os.path.normpath(p)) for p in ps}
    site, nbs_read, errs, written = [], {}, [], []
    for p in ps:
        rel = p.relative_to(nbs).with_suffix('.html').as_posix()
        try: nb = read_nb(p)
        except Exception as e: errs.append(f'{p.relative_to(ROOT)}: cannot read: {e}'); continue
        nbs_read[p] = nb
        num = m.group(1) if (m := re.match(r'(\d+[a-z]?)_', p.name)) else ''
        site.append((p, rel, p.stem if p.parent.name == 'experiments' else title(nb, p), num))
    exporter = _exporter()
    import nbformat
    for p, rel, t, _ in site:
        try:
            node = nbformat.from_dict(prepare(nbs_read[p], p))
            body, _res = exporter.from_notebook_node(node, resources={'metadata': {'name': t, 'path': str(p.parent)}})
        except Exception as e:
            errs.append(f'{p.relative_to(ROOT)}: does not render: {type(e).__name__}: {e}'); continue
        body = rewrite_links(body, p, nbs, known)
        body = re.sub(r'<title>.*?</title>', f'<title>{html.escape(t)} — lungnb</title>', body, count=1, flags=re.S)
        body = body.replace('</head>', NAV_CSS + '</head>', 1)
        body = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + '\n' + nav_html(site, rel), body, count=1)
        dest = out/rel; dest.parent.mkdir(parents=True, exist_ok=True); dest.write_text(body); written.append(dest)
    return errs, written

# ---------------------------------------------------------------- link check
class _Links(HTMLParser):
    def __init__(self):
        super().__init__(); self.links, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ('id', 'name'):
            if a.get(k): self.ids.add(a[k])
        for k in ('href', 'src'):
            if a.get(k) is not None and not (tag == 'script' or (tag == 'link' and k == 'href' and 'stylesheet' in (a.get('rel') or ''))):
                self.links.append(a[k])

def _parse(f:Path)->_Links:
    p = _Links(); p.feed(f.read_text()); return p

def _has_id(page:_Links, frag:str)->bool:
    "nbconvert writes heading ids percent-encoded (`Fr%C3%A9chet`): either spelling of the fragment counts."
    from urllib.parse import quote
    return bool({frag, unquote(frag), quote(unquote(frag), safe="!$&'()*+,;=:@-._~?/")} & page.ids)

def check_links(out:Path, files:list[Path], root:Path=ROOT)->list[str]:
    """Broken internal links of the site in `out`: a relative href/src whose file is missing (inside the site, or, for a link
    that climbs out of the site folder, in the repository: the site sits in `_docs/` beside `nbs/`), or whose #anchor is not
    an id on the target page. External links (with a scheme: http, https, mailto, data, ...) are not checked."""
    parsed, errs = {}, []
    def get(f):
        if f not in parsed: parsed[f] = _parse(f)
        return parsed[f]
    for f in files:
        for url in get(f).links:
            u = urlsplit(url)
            if u.scheme or u.netloc or url.startswith('//'): continue
            if not u.path:
                if u.fragment and not _has_id(get(f), u.fragment): errs.append(f'{f.relative_to(out)}: broken anchor #{u.fragment}')
                continue
            target = Path(os.path.normpath(f.parent/unquote(u.path)))
            try: target.relative_to(out)
            except ValueError: target = Path(os.path.normpath(root/os.path.relpath(target, out.parent)))  # out of the site: the repository
            if target.is_dir(): target = target/'index.html'
            if not target.exists(): errs.append(f'{f.relative_to(out)}: broken link {url}'); continue
            if u.fragment and target.suffix == '.html' and not _has_id(get(target), u.fragment):
                errs.append(f'{f.relative_to(out)}: broken anchor {url}')
    return errs

# ---------------------------------------------------------------- docstrings and show_doc coverage
def library_notebooks(nbs:Path=NBS)->list[tuple[Path, dict, str]]:
    out = []
    for p in sorted(nbs.glob('*.ipynb')):
        nb = read_nb(p)
        if mod := module_of(nb): out.append((p, nb, mod))
    return out

def check_docstrings(nbs:Path=NBS)->list[str]:
    """A library notebook's first markdown cell is `# title` and one `> description` line that ends a sentence (nbdev makes it
    the module docstring and drops any further `>` lines); the module's docstring is that line, whole."""
    errs = []
    for p, nb, mod in library_notebooks(nbs):
        md = next((c for c in nb['cells'] if c['cell_type'] == 'markdown'), None)
        lines = src(md).splitlines() if md else []
        q = [i for i, l in enumerate(lines) if l.startswith('>')]
        if not q: errs.append(f'{p.name}: no `> description` line in the first markdown cell'); continue
        i = q[0]; desc = lines[i].lstrip('>').strip()
        if i + 1 < len(lines) and lines[i + 1].strip():
            errs.append(f'{p.name}: the description goes on past its first line (nbdev keeps only that line): {lines[i + 1][:60]!r}')
        if not desc.endswith(('.', '?', '!')): errs.append(f'{p.name}: the description does not end a sentence: {desc[-60:]!r}')
        f = module_file(mod)
        if not f.exists(): errs.append(f'{p.name}: module file {f.relative_to(ROOT)} missing (run nbdev_export)'); continue
        doc = ast.get_docstring(ast.parse(f.read_text())) or ''
        if doc.strip() != desc: errs.append(f'{f.relative_to(ROOT)}: docstring {doc[-50:]!r} is not the description of {p.name} (run nbdev_export)')
        elif not doc.rstrip().endswith(('.', '?', '!')): errs.append(f'{f.relative_to(ROOT)}: docstring cut mid-sentence: {doc[-60:]!r}')
    return errs

def missing_show_doc(nbs:Path=NBS)->dict[str, list[str]]:
    "notebook name -> the public functions and classes of its module (`__all__`) that have no show_doc cell."
    out = {}
    for p, nb, mod in library_notebooks(nbs):
        f = module_file(mod)
        if not f.exists(): continue
        table, have = defs(f), shown(nb)
        miss = [n for n in module_all(f) if n in table and n not in have]
        if miss: out[p.name] = miss
    return out

def add_show_doc(p:Path)->list[str]:
    "Insert `show_doc(name)` after the exported cell that defines each public name of `p`'s module lacking one."
    nb = read_nb(p); mod = module_of(nb)
    if not mod: return []
    f = module_file(mod); table, have = defs(f), shown(nb)
    miss = [n for n in module_all(f) if n in table and n not in have]
    if not miss: return []
    new, added = [], []
    def cell(code): return {'cell_type': 'code', 'execution_count': None, 'id': uuid.uuid4().hex[:8], 'metadata': {}, 'outputs': [], 'source': code}
    for c in nb['cells']:
        new.append(c)
        if c['cell_type'] != 'code': continue
        ds, code = directives(src(c))
        if not ({'export', 'exports'} & set(ds)) or ds.get('eval') == 'false': continue
        for name in re.findall(r'^(?:async\s+def|def|class)\s+([A-Za-z_]\w*)', code, re.M):
            if name in miss and name not in added: new.append(cell(f'show_doc({name})')); added.append(name)
    # show_doc must be importable in the notebook: the hidden test-import cell gets it
    if not any(c['cell_type'] == 'code' and re.search(r'from nbdev\.showdoc import .*show_doc|from nbdev\.showdoc import \*', src(c)) for c in new):
        hid = next((c for c in new if c['cell_type'] == 'code' and directives(src(c))[0].keys() >= {'hide'} and 'import' in src(c)), None)
        if hid is not None: hid['source'] = src(hid).rstrip('\n') + '\nfrom nbdev.showdoc import show_doc'
        else:
            i = next(i for i, c in enumerate(new) if c['cell_type'] == 'code' and 'default_exp' in directives(src(c))[0])
            new.insert(i + 1, cell('#|hide\nfrom nbdev.showdoc import show_doc'))
    nb['cells'] = new
    import nbformat
    text = nbformat.writes(nbformat.from_dict(nb))      # multi-line fields split back into lists, as nbdev writes them
    p.write_text(text if text.endswith('\n') else text + '\n')
    return added

# ---------------------------------------------------------------- README
def readme_md(nbs:Path=NBS)->str:
    "README.md from nbs/index.ipynb (nbconvert markdown), links made relative to the repository root."
    from nbconvert import MarkdownExporter
    import nbformat
    p = nbs/'index.ipynb'; nb = prepare(read_nb(p), p)
    for c in nb['cells']:
        if 'remove_input' in c['metadata'].get('tags', []): c['source'] = ''
    nb['cells'] = [c for c in nb['cells'] if src(c).strip() or c.get('outputs')]
    body, _ = MarkdownExporter(exclude_input_prompt=True, exclude_output_prompt=True).from_notebook_node(nbformat.from_dict(nb))
    def fix(m):
        text, url = m.group(1), m.group(2); u = urlsplit(url)
        if u.scheme or u.netloc or url.startswith('#'): return m.group(0)
        new = os.path.relpath(os.path.normpath(nbs/unquote(u.path)), nbs.parent) + (f'#{u.fragment}' if u.fragment else '')
        return f'[{text}]({new})'
    body = re.sub(r'\[([^\]]*)\]\(([^)\s]+)\)', fix, body)
    return README_NOTE + re.sub(r'\n{3,}', '\n\n', body).strip() + '\n'

# ---------------------------------------------------------------- headline table
HEAD0, HEAD1 = '<!-- headline:start -->', '<!-- headline:end -->'

def headline_index(nbs:Path=NBS)->tuple[dict, bool]:
    "nbs/index.ipynb with the block between the headline markers made anew from reports/ (`lungnb.report.headline_markdown`), and whether it changed."
    sys.path.insert(0, str(ROOT))
    from lungnb.report import headline_markdown
    p = nbs/'index.ipynb'; nb = read_nb(p); changed = False
    studies = sorted(f.stem for f in (nbs/'experiments').glob('*.ipynb'))
    table = headline_markdown(ROOT/'reports', studies, link='../reports/')
    for c in nb['cells']:
        s = src(c)
        if c['cell_type'] == 'markdown' and HEAD0 in s and HEAD1 in s:
            a, rest = s.split(HEAD0, 1); _, b = rest.split(HEAD1, 1)
            new = f'{a}{HEAD0}\n{table}\n{HEAD1}{b}'
            if new != s: c['source'] = new.splitlines(True); changed = True
    return nb, changed

# ---------------------------------------------------------------- main
def main(argv=None)->int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default=str(ROOT/'_docs'), help='site folder (default _docs/)')
    ap.add_argument('--check', action='store_true', help='build into a temporary folder and check; writes nothing')
    ap.add_argument('--add-show-doc', nargs='+', metavar='NB', help='add missing show_doc cells to these notebooks')
    a = ap.parse_args(argv)
    if a.add_show_doc:
        for nb in a.add_show_doc:
            added = add_show_doc(Path(nb).resolve())
            print(f'{nb}: added show_doc for {len(added)}: {" ".join(added)}' if added else f'{nb}: nothing missing')
        return 0
    t0 = time.time()
    if a.check:
        with tempfile.TemporaryDirectory(prefix='lungnb-docs-') as d:
            out = Path(d)/'_docs'
            errs, files = build(out)
            errs += check_links(out, files)
        errs += check_docstrings()
        for nb, names in missing_show_doc().items(): errs.append(f'{nb}: no show_doc for {len(names)} public name(s): {" ".join(names)}')
        if headline_index()[1]: errs.append('the headline table in nbs/index.ipynb is not what reports/*/results.json make: run `make docs`')
        readme = ROOT/'README.md'
        if not readme.exists() or readme.read_text() != readme_md(): errs.append('README.md is not what nbs/index.ipynb makes: run `make docs`')
        for e in errs: print('check-docs:', e)
        print(f'check-docs: {len(files)} pages rendered, {len(errs)} problem(s), {time.time() - t0:.1f} s')
        return 1 if errs else 0
    nb, changed = headline_index()
    if changed: (NBS/'index.ipynb').write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n'); print('docs: headline table in nbs/index.ipynb made anew from reports/')
    out = Path(a.out)
    if out.exists(): shutil.rmtree(out)
    errs, files = build(out)
    (ROOT/'README.md').write_text(readme_md())
    for e in errs: print('docs:', e)
    print(f'docs: {len(files)} pages in {out}, README.md from nbs/index.ipynb, {time.time() - t0:.1f} s')
    return 1 if errs else 0

if __name__ == '__main__': sys.exit(main())
