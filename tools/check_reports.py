#!/usr/bin/env python3
"""Fail if a rendered report folder has a page a reader must not see: the words "Warning" or "Traceback", a stderr
output block, an absolute path outside the report's own folder, or a link that does not resolve.

    .venv/bin/python tools/check_reports.py REPORTS_DIR [REPORTS_DIR ...]

Reads `index.html`, every `<id>.html` and every `<id>/notebook.html` (the rules are `lungnb.report.report_problems`)."""
import sys
from pathlib import Path
from lungnb.report import report_problems

def pages(d:Path)->list[Path]:
    "Every rendered page of a reports folder."
    return sorted(d.glob('*.html')) + sorted(d.glob('*/notebook.html'))

def main(dirs:list[str])->int:
    if not dirs: print(__doc__); return 2
    n, bad = 0, []
    for d in map(Path, dirs):
        ps = pages(d)
        if not ps: bad.append(f'{d}: no rendered pages'); continue
        for p in ps: n += 1; bad += [f'{(p.parent).as_posix()}/{q}' for q in report_problems(p)]
    for b in bad: print(f'check_reports: FAIL {b}')
    print(f'check_reports: {n} pages read, {len(bad)} problems')
    return 1 if bad else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
