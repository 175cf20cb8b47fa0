#!/usr/bin/env bash
# check-export: lungnb/ is exactly what nbdev_export makes from nbs/ (nobody edited a .py by hand)
# check-clean:  every notebook is clean (nbdev_clean changes nothing)
# Both run on a copy of the tracked and untracked-but-not-ignored files, so the working tree is never touched.
set -euo pipefail
what=${1:?check-export or check-clean}
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/.venv/bin"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$top"
git ls-files -co --exclude-standard -z | grep -zv -e '^\.venv/' -e '^data/' -e '^reports/' | xargs -0 -I{} cp --parents {} "$tmp"
cd "$tmp"
case "$what" in
  check-export)
    rm -rf lungnb_expected && cp -r lungnb lungnb_expected
    "$bin/nbdev_export"
    if ! diff -r -x __pycache__ -x '*.egg-info' lungnb_expected lungnb; then
      echo "FAIL: lungnb/ differs from what nbdev_export makes of nbs/ (edit the notebook, run nbdev_export, commit both)"; exit 1
    fi
    echo "check-export: lungnb/ matches nbdev_export";;
  check-clean)
    cp -r nbs nbs_expected
    "$bin/nbdev_clean" --fname nbs >/dev/null
    if ! diff -r nbs_expected nbs >/dev/null; then
      diff -rq nbs_expected nbs || true
      echo "FAIL: notebooks are not clean: run nbdev_clean and commit"; exit 1
    fi
    echo "check-clean: notebooks are clean";;
  *) echo "unknown check $what"; exit 2;;
esac
