#!/usr/bin/env python3
"""Give notebooks the top-level metadata JupyterLab writes, so that they open unmodified ("not dirty").

JupyterLab adds the kernel's `language_info` to a notebook's metadata (and sets `kernelspec`) as soon as it opens it,
which marks a notebook without them as modified. `settings.ini` lets `nbdev_clean` keep `language_info`
(`allowed_metadata_keys`), so a notebook that carries both blocks stays clean in both tools. This copies the `kernelspec`
and `language_info` blocks of a template notebook (default `nbs/60_widgets.ipynb`) into the given notebooks, leaves every
other metadata key and every cell alone, and runs `nbdev_clean --fname` on each notebook it changed.

    .venv/bin/python tools/set_nb_metadata.py nbs/00_core.ipynb nbs/01_data.dicom.ipynb ...
    .venv/bin/python tools/set_nb_metadata.py --check nbs/*.ipynb      # list the notebooks that lack them (exit 1 if any)
"""
import sys, json, argparse, subprocess
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
KEYS = ('kernelspec', 'language_info')

def template(path:Path)->dict:
    "The `kernelspec` and `language_info` blocks of the template notebook."
    meta = json.loads(path.read_text())['metadata']
    missing = [k for k in KEYS if k not in meta]
    if missing: sys.exit(f'set_nb_metadata: the template {path} has no {", ".join(missing)}')
    return {k: meta[k] for k in KEYS}

def apply(path:Path, blocks:dict, check:bool=False)->bool:
    "Set the blocks in one notebook; True if it changed (or, with `check`, would change)."
    nb = json.loads(path.read_text())
    if all(nb.get('metadata', {}).get(k) == v for k, v in blocks.items()): return False
    if check: return True
    nb.setdefault('metadata', {}).update(blocks)
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')   # nbdev_clean rewrites it in its own format next
    return True

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('notebooks', nargs='+', type=Path)
    p.add_argument('--template', type=Path, default=TOP/'nbs'/'60_widgets.ipynb')
    p.add_argument('--check', action='store_true', help='only list the notebooks that lack the blocks')
    a = p.parse_args()
    blocks = template(a.template)
    changed = [nb for nb in a.notebooks if nb.resolve() != a.template.resolve() and apply(nb, blocks, a.check)]
    if a.check:
        for nb in changed: print(f'set_nb_metadata: {nb} lacks the kernelspec / language_info of {a.template.name}')
        sys.exit(1 if changed else 0)
    for nb in changed:
        subprocess.run([str(TOP/'.venv'/'bin'/'nbdev_clean'), '--fname', str(nb)], check=True, cwd=TOP)
        print(f'set_nb_metadata: {nb}: kernelspec and language_info set, cleaned')
    if not changed: print('set_nb_metadata: nothing to change')

if __name__ == '__main__': main()
