/* Dormand-Prince 8(5,3) with 7th-order dense output: the kernel's default integrator.
 *
 * E. Hairer, S. P. Norsett and G. Wanner, Solving Ordinary Differential Equations I, 2nd ed.
 * (Springer 1993), section II.10 and the code DOP853: 12 stages per step (the 13th, f at the
 * new point, is the first stage of the next step), an error estimate that blends the 5th- and
 * 3rd-order embedded solutions, and a continuous extension of order 7 that costs 3 more stages
 * on steps that contain a visit. Coefficients in dop853_coef.h.
 *
 * The kernel's additions to Hairer's code: a maximum norm over components (every clone is
 * controlled on its own), kinks of the right-hand side detected through rg_model.sig and
 * straddled only by short steps, switches of the hazard's max(0, pi) located and ended on
 * (rg_model.netg), and a graded start after a drug with a non-integer Hill exponent switches
 * on from zero. The Friberg states are not integrated here: the
 * simulation loop steps them apart (friberg.h), and this integrator advances the clones and
 * L (rg_model_nint() components).
 *
 * Steps are not cut at decision times where nothing changes: the last accepted step may run
 * past the interval's end t1 (up to the horizon), the state at t1 is read from its interpolant,
 * and when the caller finds the dosing unchanged at t1 (rg_model.smooth_continue) the next call
 * goes on from that step. Where something does change, the next call restarts at t1 from the
 * interpolated state: the right-hand side is never integrated across a change. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "regimen/status.h"
#include "regimen/stepper.h"

#include "dop853_coef.h"

/* The hazard's absolute error floor (rg_dop853_setup says why) */
#define RG_HAZARD_FLOOR 1e-14

/* A switch of max(0, pi) closer than this fraction of the step to its start is left to the
 * step: L's integrand is ~0 there, and ending a step before it would cost a step of that size */
#define RG_LOCATE_START 1e-3

/* A visit this far into a step or further becomes the step's end (see the loop) */
#ifndef RG_SNAP
#define RG_SNAP 0.8
#endif
#ifndef RG_SNAP_GROW
#define RG_SNAP_GROW 1.25
#endif

void rg_error_floors(const rg_model *m, double b0, double floor[])
{
    /* the largest population the model can reach, but no more than 1e3 B(0) (a capacity
     * of 1e300 stands for "none") */
    double kmax = 0.0;
    for (size_t i = 0; i < m->n; i++)
        if (m->K[i] > kmax)
            kmax = m->K[i];
    double scale = kmax < 1e3 * b0 ? kmax : 1e3 * b0;
    if (!(scale > b0))
        scale = b0;
    for (size_t i = 0; i < m->n; i++)
        floor[i] = 1e-15 * scale;
    floor[m->iL] = 1e-12;
    if (m->neut)
        for (size_t q = 0; q < RG_NEUT_STATES; q++)
            floor[m->ineut + q] = 1e-9 * m->circ0;
}

void rg_dop853_setup(rg_dop853 *s, const rg_model *m, double rtol, double b0)
{
    double floor[RG_MAX_STATE];
    rg_error_floors(m, b0, floor);
    memset(s, 0, offsetof(rg_dop853, k)); /* not the work arrays (stepper.h) */
    s->rtol = rtol;
    double aux = rtol > RG_KERNEL_RTOL_AUX ? rtol : RG_KERNEL_RTOL_AUX;
    double auxn = rtol > RG_KERNEL_RTOL_NEUT ? rtol : RG_KERNEL_RTOL_NEUT;
    for (size_t i = 0; i < m->ny; i++) {
        s->rtolc[i] = i < m->n ? rtol : i == m->iL ? aux : auxn;
        s->atol[i] = s->rtolc[i] * floor[i];
    }
    /* L starts at 0 and, while max(0, pi) is 0, stays there: an absolute floor of 1e-20 (the
     * scheme above) made the first step past a switch fail its error test by factors of 1e7
     * and crawl up to the switch in steps shrinking by 3. A hazard of 1e-14 is far below any
     * that matters (the probability 1 - exp(-L); tests allow 1e-12 absolute). */
    if (s->atol[m->iL] < RG_HAZARD_FLOOR)
        s->atol[m->iL] = RG_HAZARD_FLOOR;
}

/* Hairer's HINIT for order 8 (RMS norms as there); one extra right-hand side call per run. */
static double initial_step(rg_dop853 *s, rg_model *m, double t, double span, const double y[],
                           const double f[])
{
    /* components that start at 0 (a clone fed by switching, L) grow linearly at first, which
     * the pair integrates exactly: they would only make the estimate absurdly small */
    const size_t ny = rg_model_nint(m);
    double n0 = 0.0, n1 = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < ny; i++) {
        if (y[i] == 0.0)
            continue;
        double sc = s->atol[i] + s->rtolc[i] * fabs(y[i]);
        n0 += (y[i] / sc) * (y[i] / sc);
        n1 += (f[i] / sc) * (f[i] / sc);
        used++;
    }
    if (used == 0)
        return 1e-6 < span ? 1e-6 : span;
    n0 = sqrt(n0 / (double)used);
    n1 = sqrt(n1 / (double)used);
    double h0 = (n0 < 1e-5 || n1 < 1e-5) ? 1e-6 : 0.01 * n0 / n1;
    if (h0 > span)
        h0 = span;
    double *y1 = s->ys, *f1 = s->k[1];
    for (size_t i = 0; i < ny; i++)
        y1[i] = y[i] + h0 * f[i];
    rg_model_rhs(m, t + h0, y1, f1);
    double n2 = 0.0;
    for (size_t i = 0; i < ny; i++) {
        if (y[i] == 0.0)
            continue;
        double sc = s->atol[i] + s->rtolc[i] * fabs(y[i]);
        double q = (f1[i] - f[i]) / sc;
        n2 += q * q;
    }
    n2 = sqrt(n2 / (double)used) / h0;
    double dm = n1 > n2 ? n1 : n2;
    double h1 = dm <= 1e-15 ? (h0 * 1e-3 > 1e-6 ? h0 * 1e-3 : 1e-6) : pow(0.01 / dm, 1.0 / 8.0);
    double h = 100.0 * h0 < h1 ? 100.0 * h0 : h1;
    return h < span ? h : span;
}

/* y + h * sum_{j < s} a[s][j] k[j] into out. Always inlined into loops the compiler unrolls,
 * so that st is a constant and the zeros of the coefficient table fold away */
static inline __attribute__((always_inline)) void
stage_point(const rg_dop853 *s, size_t ny, size_t st, double h, const double y[], double out[])
{
    for (size_t i = 0; i < ny; i++) {
        double acc = 0.0;
#pragma GCC unroll 16
        for (size_t j = 0; j < st; j++)
            if (dop_a[st][j] != 0.0)
                acc += dop_a[st][j] * s->k[j][i];
        out[i] = y[i] + h * acc;
    }
}

/* A switch of max(0, pi) is located only when h times its integrand's largest stage value
 * exceeds this many times L's step tolerance (a crude bound: the error of leaving the kink in
 * the step is a small fraction of it). 1e4 keeps the reference test's hazard error well
 * inside its tolerance; a smaller value locates more switches and costs steps
 * (docs/performance.md, "Tuned constants", gives the measurements). */
#define RG_LOCATE_SMALL 1e4

/* stages in order of their abscissae (stage 11 is skipped: stage 12 is the new point) */
static const unsigned char stage_order[12] = {0, 1, 2, 3, 6, 4, 7, 5, 9, 8, 10, 12};

static void save_switches(rg_dop853 *s, const rg_model *m, size_t st)
{
    for (size_t q = 0; q < m->n_haz; q++) {
        int j = m->haz[q];
        double net = m->netg[j], g = m->g[j];
        s->sw[st][q] = net;
        s->swg[st][q] = g;
        s->swi[st][q] = m->inflow[j];
    }
}

/* The first sign change of a hazard clone's net growth among the stages of the step, as a
 * fraction of the step (linear interpolation between the bracketing stages), or -1.
 * Switches whose integrand flux * max(0, pi) stays below `small` over the step are ignored:
 * leaving them inside a step errs by less than L's own step tolerance (near-zero net growth
 * of a clone at equilibrium would otherwise cut steps at every sign flicker). */
static double locate_switch(const rg_dop853 *s, const rg_model *m, double small)
{
    double first = -1.0;
    for (size_t q = 0; q < m->n_haz; q++) {
        bool pos0 = s->sw[0][q] > 0.0;
        size_t o = 1;
        while (o < 12 && (s->sw[stage_order[o]][q] > 0.0) == pos0)
            o++;
        if (o == 12)
            continue;
        /* a sign change (rare): is the integrand inflow * max(0, pi) big enough to matter? */
        double big = 0.0;
        for (size_t st = 0; st < 13; st++) {
            double net = s->sw[st][q], g = s->swg[st][q];
            double v = (net > 0.0 && g > 0.0) ? s->swi[st][q] * (net / g) : 0.0;
            if (v > big)
                big = v;
        }
        if (!(big > small))
            continue;
        size_t j = stage_order[o], pj = stage_order[o - 1];
        double a = s->sw[pj][q], b = s->sw[j][q];
        double x = dop_c[pj] + (dop_c[j] - dop_c[pj]) * (a / (a - b));
        if (!(x >= dop_c[pj]) || !(x <= dop_c[j]))
            x = 0.5 * (dop_c[pj] + dop_c[j]);
        if (first < 0.0 || x < first)
            first = x;
    }
    return first;
}

/* The state at time x inside the last accepted step (7th-order interpolant; s->F is set) */
static void dense_at(const rg_dop853 *s, size_t ny, double x, double out[])
{
    const double(*F)[RG_MAX_STATE] = s->F;
    double th = (x - s->t_prev) / s->h_prev, t1 = 1.0 - th;
    for (size_t i = 0; i < ny; i++)
        out[i] =
            s->y_prev[i] +
            th *
                (F[0][i] +
                 t1 * (F[1][i] +
                       th * (F[2][i] +
                             t1 * (F[3][i] + th * (F[4][i] + t1 * (F[5][i] + th * F[6][i]))))));
}

/* The continuous extension of the step just accepted, from y_prev over h_prev to yn: three
 * more stages and the coefficients F (Hairer's DOP853 CONTD8). */
static void dense_setup(rg_dop853 *s, rg_model *m, size_t ny, const double yn[])
{
    double(*k)[RG_MAX_STATE] = s->k;
    const double h = s->h_prev, t = s->t_prev, *y = s->y_prev;
    s->n_dense++;
#pragma GCC unroll 3
    for (size_t st = 13; st < 16; st++) {
        stage_point(s, ny, st, h, y, s->ys);
        rg_model_rhs(m, t + dop_c[st] * h, s->ys, k[st]);
    }
    double(*F)[RG_MAX_STATE] = s->F;
    for (size_t i = 0; i < ny; i++) {
        double dy = yn[i] - y[i];
        F[0][i] = dy;
        F[1][i] = h * k[0][i] - dy;
        F[2][i] = 2.0 * dy - h * (k[12][i] + k[0][i]);
        for (size_t r = 0; r < 4; r++) {
            double acc = 0.0;
            for (size_t j = 0; j < 16; j++)
                acc += dop_d[r][j] * k[j][i];
            F[3 + r][i] = h * acc;
        }
    }
}

/* Hands out what the last accepted step [t_prev, t_prev + h_prev] covers: the visits tv[*iv..]
 * up to its end, and the state at t1 when the step reaches it (returns true then). */
static bool serve(rg_dop853 *s, const rg_model *m, size_t ny, double t1, double y[], size_t nv,
                  const double tv[], double yv[], size_t *iv)
{
    const double te = s->t_cur;
    while (*iv < nv && tv[*iv] <= te) {
        if (tv[*iv] == te)
            memcpy(&yv[*iv * m->ny], s->y_cur, ny * sizeof *y);
        else
            dense_at(s, ny, tv[*iv], &yv[*iv * m->ny]);
        (*iv)++;
    }
    if (te < t1)
        return false;
    if (te == t1)
        memcpy(y, s->y_cur, ny * sizeof *y);
    else
        dense_at(s, ny, t1, y);
    return true;
}

/* The step loop is one function of more than 120 lines on purpose: the trial step, the
 * switch location, the error test, the kink and non-finite retries and the acceptance share
 * a dozen locals (h and the sizes it came from, the retry counters, the stage signature) that
 * change together at every retry; cut into functions they would travel in a struct through
 * every call of the kernel's hottest loop, and the control flow (continue on every retry)
 * would be spread over several places. */
int rg_dop853_interval(void *ctx, rg_model *m, double t0, double t1, double y[], size_t nv,
                       const double tv[], double yv[], size_t *steps, size_t budget)
{
    rg_dop853 *s = ctx;
    const size_t ny = rg_model_nint(m); /* the Friberg states may be stepped apart */
    double(*k)[RG_MAX_STATE] = s->k;
    double *ys = s->ys, *yn = s->ynew, *yc = s->y_cur;
    const double span = t1 - t0;
    const double safe = 0.9, facc1 = 1.0 / 0.333, facc2 = 1.0 / 6.0;
    /* steps may run past t1 up to t_max (the horizon): where the caller finds the dosing
     * unchanged at t1 (m->smooth_continue), the next call goes on from the step's end */
    const double tmax = s->t_max > t1 ? s->t_max : t1;
    const bool locate = m->n_haz > 0;
    size_t iv = 0;
    double t;
    uint64_t sig0;

    if (m->smooth_continue && s->pending && s->t_prev <= t0 && t0 <= s->t_cur) {
        /* the right-hand side is the same analytic function on both sides of t0: go on with
         * the step in hand, whose state and derivative at its end are y_cur and k[0] */
        s->n_continued++;
        if (serve(s, m, ny, t1, y, nv, tv, yv, &iv))
            return RG_OK;
        t = s->t_cur;
        sig0 = s->sig_cur;
    } else {
        rg_model_rhs(m, t0, y, k[0]);
        for (size_t i = 0; i < ny; i++)
            if (!isfinite(k[0][i]))
                return RG_ENUMERIC;
        if (locate)
            save_switches(s, m, 0);
        sig0 = m->sig;
        memcpy(yc, y, ny * sizeof *y);
        t = t0;
    }
    s->pending = false;

    size_t nloc = 0;        /* consecutive located retries */
    bool to_switch = false; /* this step was shortened to end at a located switch */
    double h_before_loc = 0.0;
    /* a step straddling a kink of the right-hand side is accepted once it is this short: its
     * local error is ~h^3 times the jump of the derivative, ~1e-10 relative here */
    const double hkink = 1e-4 * span;
    double h_before_kink = 0.0; /* the step size before a kink was found, restored after it */
    size_t nkink = 0, nonfinite = 0;
    double h = s->h;
    if (!(h > 0.0))
        h = initial_step(s, m, t, span, yc, k[0]);
    /* after a bolus the dynamics are fastest: the carried step (from before) is too long, the
     * first step after the previous bolus is a better guess */
    bool first = t == t0;
    if (first && m->bolus_restart && s->h_bolus > 0.0 && h > s->h_bolus)
        h = s->h_bolus;
    if (first && m->singular_start && h > 1e-7 * span)
        h = 1e-7 * span;
    int reject = 0;
    for (;;) {
        if (*steps >= budget)
            return RG_EBUDGET;
        bool last = false;
        double h_nat = h;
        if (to_switch && t + h >= tmax)
            to_switch = false;
        if (!to_switch) {
            if (t + 1.01 * h >= tmax) {
                h = tmax - t;
                last = true;
            } else if (t + 3.0 * h >= tmax) {
                /* the rest of the horizon in equal steps: no sliver of a last step */
                double rest = tmax - t;
                h = rest / ceil(rest / h);
            }
        }
        if (!(h > 0.0) || t + h == t)
            return RG_ENUMERIC;
        /* a visit (or t1) in the last fifth of the step: end the step on it. Steps of about a
         * day or two then lock onto the visit grid, and a visit at a step's end costs nothing,
         * where one inside costs the interpolant's three extra stages. */
        double snap = 0.0;
        if (!last && !to_switch) {
            for (size_t j = iv; j < nv && tv[j] <= t + h; j++)
                snap = tv[j];
            if (t1 > t && t1 <= t + h)
                snap = t1;
            if (snap > 0.0 && snap - t >= RG_SNAP * h)
                h = snap - t;
            else
                snap = 0.0;
        }
        (*steps)++;
        double th = last ? tmax : snap > 0.0 ? snap : t + h;
        bool kink = false;
#pragma GCC unroll 12
        for (size_t st = 1; st < 12; st++) {
            stage_point(s, ny, st, h, yc, ys);
            rg_model_rhs(m, st == 11 ? th : t + dop_c[st] * h, ys, k[st]);
            kink = kink || m->sig != sig0;
            if (locate)
                save_switches(s, m, st);
        }
        stage_point(s, ny, 12, h, yc, yn);
        rg_model_rhs(m, th, yn, k[12]);
        kink = kink || m->sig != sig0;
        uint64_t sig_new = m->sig;
        if (locate) {
            save_switches(s, m, 12);
            /* a switch of max(0, pi) inside the step: end the step there (the secant
             * estimate is refined by the retried step's own stages); a switch within a
             * sliver of the start is left to the step */
            double x = locate_switch(
                s, m,
                RG_LOCATE_SMALL * (s->atol[m->iL] + s->rtolc[m->iL] * fabs(yc[m->iL])) / h);
            if (x > 0.0 && x < 1.0 && nloc < 8) {
                /* end a sliver short of the estimated switch, so that no stage of the retried
                 * step lies past it (a stage a hair past it feeds L, which may still be 0, an
                 * increment the error test sees as a 100% error), and the next step has the
                 * switch within a sliver of its start */
                double sliver = 1e-6 * span, tc = t + x * h - sliver;
                if (tc - t > sliver && tc - t > RG_LOCATE_START * h) {
                    if (!(h_before_loc > 0.0))
                        h_before_loc = last ? h_nat : h;
                    nloc++;
                    s->n_located++;
                    h = tc - t;
                    to_switch = true;
                    reject = 0;
                    continue;
                }
            }
        }

        double e5 = 0.0, e3 = 0.0;
        for (size_t i = 0; i < ny; i++) {
            double a5 = 0.0, a3 = 0.0;
            for (size_t j = 0; j < 12; j++) {
                a5 += dop_e5[j] * k[j][i];
                a3 += dop_e3[j] * k[j][i];
            }
            double a = fabs(yc[i]), b = fabs(yn[i]);
            double isc = 1.0 / (s->atol[i] + s->rtolc[i] * (a > b ? a : b));
            double q5 = fabs(a5) * isc, q3 = fabs(a3) * isc;
            if (!(q5 <= e5))
                e5 = q5;
            if (!(q3 <= e3))
                e3 = q3;
        }
        double err = 0.0;
        if (e5 > 0.0 || e3 > 0.0)
            err = h * e5 * e5 / sqrt(e5 * e5 + 0.01 * e3 * e3);
        if (kink && h > hkink && nkink < 64 && isfinite(err)) {
            nkink++;
            s->n_kink++;
            if (!(h_before_kink > 0.0))
                h_before_kink = last ? h_nat : h;
            h *= 0.125;
            if (h < hkink)
                h = hkink;
            reject = 1;
            continue;
        }
        if (!isfinite(err)) {
            if (++nonfinite > 40)
                return RG_ENUMERIC;
            h *= 0.1;
            reject = 1;
            continue;
        }
        double fac11 = sqrt(sqrt(sqrt(err))); /* err^(1/8), cheaper than pow */
        double fac = fac11 / safe;
        if (fac > facc1)
            fac = facc1;
        if (fac < facc2)
            fac = facc2;
        double hnew = h / fac;
        if (!(err <= 1.0)) {
            double f2 = fac11 / safe;
            h = h / (f2 < facc1 ? f2 : facc1);
            reject = 1;
            s->n_reject++;
            continue;
        }
        /* accepted: [t, th] becomes the step in hand */
        s->n_accept++;
        if (rg_model_canceled(m))
            return RG_ECANCELED;
        for (size_t i = 0; i < ny; i++)
            if (!isfinite(yn[i]))
                return RG_ENUMERIC;
        s->t_prev = t;
        s->h_prev = h;
        memcpy(s->y_prev, yc, ny * sizeof *yc);
        /* the interpolant when a visit or t1 lies inside: it needs k[0] of this step */
        if ((iv < nv && tv[iv] < th) || th > t1)
            dense_setup(s, m, ny, yn);
        if (first && m->bolus_restart) {
            /* the step this one's error says would have been right (err ~ h^8), unclipped by
             * the growth limit: a cautious first step (1e-12 error) would otherwise cost the
             * next bolus two more steps to grow back */
            double grow = safe / (fac11 > 1e-3 ? fac11 : 1e-3);
            s->h_bolus = grow > 1.0 ? h * (grow < 50.0 ? grow : 50.0) : h;
        }
        first = false;
        memcpy(yc, yn, ny * sizeof *yc);
        memcpy(k[0], k[12], ny * sizeof **k);
        if (locate) {
            memcpy(s->sw[0], s->sw[12], m->n_haz * sizeof s->sw[0][0]);
            memcpy(s->swg[0], s->swg[12], m->n_haz * sizeof s->swg[0][0]);
            memcpy(s->swi[0], s->swi[12], m->n_haz * sizeof s->swi[0][0]);
        }
        sig0 = sig_new;
        t = th;
        s->t_cur = th;
        s->sig_cur = sig_new;
        if (reject && hnew > h)
            hnew = h;
        if (kink && h_before_kink > 0.0) {
            /* past the kink: the smooth dynamics allow the step size of before */
            if (hnew < h_before_kink)
                hnew = h_before_kink;
            h_before_kink = 0.0;
        }
        reject = 0;
        if (to_switch) {
            /* past the switch: the step size of before */
            if (hnew < h_before_loc)
                hnew = h_before_loc;
            h_before_loc = 0.0;
            to_switch = false;
        }
        nloc = 0;
        /* a step shortened onto a visit has a small error that promises too long a next step
         * (the blended error estimate is not ~h^9): go on with the step size it came from */
        if (snap > 0.0 && hnew > RG_SNAP_GROW * h_nat)
            hnew = RG_SNAP_GROW * h_nat;
        s->h = (last && hnew >= h && h_nat > hnew) ? h_nat : hnew;
        h = hnew;
        if (serve(s, m, ny, t1, y, nv, tv, yv, &iv)) {
            s->pending = true;
            return RG_OK;
        }
    }
}
