"""Print the README's headline table (markdown) from reports/<id>/results.json, so no number is copied by hand.
Usage: python tools/headline_table.py [reports]"""
import json, sys
from pathlib import Path

def fmt(v):
    if v is None: return '—'
    if isinstance(v, (int, float)): return f'{v:.3f}' if abs(v) < 100 else f'{v:.1f}'
    return str(v)

def table(root='reports'):
    lines = ['| study | metric | paper | ours: mean [95 % CI], n | verdict |', '|---|---|---|---|---|']
    for f in sorted(Path(root).glob('*/results.json')):
        r = json.loads(f.read_text())
        for h in r['headline']:
            ci = f"{fmt(h['mean'])} [{fmt(h['ci_low'])}, {fmt(h['ci_high'])}], n={h['n']}" if h.get('ci_low') is not None else f"{fmt(h['mean'])}, n={h['n']}"
            lines.append(f"| [{r['study']}](reports/{r['study']}.html) | {h['metric']} | {fmt(h.get('paper'))} | {ci} | {h['verdict']} |")
    return '\n'.join(lines)

if __name__ == '__main__': print(table(sys.argv[1] if len(sys.argv) > 1 else 'reports'))
