#!/usr/bin/env python3
"""The layering rule of lungnb/: no module but cli.py imports lungnb.cli, and the import graph has no cycle.

Every import counts, also those inside functions (a lazy import is still a dependency). Run by `make test`
(target check-imports) and by nbs/90_cli. Usage: python tools/check_imports.py [PACKAGE_DIR]   (default: lungnb/)
"""
import ast, sys
from pathlib import Path

def lungnb_imports(pkg:Path)->dict:
    "module -> the set of modules of the package `pkg` that it imports (anywhere in the file; relative imports resolved)."
    mods = {'.'.join(f.relative_to(pkg.parent).with_suffix('').parts).removesuffix('.__init__'): f for f in sorted(pkg.rglob('*.py'))}
    graph = {}
    for m, f in mods.items():
        here = m if f.name == '__init__.py' else m.rpartition('.')[0]
        deps = set()
        for n in ast.walk(ast.parse(f.read_text(), str(f))):
            if isinstance(n, ast.Import): names = [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom):
                base = n.module or ''
                if n.level: base = '.'.join([*here.split('.')[:len(here.split('.')) - n.level + 1], *([base] if base else [])])
                names = [f'{base}.{a.name}' if f'{base}.{a.name}' in mods else base for a in n.names]
            else: continue
            deps |= {x for x in names if x in mods and x != m}
        graph[m] = deps
    return graph

def find_cycle(graph:dict)->list|None:
    "One import cycle as [a, b, ..., a], or None."
    state, stack = {}, []
    def visit(m):
        state[m] = 1; stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1: return stack[stack.index(d):] + [d]
            if not state.get(d) and (c := visit(d)): return c
        state[m] = 2; stack.pop()
    for m in sorted(graph):
        if not state.get(m) and (c := visit(m)): return c
    return None

def check(pkg:Path)->list[str]:
    "The violations of the layering rule in package directory `pkg` (empty when it holds)."
    graph, cli = lungnb_imports(pkg), f'{pkg.name}.cli'
    errs = [f'{m} imports {cli} (nothing but the command line may; move what it needs below the CLI)'
            for m, deps in sorted(graph.items()) if cli in deps]
    if cyc := find_cycle(graph): errs.append('import cycle: ' + ' -> '.join(cyc))
    return errs

if __name__ == '__main__':
    pkg = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent/'lungnb')
    errs = check(pkg)
    for e in errs: print(f'FAIL: {e}')
    if errs: sys.exit(1)
    print(f'check-imports: no module of {pkg.name}/ imports its CLI, no import cycle ({len(lungnb_imports(pkg))} modules)')
