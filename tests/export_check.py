#!/usr/bin/python3
"""Parses the JSON and CSV that test_export wrote with Python's own json and csv modules and
checks that they hold the same numbers as the HDF5 file (read with h5py), bit for bit."""
import csv
import json
import sys

import h5py
import numpy as np


def load(d, what):
    with open(f"{d}/{what}.json") as f:
        js = json.load(f)
    with open(f"{d}/{what}.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert js["what"] == what and len(js["rows"]) == len(rows), what
    for jr, cr in zip(js["rows"], rows):
        assert list(jr.keys()) == list(cr.keys()), (what, jr.keys(), cr.keys())
        for k, v in jr.items():
            if isinstance(v, str):
                assert v == cr[k], (what, k)
            else:
                assert v == float(cr[k]), (what, k, v, cr[k])
    return js


def main(d):
    with h5py.File(f"{d}/res.h5", "r") as h:
        names = [n.decode() for n in h.attrs["objective_names"]]
        front = load(d, "front")
        assert front["objectives"] == names and front["seed"] == int(h.attrs["seed"])
        fo = h["front/objectives"][:]
        for i, row in enumerate(front["rows"]):
            assert row["member"] == i
            for m, n in enumerate(names):
                assert row[n] == fo[i, m], (n, row[n], fo[i, m])
            assert row["violation"] == h["front/violation"][i]
            assert row["feasible"] == h["front/feasible"][i]
        doses = h["front/doses"][:]
        drugs = [n.decode() for n in h["front"].attrs["drug_names"]]
        dt = h["front"].attrs["decision_days"]
        gene_drug, gene_day = h["front/gene_drug"][:], h["front/gene_day"][:]
        # one dose column per gene: its drug and day (the gene map), the delivered dose
        for i, row in enumerate(front["rows"]):
            for g in range(len(gene_drug)):
                d_, day = int(gene_drug[g]), float(gene_day[g])
                col = "dose_%s_d%s" % (drugs[d_], "%.15g" % day)
                assert row[col] == doses[i, d_, int(round(day / dt))], col
        hist = load(d, "history")
        hv = h["history/hypervolume"][:]
        assert [r["hypervolume"] for r in hist["rows"]] == list(hv)
        reg = load(d, "regimens")
        ro = h["regimens/objectives"][:]
        rn = [x.decode() for x in h["regimens/names"][:]]
        for i, row in enumerate(reg["rows"]):
            assert row["regimen"] == rn[i]
            assert [row[n] for n in names] == list(ro[i])
        traj = load(d, "trajectories")
        t = h["trajectories/t"][:]
        rb = h["trajectories/regimens/burden"][:]
        rows = [r for r in traj["rows"] if r["source"].startswith("regimen:")]
        assert len(rows) == rb.size
        for r in rows:
            i = rn.index(r["source"][len("regimen:"):])
            v = int(np.where(t == r["t"])[0][0])
            assert r["burden"] == rb[i, v]
    print("export JSON/CSV of", d, "match the HDF5 file")


if __name__ == "__main__":
    main(sys.argv[1])
