#!/usr/bin/env python3
"""An independent reference of docs/model.md sections 2-8 for tests/test_conformance.cmake.

Written from the contract by the audit, sharing nothing with src/model or
tests/sim_reference.h: a plain classical RK4 at a fixed step, closed-form PK, its own
extinction, policies (fixed, adaptive, dose_modulation), progression and emergence code.
It runs `regimen simulate` on the problem below (every term of the model: bolus, half-life 0
and continuous drugs, efflux with hypoxia induction and an inhibitor, target, repair with an
"all" inhibitor pair, stroma with an inhibitor, penetration loss, quiescence, capacity effect,
competition, a Hill-1.5 cycle-specific drug, an interaction, spontaneous and induced
switching, extinction, Friberg, nadir progression) and compares the burden at every visit
(relative TOL), TTP, time to emergence, the neutrophil nadir and the emergence hazard L, all
read at the end of the evaluation t_end (docs/model.md section 8: progression ends it, and the
run goes on untreated from the next decision time). L is formed as docs/model.md section 6
defines it: the survival probability phi = e^w of a de novo lineage of r2 from a backward RK4
pass, w' = d - b (1 - e^w) from w(t_end) = 0, over the rates stored at every step and half
step of the forward pass, and L the integral of flux * phi.

usage: model_reference.py REGIMEN_EXE TMPDIR [fixed|adaptive|dm] [logistic|gompertz] [whole]

With `whole`, the progression factor is out of reach (1e300), so the dosed dynamics and L
are compared over the whole horizon.
"""
import csv, math, os, subprocess, sys

CFG = r"""horizon_days = 60.0; decision_days = 3.0; visit_days = 1.0;
carrying_capacity = 1.0e6;
growth = "logistic";
extinction_cells = 1.0;
emergence_cells = 500.0;
drugs = (
  { name = "dox"; half_life_days = 1.2; administration = "bolus"; dosing_interval_days = 9.0;
    effect = "hill"; emax = 2.0; ec50 = 0.3; hill = 1.5; cycle_specific = true;
    hypoxia_penetration_loss = 0.5; stroma_sensitive = true; myelotoxicity_slope = 0.8; toxicity_weight = 1.0; },
  { name = "tki"; half_life_days = 0.0; effect = "linear"; emax = 0.15; ec50 = 0.5; toxicity_weight = 0.5; },
  { name = "inh"; half_life_days = 0.7; emax = 0.0; toxicity_weight = 0.2; }
);
mechanisms = (
  { name = "pgp"; kind = "efflux"; affects = ["dox"]; hypoxia_induction = 1.5;
    inhibitors = ( { drug = "inh"; ic50 = 0.2; } ); },
  { name = "t315"; kind = "target"; affects = ["tki"]; },
  { name = "rep"; kind = "repair"; affects = ["dox", "tki"]; inhibitors = ( { drug = "inh"; ic50 = 0.5; }, { drug = "tki"; ic50 = 0.4; } ); inhibitors_combine = "all"; }
);
clones = (
  { name = "s"; cells = 1.0e5; growth_rate = 0.25; death_rate = 0.01; competition = { r1 = 1.5; }; capacity_effect = { tki = 0.3; }; },
  { name = "r1"; cells = 50.0; growth_rate = 0.2; death_rate = 0.01; resistant = true; carrying_capacity = 8.0e5;
    mechanisms = { pgp = 6.0; rep = 2.0; }; },
  { name = "r2"; cells = 0.0; growth_rate = 0.18; death_rate = 0.02; resistant = true; mechanisms = { t315 = 10.0; }; },
  { name = "tiny"; cells = 3.0; growth_rate = 0.01; death_rate = 0.5; }
);
mutations = (
  { from = "s"; to = "r2"; rate = 1.0e-4; induced_by = ( { drug = "dox"; rate = 1.0e-4; } ); },
  { from = "r1"; to = "r2"; rate = 1.0e-3; }
);
interactions = ( { drugs = ["dox", "tki"]; psi = 0.7; } );
tme = { hypoxia = { max_fraction = 0.4; half_burden = 2.0e5; quiescence = 0.3; };
        stroma = { protection = 0.3; inhibitors = ( { drug = "inh"; ic50 = 0.3; } ); }; };
neutrophils = { mtt_days = 4.0; circ0 = 5.0; gamma = 0.17; };
progression = { reference = "nadir"; factor = 1.2; min_cells = 10.0; };
regimens = ( { name = "a"; policy = "adaptive"; drugs = ["dox","tki"]; dose = 0.9; stop_below = 0.5; resume_above = 0.8; },
 { name = "dm"; policy = "dose_modulation"; drugs = ["dox","tki"]; dose = 0.8; rise = 0.1; fall = 0.1; step = 0.5; min_dose = 0.3; skip_below = 0.2; },
 { name = "f"; policy = "fixed"; drugs = ["dox", "tki", "inh"];
  doses = ( [1.0, 0.0, 0.5], [0.8, 0.0, 0.0, 0.6], [1.0, 1.0, 0.0, 0.0, 0.0] ); } );
"""
H, DT, DV = 60.0, 3.0, 1.0
K0 = 1e6; ext = 1.0; emerg = 500.0
LN2 = math.log(2)
# drugs: dox, tki, inh
hl = [1.2, 0.0, 0.7]; bolus = [True, False, False]; bint = [9.0, None, None]
eff = ['hill', 'linear', 'hill']; emax = [2.0, 0.15, 0.0]; ec50 = [0.3, 0.5, 1.0]; hilln = [1.5, 1, 1]
cyc = [True, False, False]; ploss = [0.5, 0, 0]; stroma_s = [True, False, False]; myelo = [0.8, 0, 0]
tw = [1.0, 0.5, 0.2]
doses = [[1.0, 0.0, 0.5], [0.8, 0.0, 0.0, 0.6], [1.0, 1.0, 0.0, 0.0, 0.0]]
# mechanisms
mechs = [dict(kind='efflux', aff=[0], eta=1.5, inh=[(2, 0.2)], comb='any'),
         dict(kind='target', aff=[1], eta=0.0, inh=[], comb='any'),
         dict(kind='repair', aff=[0, 1], eta=0.0, inh=[(2, 0.5), (1, 0.4)], comb='all')]
names = ['s', 'r1', 'r2', 'tiny']
x0 = [1e5, 50.0, 0.0, 3.0]
r = [0.25, 0.2, 0.18, 0.01]; dl = [0.01, 0.01, 0.02, 0.5]
Kc = [K0, 8e5, K0, K0]; res = [False, True, True, False]
A = [[1, 1.5, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]
gam = [[0, 0.3, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]
carry = [{}, {0: 6.0, 2: 2.0}, {1: 10.0}, {}]
muts = [(0, 2, 1e-4, [(0, 1e-4)]), (1, 2, 1e-3, [])]
psi = [(0, 1, 0.7)]
hmax, hhalf, q = 0.4, 2e5, 0.3
s_prot, s_inh = 0.3, [(2, 0.3)]
mtt, circ0, fg = 4.0, 5.0, 0.17
ktr = 4 / mtt
kd = [LN2 / h if h > 0 else 0 for h in hl]
nint = int(round(H / DT))

def occ(inh, comb, c):
    if not inh: return 0.0
    o = [c[d] / (c[d] + ic) for d, ic in inh]
    if comb == 'all':
        p = 1.0
        for v in o: p *= v
        return p
    return min(1.0, sum(o))

def rates(x, c):
    xs = [max(v, 0) for v in x]
    B = sum(xs)
    f = hmax * B / (B + hhalf)
    seff = s_prot * (1 - occ(s_inh, 'any', c))
    g = []; kill = []
    for i in range(4):
        C = sum(A[i][j] * xs[j] for j in range(4))
        Ke = Kc[i] * max(0.01, 1 - sum(gam[i][d] * c[d] for d in range(3)))
        gi = (r[i] * (1 - q * f) * (math.log(Ke / C) if C > 0 else 0.0)) if GOMP else r[i] * (1 - q * f) * (1 - C / Ke)
        g.append(gi)
    for i in range(4):
        expo = [1.0] * 3; ecm = [1.0] * 3; emd = [1.0] * 3
        for m, F in carry[i].items():
            M = mechs[m]
            I = occ(M['inh'], M['comb'], c)
            Fe = 1 + (F * (1 + M['eta'] * f) - 1) * (1 - I)
            for d in M['aff']:
                if M['kind'] in ('efflux', 'detox'): expo[d] *= Fe
                elif M['kind'] == 'target': ecm[d] *= Fe
                else: emd[d] *= Fe
        kap = []
        for d in range(3):
            z = c[d] * (1 - ploss[d] * f) / expo[d]
            E = emax[d] / emd[d]; EC = ec50[d] * ecm[d]
            if eff[d] == 'hill':
                k = 0.0 if z == 0 else E * z ** hilln[d] / (z ** hilln[d] + EC ** hilln[d])
            else:
                k = E * z / EC
            if cyc[d]: k *= max(g[i], 0)
            if stroma_s[d]: k *= (1 - seff)
            kap.append(k)
        tot = sum(kap) + sum(p * math.sqrt(kap[a] * kap[b]) for a, b, p in psi)
        kill.append(max(0.0, tot))
    return xs, g, kill

def rhs(t, y, conc):
    c = conc(t)
    x = y[:4]
    xs, g, kill = rates(x, c)
    dy = [(g[i] - dl[i] - kill[i]) * xs[i] for i in range(4)]
    inflow = [0.0] * 4
    hflux = [0.0] * 4
    for a, b, mu, ind in muts:
        fl = (mu * max(g[a], 0) + sum(nu * c[d] for d, nu in ind)) * xs[a]
        dy[a] -= fl; dy[b] += fl; inflow[b] += fl
        if not res[a] and res[b]:
            hflux[b] += fl
    # birth, death and de novo flux of each resistant clone fed by a non-resistant one
    haz = [(max(g[j], 0), dl[j] + kill[j] + max(-g[j], 0), hflux[j]) for j in HAZ]
    P, T1, T2, T3, Ci = y[5:10]
    E = sum(myelo[d] * c[d] for d in range(3))
    dn = [ktr * P * ((1 - E) * (circ0 / Ci) ** fg - 1), ktr * (P - T1), ktr * (T1 - T2), ktr * (T2 - T3), ktr * (T3 - Ci)]
    return dy + [0.0] + dn, inflow, haz

HAZ = sorted({b for a, b, mu, ind in muts if not res[a] and res[b]})
y = x0 + [0.0] + [circ0] * 5
c = [0.0, 0.0, 0.0]
vis = []
h = 2.5e-3
EXE, TMP = sys.argv[1], sys.argv[2]
POL = sys.argv[3] if len(sys.argv) > 3 else 'fixed'
GOMP = len(sys.argv) > 4 and sys.argv[4] == 'gompertz'
WHOLE = len(sys.argv) > 5 and sys.argv[5] == 'whole'
FACTOR = 1e300 if WHOLE else 1.2
B0 = sum(x0)
state = dict(treating=True, D=None, last=None)
anchor = [0.0, 0.0, 0.0]  # start of each bolus drug's cycle (docs/model.md section 2)
def policy(k, Bk):
    if POL == 'fixed':
        return [doses[d][k % len(doses[d])] for d in range(3)]
    if POL == 'adaptive':  # dose 0.9, stop 0.5, resume 0.8 on dox, tki
        if k > 0:
            if state['treating'] and Bk <= 0.5 * B0: state['treating'] = False
            elif not state['treating'] and Bk >= 0.8 * B0:
                state['treating'] = True
                anchor[0] = k * DT  # a resume restarts the bolus cycle of dox
        u = 0.9 if state['treating'] else 0.0
        return [u, u, 0.0]
    if POL == 'dm':  # dose 0.8 rise 0.1 fall 0.1 step 0.5 min_dose 0.3 skip_below 0.2
        if k == 0: D = 0.8
        else:
            D = state['D']; prev = state['last']
            if Bk > 1.1 * prev: D = 0.8 if D == 0 else D * 1.5
            elif Bk < 0.9 * prev: D = D * 0.5
        D = min(max(D, 0.0), 1.0)
        if D < 0.3: D = 0.0
        state['D'] = D; state['last'] = Bk
        u = 0.0 if Bk < 0.2 * B0 else D
        return [u, u, 0.0]
t_end = None  # the progression visit (nadir rule, factor 1.2, min_cells 10), else H
steps = []    # (t0, h, rates at t0, at t0 + h/2, at t0 + h) while on protocol
def visit(t, yy, cc):
    global t_end
    vis.append((t, list(yy), list(cc)))
    Bs = [sum(max(v, 0) for v in w[1][:4]) for w in vis]
    v = len(vis) - 1
    if t_end is None and v >= 1 and Bs[v] >= FACTOR * min(Bs[:v]) and Bs[v] >= 10:
        t_end = t
for k in range(nint + 1):
    tk = k * DT
    visit(tk, y, c)
    if k == nint: break
    if k >= 1:
        _, inflow, _ = rhs(tk, y, lambda t: list(c))
        for i in range(4):
            if y[i] < ext and not inflow[i] > 0: y[i] = 0.0
    u = policy(k, sum(max(v, 0) for v in vis[-1][1][:4])) if t_end is None else [0.0] * 3
    c0 = list(c)
    for d in range(3):
        slot = (tk - anchor[d]) / bint[d] if bolus[d] else 0.5
        if slot > -1e-9 and abs(slot - round(slot)) < 1e-9: c0[d] += u[d]
    def conc(t, c0=c0, u=u, tk=tk):
        out = []
        for d in range(3):
            s = t - tk
            if bolus[d]: out.append(c0[d] * math.exp(-kd[d] * s))
            elif kd[d] == 0: out.append(u[d])
            else: out.append(u[d] + (c0[d] - u[d]) * math.exp(-kd[d] * s))
        return out
    n = int(round(DT / h)); nv = int(round(DV / h))
    t = tk
    for st in range(n):
        on = t_end is None
        k1, _, h0 = rhs(t, y, conc)
        k2, _, _ = rhs(t + h / 2, [a + h / 2 * b for a, b in zip(y, k1)], conc)
        k3, _, _ = rhs(t + h / 2, [a + h / 2 * b for a, b in zip(y, k2)], conc)
        k4, _, _ = rhs(t + h, [a + h * b for a, b in zip(y, k3)], conc)
        y1 = [a + h / 6 * (b1 + 2 * b2 + 2 * b3 + b4) for a, b1, b2, b3, b4 in zip(y, k1, k2, k3, k4)]
        if on:  # the rates at the half step from the cubic Hermite midpoint
            f1, _, h1 = rhs(t + h, y1, conc)
            ym = [(a + b) / 2 + h / 8 * (fa - fb) for a, b, fa, fb in zip(y, y1, k1, f1)]
            _, _, hm = rhs(t + h / 2, ym, conc)
            steps.append((t, h, h0, hm, h1))
        y = y1
        t = tk + (st + 1) * h
        if (st + 1) % nv == 0 and st + 1 < n:
            visit(t, y, conc(t))
    c = conc(tk + DT)
    y[:4] = [max(v, 0) for v in y[:4]]
os.makedirs(TMP, exist_ok=True)
cfgp = os.path.join(TMP, 'reference.cfg'); csvp = os.path.join(TMP, 'reference_%s_%s%s.csv' % (POL, 'g' if GOMP else 'l', '_w' if WHOLE else ''))
with open(cfgp, 'w') as f:
    text = CFG.replace('growth = "logistic";', 'growth = "gompertz";') if GOMP else CFG
    f.write(text.replace('factor = 1.2;', 'factor = 1e300;') if WHOLE else text)
reg = {'fixed': 'f', 'adaptive': 'a', 'dm': 'dm'}[POL]
out = subprocess.run([EXE, 'simulate', cfgp, '--regimen', reg, '--csv', csvp, '--force'], capture_output=True, text=True)
if out.returncode != 0:
    sys.exit('regimen simulate failed: ' + out.stderr)
rows = list(csv.DictReader(open(csvp)))
TOL = 1e-7
bad = 0
if len(rows) != len(vis):
    sys.exit('%d visits, reference %d' % (len(rows), len(vis)))
for (t, yy, cc), row in zip(vis, rows):
    B = sum(max(v, 0) for v in yy[:4]); Bk = float(row['burden'])
    if abs(float(row['t']) - t) > 1e-9 or abs(B - Bk) > TOL * B:
        print('t = %g: burden %.12g, reference %.12g' % (t, Bk, B)); bad += 1
te = H if t_end is None else t_end
ttp = 'no progression by day %g' % H if t_end is None else '%g days' % t_end
onp = [w for w in vis if w[0] <= te + 1e-9]
tte = next(('%g days' % w[0] for w in onp if w[1][1] + w[1][2] >= 500), 'no emergence by day %g' % te)
nadir = min(yy[9] for t, yy, cc in onp)
# the backward pass from t_end: the stored steps end exactly on it (a visit)
L = 0.0
for q in range(len(HAZ)):
    w = 0.0
    for t0, hh, r0, rm, r1 in reversed([s_ for s_ in steps if s_[0] < te - 1e-9]):
        def F(rr, w):
            b, d, fl = rr[q]
            return d - b * (1 - math.exp(w)), fl * math.exp(w)
        a1, l1 = F(r1, w); a2, l2 = F(rm, w - hh / 2 * a1); a3, l3 = F(rm, w - hh / 2 * a2); a4, l4 = F(r0, w - hh * a3)
        L += hh / 6 * (l1 + 2 * l2 + 2 * l3 + l4)
        w -= hh / 6 * (a1 + 2 * a2 + 2 * a3 + a4)
text = out.stdout
def field(prefix):
    for line in text.splitlines():
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None
checks = [('time to progression:', ttp), ('time to emergence:', tte)]
for pre, want in checks:
    got = field(pre)
    if got != want:
        print('%s %s, reference %s' % (pre, got, want)); bad += 1
got_L = float(field('emergence hazard L:').split(';')[0])
if abs(got_L - L) > 1e-5 * L:  # printed with 6 digits
    print('L %.12g, reference %.12g' % (got_L, L)); bad += 1
got_n = float(field('neutrophil nadir:').split()[0])
if abs(got_n - nadir) > 1e-3 * nadir:
    print('nadir %.6g, reference %.6g' % (got_n, nadir)); bad += 1
print('%s %s%s: %d visits, ttp %s, emergence %s, L %.6g, nadir %.4g: %s' % (
    POL, 'gompertz' if GOMP else 'logistic', ' whole' if WHOLE else '', len(vis), ttp, tte, L, nadir, 'FAIL' if bad else 'ok'))
sys.exit(1 if bad else 0)
