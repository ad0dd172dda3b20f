"""tools/plot-results checked through what it hands gnuplot.

usage: plot_results_check.py REGIMEN PLOT_RESULTS SOURCE_DIR SCRATCH

A short optimisation of the default problem is drawn with a stand-in `gnuplot` first on
PATH that keeps each script it is given and the data files the script names. Then:
- the front's axes hold every point and start at no negative value (ttp, resistant fraction);
- the regimens' numbers cover neither each other nor a regimen's marker (boxes of 7 pixels
  per digit by 12, a font of 11 points; the plot area's pixels from the script's margins),
  and the key names every standard regimen of `regimen export --what regimens`;
- the burden plot's progression threshold is 1.2 B(0) (problems/default.cfg: reference
  "initial", factor 1.2) with B(0) from `regimen export --what trajectories`;
- the dosing panel holds exactly the evolved member's doses of `regimen export --what
  calendar`;
- that file (no cohort) gets no Kaplan-Meier script; a short optimisation of
  problems/default_cohort.cfg does: its key names MTD, adaptive (the default regimens) and the
  default member (the feasible member of longest TTP, the burden plot's), each with its median
  (first t with S <= 1/2, else "not reached"), and each curve's steps and censoring crosses
  are that run's rows of `regimen export --what km`.
Exits 0 when all hold, 1 with the reason otherwise.
"""
import csv
import glob
import io
import os
import re
import subprocess
import sys

regimen, tool, source, scratch = sys.argv[1:5]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def export(what, results="run.h5"):
    out = subprocess.run([regimen, "export", results, "--what", what], check=True,
                         capture_output=True, text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def rows(path):
    return [l.split() for l in open(path) if l.strip()] if os.path.exists(path) else []


os.makedirs(scratch, exist_ok=True)
os.chdir(scratch)
cap, bindir = os.path.join(scratch, "capture"), os.path.join(scratch, "bin")
for d in (cap, bindir):
    os.makedirs(d, exist_ok=True)
    for f in glob.glob(os.path.join(d, "*")):
        os.remove(f)
with open(os.path.join(bindir, "gnuplot"), "w") as f:
    f.write("""#!/bin/sh
n=$(ls "$PLOT_CAPTURE" | grep -c '^script')
s="$PLOT_CAPTURE/script$n.gp"
cat >"$s"
grep -o "'[^']*[.]dat'" "$s" | tr -d "'" | sort -u | while read -r f; do
  [ -f "$f" ] && cp "$f" "$PLOT_CAPTURE/$n-$(basename "$f")"
done
exit 0
""")
os.chmod(os.path.join(bindir, "gnuplot"), 0o755)
if os.path.exists("run.h5"):
    os.remove("run.h5")
subprocess.run([regimen, "optimize", os.path.join(source, "problems/default.cfg"),
                "--generations", "4", "--population", "16", "--quiet", "--out", "run.h5"],
               check=True)
env = dict(os.environ, PATH=bindir + ":" + os.environ["PATH"], REGIMEN=regimen,
           TMPDIR=scratch, PLOT_CAPTURE=cap)
said = subprocess.run([tool, "run.h5", "--prefix", os.path.join(scratch, "p")], check=True,
                      env=env, capture_output=True, text=True).stdout
front_gp, burden_gp = (open(os.path.join(cap, "script%d.gp" % i)).read() for i in (0, 1))

# 1. the front's axes
front, regs = export("front"), export("regimens")
rng = {a: tuple(map(float, re.search(r"set %srange \[([^:]+):([^\]]+)\]" % a, front_gp).groups()))
       for a in "xy"}
for a, name in (("x", "ttp"), ("y", "resistant_fraction")):
    vals = [float(r[name]) for r in front + regs]
    lo, hi = rng[a]
    if lo < 0 or lo > min(vals) or hi < max(vals):
        fail("%s axis [%g, %g] for %s in [%g, %g]" % (a, lo, hi, name, min(vals), max(vals)))

# 2. the regimens' numbers
def margin(side):
    return float(re.search(r"set %smargin at screen ([0-9.]+)" % side, front_gp).group(1))


pw, ph = (margin("r") - margin("l")) * 1200, (margin("t") - margin("b")) * 720
px = lambda x, y: ((x - rng["x"][0]) / (rng["x"][1] - rng["x"][0]) * pw,
                   (y - rng["y"][0]) / (rng["y"][1] - rng["y"][0]) * ph)
labels = [(px(float(r[0]), float(r[1])), r[2].strip('"')) for r in rows(os.path.join(cap, "0-labels.dat"))]
marks = [px(float(r[0]), float(r[1])) for f in ("0-regimens0.dat", "0-regimens1.dat")
         for r in rows(os.path.join(cap, f))]
boxes = [(x - 3.5 * len(t), y - 6, x + 3.5 * len(t), y + 6) for (x, y), t in labels]
for i, a in enumerate(boxes):
    for b in boxes[i + 1:]:
        if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
            fail("regimen numbers overlap: %s and %s" % (a, b))
    for (x, y) in marks:
        if a[0] < x + 5 and x - 5 < a[2] and a[1] < y + 5 and y - 5 < a[3]:
            fail("a regimen number at %s covers the marker at (%g, %g)" % (a, x, y))
keys = re.findall(r"keyentry with lines lw 0 lc rgb 'white' title '(\d+): ([^']*)'", front_gp)
if len(keys) != len(labels) or not labels:
    fail("%d numbers drawn, %d in the key" % (len(labels), len(keys)))
named = ", ".join(k[1] for k in keys)
for r in regs:
    if r["regimen"] not in re.split(r", | \(", named):
        fail("regimen %s is not in the key: %s" % (r["regimen"], named))

# 3. the threshold and 4. the dosing panel of the evolved member
member = int(re.search(r"evolved schedule #(\d+)", burden_gp).group(1))
traj = [r for r in export("trajectories") if r["source"] == "member:%d" % member]
b0 = float(traj[0]["burden"])
thr = rows(os.path.join(cap, "1-thr.dat"))
if not thr or any(abs(float(t) - max(1.2 * b0, 1.0)) > 1e-9 * b0 for _, t in thr):
    fail("threshold %s, want 1.2 B(0) = %g" % (thr[:3], 1.2 * b0))
drugs = [c[len("dose_"):] for c in traj[0] if c.startswith("dose_")]
want = sorted((float(r["day"]), drugs.index(r["drug"]) + 1, float(r["fraction"]))
              for r in export("calendar") if int(r["member"]) == member and float(r["fraction"]) > 0)
got = sorted((float(c) - float(h), int(i), float(v))
             for c, i, h, v in rows(os.path.join(cap, "1-doses.dat")))
if len(got) != len(want) or any(abs(a[0] - b[0]) > 1e-9 or a[1] != b[1] or abs(a[2] - b[2]) > 1e-12
                                for a, b in zip(got, want)):
    fail("dosing panel %s\ncalendar %s" % (got[:6], want[:6]))

# 5. Kaplan-Meier curves: none without a cohort, each curve the export's with a cohort
if os.path.exists(os.path.join(cap, "script2.gp")) or "-km.png" in said:
    fail("a Kaplan-Meier picture for a file without a cohort: %s" % said)
if os.path.exists("coh.h5"):
    os.remove("coh.h5")
subprocess.run([regimen, "optimize", os.path.join(source, "problems/default_cohort.cfg"),
                "--generations", "2", "--population", "8", "--quiet", "--out", "coh.h5"],
               check=True)
subprocess.run([tool, "coh.h5", "--prefix", os.path.join(scratch, "q")], check=True, env=env,
               capture_output=True)
if not os.path.exists(os.path.join(cap, "script4.gp")):
    fail("no Kaplan-Meier script for a cohort run")
km_gp, cburden_gp = (open(os.path.join(cap, "script%d.gp" % i)).read() for i in (4, 3))
if "q-km.png" not in km_gp:
    fail("the cohort run's third script does not draw q-km.png")
cfront = [r for r in export("front", "coh.h5") if r["feasible"] == "1"]
want_member = max(cfront, key=lambda r: (float(r["ttp"]), -int(r["member"])))["member"]
if "evolved schedule #%s" % want_member not in cburden_gp:
    fail("burden and km default member differ from %s" % want_member)
km = {}
for r in export("km", "coh.h5"):
    km.setdefault(r["source"], []).append(r)
curves = re.findall(r"'([^']*[.]dat)' using 1:2 with steps [^,]*title '([^']*)'", km_gp)
sources = {}
for path, title in curves:
    name, med = re.match(r"(.*?)(?: \(infeasible\))?: median (.*)$", title).groups()
    src = "member:" + name[len("evolved #"):] if name.startswith("evolved #") else "regimen:" + name
    sources[src] = title
    want = km.get(src)
    if not want:
        fail("km curve '%s': no %s in the export" % (title, src))
    got = rows(os.path.join(cap, "4-" + os.path.basename(path)))
    if [(float(g[0]), float(g[1])) for g in got] != [(float(w["t"]), float(w["survival"]))
                                                      for w in want]:
        fail("km curve '%s': steps %s, export %s" % (title, got[:4], want[:4]))
    half = [float(w["t"]) for w in want if float(w["survival"]) <= 0.5]
    if med != ("%g days" % half[0] if half else "not reached"):
        fail("km curve '%s': median %s, export %s" % (title, med, half[:1]))
    risk = [int(w["at_risk"]) for w in want] + [0]
    cens = [(float(w["t"]), float(w["survival"])) for k, w in enumerate(want)
            if risk[k] - int(w["events"]) - risk[k + 1] > 0]
    gotc = [(float(g[0]), float(g[1]))
            for g in rows(os.path.join(cap, "4-" + os.path.basename(path)[:-4] + "-cens.dat"))]
    if gotc != cens:
        fail("km curve '%s': censoring crosses %s, export %s" % (title, gotc[:4], cens[:4]))
if sorted(sources) != sorted(["regimen:MTD", "regimen:adaptive", "member:" + want_member]):
    fail("km curves of %s, want MTD, adaptive and member %s" % (sorted(sources), want_member))
print("front axes [%g, %g] x [%g, %g]; %d regimen numbers apart; threshold %g; %d doses of "
      "member %d; km curves %s" % (rng["x"] + rng["y"] + (len(labels), float(thr[0][1]),
                                   len(got), member, ", ".join(sorted(sources)))))
