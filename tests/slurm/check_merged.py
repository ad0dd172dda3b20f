"""Checks a merged front against the task fronts it came from (test of jobs/sweep.sbatch).

usage: check_merged.py MERGED.csv FRONT.csv...

Objective columns are those named f1, f2, ... (the benchmark problems' objectives, all
minimised). Passes when no file repeats a column name, the merged front is not empty, each of its points is a point of some
task front, no merged point dominates another, and every task point is weakly dominated by a
merged point (so nothing non-dominated was lost). Prints a one-line summary.
"""
import csv
import re
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"{path}: empty file")
    head = rows[0]
    dup = sorted({h for h in head if head.count(h) > 1})
    if dup:
        sys.exit(f"{path}: column names repeated in the header: {dup[:5]}")
    obj = [i for i, h in enumerate(head) if re.fullmatch(r"f[0-9]+", h.strip())]
    if not obj:
        sys.exit(f"{path}: no objective columns f1, f2, ... in header {head}")
    names = [head[i].strip() for i in obj]
    return names, [tuple(float(r[i]) for i in obj) for r in rows[1:] if r]


def dominates(a, b):
    return all(x <= y for x, y in zip(a, b)) and any(x < y for x, y in zip(a, b))


def close(a, b):
    return all(abs(x - y) <= 1e-12 * max(1.0, abs(x), abs(y)) for x, y in zip(a, b))


names, merged = read(sys.argv[1])
points = []
for path in sys.argv[2:]:
    n, p = read(path)
    if n != names:
        sys.exit(f"{path}: objectives {n} differ from the merged front's {names}")
    points += p
if not merged:
    sys.exit("the merged front is empty")
for m in merged:
    if not any(close(m, p) for p in points):
        sys.exit(f"merged point {m} is in no task front")
for i, a in enumerate(merged):
    for b in merged[i + 1:]:
        if dominates(a, b) or dominates(b, a):
            sys.exit(f"merged points {a} and {b}: one dominates the other")
for p in points:
    if not any(close(m, p) or dominates(m, p) for m in merged):
        sys.exit(f"task point {p} is dominated by no merged point")
print(f"{len(merged)} non-dominated points from {len(points)} points of "
      f"{len(sys.argv) - 2} task fronts")
