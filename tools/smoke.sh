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
  n=$((n+1))
done
echo "smoke: $n passed, 0 failed"
