"""Checks the gathered CSV of jobs/compare.sbatch.

usage: check_compare.py COMPARE.csv PROBLEM.cfg...

Passes when the first column is `problem`, a `regimen` column exists, and every problem of
the list has rows (at least two regimens each), each with a regimen name.
"""
import csv
import os
import sys

with open(sys.argv[1], newline="") as f:
    rows = list(csv.reader(f))
head = rows[0]
if head[0] != "problem":
    sys.exit(f"first column is {head[0]!r}, not 'problem'")
if "regimen" not in head:
    sys.exit(f"no 'regimen' column in {head}")
ri = head.index("regimen")
for r in rows[1:]:
    if len(r) != len(head):
        sys.exit(f"row {r} has {len(r)} fields, the header {len(head)}")
    if not r[ri]:
        sys.exit(f"row {r} has no regimen name")
for p in sys.argv[2:]:
    name = os.path.basename(p)[:-4] if p.endswith(".cfg") else os.path.basename(p)
    n = sum(1 for r in rows[1:] if r[0] == name)
    if n < 2:
        sys.exit(f"problem {name} has {n} rows, expected one per regimen (at least 2)")
print(f"{len(rows) - 1} rows, {len(sys.argv) - 2} problem(s), {len(head)} columns")
