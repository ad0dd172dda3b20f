#!/usr/bin/python3
"""Reads a results file written by test_results with h5py alone (no regimen code) and checks
the values the fixture put there (tests/results_fixture.h): the format is usable by others."""
import struct
import sys
import zlib

import h5py
import numpy as np


def value(a, b):
    return 2.385 * (a + 1) - 0.137 * (b * b) + 1e-3 * a * b


def check_seal(path):
    """The integrity block (include/regimen/seal.h), checked with zlib's CRC-32."""
    data = open(path, "rb").read()
    magic, version, crc, length, own = struct.unpack("<8sIIQI", data[:28])
    assert magic == b"\x89RGSEAL\n", magic
    assert version == 3
    assert own == zlib.crc32(data[:24])
    assert length == len(data) - 512
    assert crc == zlib.crc32(data[512:])
    assert data[28:512] == bytes(484)


def text(x):
    """A fixed-length string as h5py gives it (bytes) or a variable-length one (str)."""
    return x.decode("utf-8") if isinstance(x, bytes) else x


def texts(xs):
    return [text(x) for x in xs]


def main(path):
    check_seal(path)
    with h5py.File(path, "r") as f:
        assert f.userblock_size == 512
        a = f.attrs
        # strings are fixed-length (numpy "S"), never variable-length (object) ones
        for name in ("format", "problem_name", "command_line", "objective_names"):
            assert a.get_id(name).dtype.kind == "S", (name, a.get_id(name).dtype)
        assert f["problem_text"].dtype.kind == "S" and f["regimens/names"].dtype.kind == "S"
        assert text(a["format"]) == "regimen-results", a["format"]
        assert a["format_version"] == 3
        assert text(a["problem_name"]) == "fixture-\u03b1"
        assert text(a["command_line"]) == "regimen optimize 'fix ture.cfg' --seed 17"
        assert a["seed"] == 17 and a["n_ranks"] == 3
        assert text(a["start_time"]) == "2026-11-26T22:00:01Z"
        assert texts(a["objective_names"]) == ["ttp", "resistant_burden", "dose_intensity"]
        assert list(a["objective_maximised"]) == [1, 0, 0]
        assert np.array_equal(a["reference_point"], [0.5, 3.75, 7.0])
        src = f["problem_text"][()].decode("utf-8")
        assert src.startswith("# fixture problem") and "\u00e9t\u00e9" in src
        hv = f["history/hypervolume"][:]
        assert np.array_equal(hv, [100.0, 101.5, 103.0, 104.5])
        g = f["history/genomes"]
        assert g.shape == (4, 6, 10) and g.chunks == (1, 6, 10) and g.maxshape[0] is None
        assert g.compression == "gzip"
        assert g[2, 3, 4] == value(2, 3 * 10 + 4)
        fo = f["front/objectives"][:]
        assert fo.shape == (3, 3) and fo[1, 2] == value(3, 5)
        assert list(f["front/feasible"][:]) == [1, 1, 0]
        assert texts(f["front"].attrs["drug_names"]) == ["cisplatin", "paclitaxel"]
        assert f["front/doses"].shape == (3, 2, 5) and f["front/doses"][0, 1, 3] == 0.75
        # the schedule genome's layout and gene map: gene g is drug g // 5 on day 7 (g % 5)
        assert a["genome_layout"] == 2
        assert list(f["front/gene_drug"][:]) == [0] * 5 + [1] * 5
        assert list(f["front/gene_day"][:]) == [7.0 * (g % 5) for g in range(10)]
        assert list(f["front"].attrs["dose_levels"]) == [0.0, 0.25, 0.5, 0.75, 1.0]
        assert list(f["front"].attrs["bolus_days"]) == [0.0, 0.0]
        names = [n.decode() for n in f["regimens/names"][:]]
        assert names == ["mtd", "adaptive"]
        assert f["trajectories/t"][6] == 30.0
        assert f["trajectories/regimens/clones"].shape == (2, 3, 7)
        assert text(f["trajectories/front/burden"].attrs["units"]) == "cells"
        assert f["trajectories/regimens/t_end"].shape == (2,)
        assert text(f["trajectories/front/t_end"].attrs["units"]) == "days"
        try:
            import pandas as pd  # optional: pandas through h5py
            df = pd.DataFrame(fo, columns=texts(a["objective_names"]))
            assert df["ttp"].iloc[1] == value(3, 3)
        except ImportError:
            pass
    print("h5py read", path, "ok")


if __name__ == "__main__":
    main(sys.argv[1])
