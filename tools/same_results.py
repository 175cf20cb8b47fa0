"""Compare two results.json files of the same study, seed and preset, timings and memory readings aside (issue #6: same seed -> same results).
Usage: python tools/same_results.py A/results.json B/results.json   (exit 1 and list the differences if they differ)"""
import json, sys

TIMING = {'wall_seconds', 'wall_s', 'seconds', 'started', 'finished', 'peak_rss_mb'}   # clock and resource readings of the run

def strip(o):
    "Drop timing keys at any depth."
    if isinstance(o, dict): return {k: strip(v) for k, v in o.items() if k not in TIMING}
    if isinstance(o, list): return [strip(v) for v in o]
    return o

def diff(a, b, path=''):
    "Paths where a and b differ."
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in diff(a.get(k, '<missing>'), b.get(k, '<missing>'), f'{path}/{k}')]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in diff(x, y, f'{path}[{i}]')]
    return [] if a == b else [f'{path}: {a!r} != {b!r}']

if __name__ == '__main__':
    a, b = (strip(json.load(open(p))) for p in sys.argv[1:3])
    d = diff(a, b)
    for line in d[:20]: print(line)
    print(f"{sys.argv[1]} and {sys.argv[2]}: {'identical (timings aside)' if not d else f'{len(d)} differences'}")
    sys.exit(1 if d else 0)
