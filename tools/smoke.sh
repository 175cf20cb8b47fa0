#!/usr/bin/env bash
# Run the smoke preset of every study notebook in nbs/experiments/ (each into a temporary report folder).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
shopt -s nullglob
nbs=("$top"/nbs/experiments/*.ipynb)
if [ ${#nbs[@]} -eq 0 ]; then
  echo "smoke: no study notebooks in nbs/experiments/ yet, nothing to run"; exit 0
fi
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
n=0
for nb in "${nbs[@]}"; do
  id=$(basename "$nb" .ipynb)
  "$top/.venv/bin/lungnb" reproduce "$id" --preset smoke --out "$out"
  # the report must exist and results.json must hold headline rows with mean, 95 % CI and n, and provenance
  "$top/.venv/bin/python" - "$out" "$id" <<'PY'
import json, sys
from pathlib import Path
out, sid = Path(sys.argv[1]), sys.argv[2]
r = json.loads((out/sid/'results.json').read_text())
assert (out/f'{sid}.html').exists() and (out/'index.html').exists(), 'missing html'
assert r['headline'] and all({'metric', 'paper', 'mean', 'ci_low', 'ci_high', 'n', 'verdict'} <= set(h) for h in r['headline']), r['headline']
assert 'SMOKE' in r['title'] and {'git_commit', 'preset', 'seed', 'data_checksum', 'versions', 'wall_seconds', 'precision'} <= set(r['provenance'])
# each study's own comparisons (issue #6): every required metric is a headline row with a finite mean
required = {'nam': ['Dice: real + DCGAN − real + classic', 'Dice: real + classic − real', 'test Dice, real'],
            'wang': ['accuracy: classic + GAN − classic', 'accuracy: classic − raw', '3-class accuracy, raw', 'AUC malignant vs rest, raw'],
            'chi': ['Dice: improved U-Net − U-Net', 'test Dice, U-Net', 'test Dice, improved U-Net', 'pixel sensitivity: improved U-Net − U-Net', 'fd_lidc, dcgan', 'fd_lidc, wcapsgan'],
            'andrei': ['membership-attack AUC: dcgan-* − no generator', 'membership-attack AUC: dcgan-overfit − no generator', 'membership-attack AUC − 0.5, dcgan-*', 'membership-attack AUC − 0.5, no generator', 'memorisation rate, dcgan-*', 'fd_lidc (validation patients), best dcgan', 'accuracy: real + classic − real', '3-class accuracy, real'],
            'samaras': ['AUC: real + GAN − real', 'balanced accuracy: real + GAN − real', 'SSIM ÷ real-vs-real ceiling, GAN', 'balanced accuracy, wang-cnn, real']}.get(sid, [])
import math
for m in required:
    rows = [h for h in r['headline'] if h['metric'].startswith(m)]
    assert rows, f'{sid}: no headline metric starting with {m!r}'
    assert all(isinstance(h['mean'], (int, float)) and math.isfinite(h['mean']) for h in rows), (sid, rows)
print(f'smoke {sid}: results.json has {len(r["headline"])} headline rows, {len(required)} required metrics present')
PY
  n=$((n+1))
done
# no rendered page may show a warning, a traceback, a stderr block, a path of this machine or a broken link (issue #18/#19)
"$top/.venv/bin/python" "$top/tools/check_reports.py" "$out"
echo "smoke: $n passed, 0 failed"
# same seed and preset -> identical results.json, timings aside (issue #6): run one study a second time and compare
again=${SAME_SEED_STUDY:-nam}
if [ -f "$top/nbs/experiments/$again.ipynb" ]; then
  "$top/.venv/bin/lungnb" reproduce "$again" --preset smoke --out "$out/again"
  "$top/.venv/bin/python" "$top/tools/same_results.py" "$out/$again/results.json" "$out/again/$again/results.json"
fi
