"""Checks the gathered CSV of jobs/compare.sbatch against `regimen compare --csv` run directly.

usage: check_compare.py COMPARE.csv NAME=REFERENCE.csv...

Passes when the first column is `problem`, every row has as many fields as the header, and,
for each NAME, the rows whose problem is NAME hold exactly the rows of REFERENCE.csv (the
same values under the same column names, in the same order; columns that REFERENCE.csv lacks
are empty), and no other problem appears.
"""
import csv
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        sys.exit(f"{path}: empty file")
    return rows[0], rows[1:]


head, rows = read(sys.argv[1])
if head[0] != "problem":
    sys.exit(f"first column is {head[0]!r}, not 'problem'")
for r in rows:
    if len(r) != len(head):
        sys.exit(f"row {r} has {len(r)} fields, the header {len(head)}")
names = []
for arg in sys.argv[2:]:
    name, ref = arg.split("=", 1)
    names.append(name)
    rhead, rrows = read(ref)
    if not rrows:
        sys.exit(f"{ref}: no regimens")
    got = [r for r in rows if r[0] == name]
    if len(got) != len(rrows):
        sys.exit(f"problem {name}: {len(got)} rows, regimen compare gave {len(rrows)}")
    for g, want in zip(got, rrows):
        for col in head[1:]:
            w = want[rhead.index(col)] if col in rhead else ""
            if g[head.index(col)] != w:
                sys.exit(f"problem {name}, column {col}: {g[head.index(col)]!r} != {w!r}")
other = {r[0] for r in rows} - set(names)
if other:
    sys.exit(f"rows of unexpected problems {sorted(other)}")
print(f"{len(rows)} rows of {len(names)} problem(s) equal to regimen compare's own tables, "
      f"{len(head)} columns")
