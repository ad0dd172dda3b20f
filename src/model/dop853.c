/* Dormand-Prince 8(5,3) with 7th-order dense output: the kernel's default integrator.
 *
 * E. Hairer, S. P. Norsett and G. Wanner, Solving Ordinary Differential Equations I, 2nd ed.
 * (Springer 1993), section II.10 and the code DOP853: 12 stages per step (the 13th, f at the
 * new point, is the first stage of the next step), an error estimate that blends the 5th- and
 * 3rd-order embedded solutions, and a continuous extension of order 7 that costs 3 more stages
 * on steps that contain a visit. Coefficients in dop853_coef.h.
 *
 * The kernel's additions are the same as for the 5(4) pair in stepper.c: a maximum norm over
 * components (every clone is controlled on its own), kinks of the right-hand side detected
 * through rg_model.sig and straddled only by short steps, switches of the hazard's max(0, pi)
 * located and ended on (rg_model.netg), the neutrophil states at visits from an 8th-order
 * substep of their own subsystem, and a graded start after a drug with a non-integer Hill
 * exponent switches on from zero. */
#include <math.h>
#include <string.h>

#include "regimen/status.h"
#include "regimen/stepper.h"

#include "dop853_coef.h"

/* Step cap with the Friberg neutrophil chain: its modes decay at about k_tr, and DOP853's
 * stability interval on the negative real axis ends near -6. Steps beyond that let a
 * neutrophil perturbation grow until the error control catches it, and the dense output
 * read at visits inside such a step was off by up to 1.3e-5 relative (the seven-cycle
 * course A_x7 of problems/default.cfg: ANC 5.050065 against 5.050000 from rk8pd at 1e-12
 * at day 279, five months after the last dose; test_sim_reference allows 1e-5).
 * h <= 4 / k_tr (= MTT) keeps h k_tr inside the interval; on the default problem it costs
 * nothing measurable (optimize, 30 generations: 5.32 s of CPU with it, 5.34 s without). */
#ifndef RG_HMAX_KTR
#define RG_HMAX_KTR 4.0
#endif

void rg_dop853_setup(rg_dop853 *s, const rg_model *m, double rtol, double b0)
{
    rg_dopri tmp;
    rg_dopri_setup(&tmp, m, 1.0, b0); /* the absolute floors per unit tolerance */
    memset(s, 0, sizeof *s);
    s->rtol = rtol;
    double aux = rtol > RG_KERNEL_RTOL_AUX ? rtol : RG_KERNEL_RTOL_AUX;
    double auxn = rtol > RG_KERNEL_RTOL_NEUT ? rtol : RG_KERNEL_RTOL_NEUT;
    for (size_t i = 0; i < m->ny; i++) {
        s->rtolc[i] = i < m->n ? rtol : i == m->iL ? aux : auxn;
        s->atol[i] = s->rtolc[i] * tmp.atol[i];
    }
}

/* Hairer's HINIT for order 8 (RMS norms as there); one extra right-hand side call per run. */
static double initial_step(rg_dop853 *s, rg_model *m, double t, double span, const double y[],
                           const double f[])
{
    /* components that start at 0 (a clone fed by switching, L) grow linearly at first, which
     * the pair integrates exactly: they would only make the estimate absurdly small */
    const size_t ny = m->ny;
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

/* y + h * sum_{j < s} a[s][j] k[j] into out */
static void stage_point(const rg_dop853 *s, size_t ny, size_t st, double h, const double y[],
                        double out[])
{
    memcpy(out, y, ny * sizeof *out);
    for (size_t j = 0; j < st; j++) {
        double a = dop_a[st][j];
        if (a == 0.0)
            continue;
        double ha = h * a;
        const double *kj = s->k[j];
        for (size_t i = 0; i < ny; i++)
            out[i] += ha * kj[i];
    }
}

/* A switch of max(0, pi) is located only when h times its integrand's largest stage value
 * exceeds this many times L's step tolerance (a crude bound: the error of leaving the kink in
 * the step is a small fraction of it). 1e4: reference test's worst hazard error 1.3% of its
 * 1e-4 (0.15% at 100, which cost 3-6% more steps on bench/kernel's synthetic models). */
#define RG_LOCATE_SMALL 1e4

/* stages in order of their abscissae (stage 11 is skipped: stage 12 is the new point) */
static const unsigned char stage_order[12] = {0, 1, 2, 3, 6, 4, 7, 5, 9, 8, 10, 12};

static void save_switches(rg_dop853 *s, const rg_model *m, size_t st)
{
    for (size_t q = 0; q < m->n_haz; q++) {
        int j = m->haz[q];
        double net = m->netg[j], g = m->g[j];
        s->sw[st][q] = net;
        s->swv[st][q] = (net > 0.0 && g > 0.0) ? m->inflow[j] * (net / g) : 0.0;
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
        double big = 0.0;
        for (size_t st = 0; st < 13; st++)
            if (s->swv[st][q] > big)
                big = s->swv[st][q];
        if (!(big > small))
            continue;
        for (size_t o = 1; o < 12; o++) {
            size_t j = stage_order[o], pj = stage_order[o - 1];
            if ((s->sw[j][q] > 0.0) == pos0)
                continue;
            double a = s->sw[pj][q], b = s->sw[j][q];
            double x = dop_c[pj] + (dop_c[j] - dop_c[pj]) * (a / (a - b));
            if (!(x >= dop_c[pj]) || !(x <= dop_c[j]))
                x = 0.5 * (dop_c[pj] + dop_c[j]);
            if (first < 0.0 || x < first)
                first = x;
            break;
        }
    }
    return first;
}

/* The Friberg states at time t + hv (0 < hv <= h, inside an accepted step from t): one
 * DOP853 step of the neutrophil subsystem alone (it depends on the concentrations only),
 * 8th order like the step itself, where the 7th-order interpolant of the whole step is
 * markedly less accurate for this fast chain (rate 4 / MTT, about 1 per day): 12 calls of
 * the five-state right-hand side per visit instead of an interpolation. */
static void neut_substep(const rg_model *m, double t, double hv, const double n0[],
                         double out[])
{
    enum { NS = RG_NEUT_STATES };
    double kk[12][NS], ys[NS];
    rg_model_neut_rhs(m, t, n0, kk[0]);
    for (size_t st = 1; st <= 12; st++) {
        for (size_t i = 0; i < NS; i++) {
            double acc = 0.0;
            for (size_t j = 0; j < st; j++)
                acc += dop_a[st][j] * kk[j][i];
            ys[i] = n0[i] + hv * acc;
        }
        if (st == 12)
            break;
        rg_model_neut_rhs(m, st == 11 ? t + hv : t + dop_c[st] * hv, ys, kk[st]);
    }
    memcpy(out, ys, sizeof ys);
}

int rg_dop853_interval(void *ctx, rg_model *m, double t0, double t1, double y[], size_t nv,
                       const double tv[], double yv[], size_t *steps, size_t budget)
{
    rg_dop853 *s = ctx;
    const size_t ny = m->ny;
    double(*k)[RG_MAX_STATE] = s->k;
    double *ys = s->ys, *yn = s->ynew;
    const double span = t1 - t0;
    const double safe = 0.9, facc1 = 1.0 / 0.333, facc2 = 1.0 / 6.0;

    rg_model_rhs(m, t0, y, k[0]);
    for (size_t i = 0; i < ny; i++)
        if (!isfinite(k[0][i]))
            return RG_ENUMERIC;
    save_switches(s, m, 0);
    const bool locate = m->n_haz > 0;
    size_t nloc = 0;        /* consecutive located retries */
    bool to_switch = false; /* this step was shortened to end at a located switch */
    double h_before_loc = 0.0;
    uint64_t sig0 = m->sig;
    /* a step straddling a kink of the right-hand side is accepted once it is this short: its
     * local error is ~h^3 times the jump of the derivative, ~1e-10 relative here */
    const double hkink = 1e-4 * span;
    double h_before_kink = 0.0; /* the step size before a kink was found, restored after it */
    size_t nkink = 0, nonfinite = 0;
    double h = s->h;
    if (!(h > 0.0))
        h = initial_step(s, m, t0, span, y, k[0]);
    /* after a bolus the dynamics are fastest: the carried step (from the end of the last
     * interval) is too long, the first step after the previous bolus is a better guess */
    bool first = true;
    if (m->bolus_restart && s->h_bolus > 0.0 && h > s->h_bolus)
        h = s->h_bolus;
    if (m->singular_start && h > 1e-7 * span)
        h = 1e-7 * span;
    double t = t0;
    size_t iv = 0;
    int reject = 0;
    while (t < t1) {
        if (*steps >= budget)
            return RG_EBUDGET;
        bool last = false;
        if (m->ktr > 0.0 && h > RG_HMAX_KTR / m->ktr)
            h = RG_HMAX_KTR / m->ktr;
        double h_nat = h;
        if (to_switch && t + h >= t1)
            to_switch = false;
        if (!to_switch && t + 1.01 * h >= t1) {
            h = t1 - t;
            last = true;
        }
        if (!(h > 0.0) || t + h == t)
            return RG_ENUMERIC;
        (*steps)++;
        double th = last ? t1 : t + h;
        bool kink = false;
        for (size_t st = 1; st < 12; st++) {
            stage_point(s, ny, st, h, y, ys);
            rg_model_rhs(m, st == 11 ? th : t + dop_c[st] * h, ys, k[st]);
            kink = kink || m->sig != sig0;
            if (locate)
                save_switches(s, m, st);
        }
        stage_point(s, ny, 12, h, y, yn);
        rg_model_rhs(m, th, yn, k[12]);
        kink = kink || m->sig != sig0;
        uint64_t sig_new = m->sig;
        if (locate) {
            save_switches(s, m, 12);
            /* a switch of max(0, pi) inside the step: end the step there (the secant
             * estimate is refined by the retried step's own stages); a switch within a
             * sliver of either end is left to the step */
            double x = locate_switch(s, m,
                                     RG_LOCATE_SMALL * (s->atol[m->iL] + s->rtolc[m->iL] * fabs(y[m->iL])) / h);
            if (x > 0.0 && x < 1.0 && nloc < 8) {
                double tc = t + x * h, sliver = 1e-6 * span;
                if (tc - t > sliver && th - tc > sliver) {
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
            double a = fabs(y[i]), b = fabs(yn[i]);
            double sc = s->atol[i] + s->rtolc[i] * (a > b ? a : b);
            double q5 = fabs(a5) / sc, q3 = fabs(a3) / sc;
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
        double fac11 = pow(err, 0.125);
        double fac = fac11 / safe;
        if (fac > facc1)
            fac = facc1;
        if (fac < facc2)
            fac = facc2;
        double hnew = h / fac;
        if (err <= 1.0) {
            s->n_accept++;
            if (iv < nv && tv[iv] <= th) {
                s->n_dense++;
                /* the three extra stages and the 7th-order interpolant */
                for (size_t st = 13; st < 16; st++) {
                    stage_point(s, ny, st, h, y, ys);
                    rg_model_rhs(m, t + dop_c[st] * h, ys, k[st]);
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
                while (iv < nv && tv[iv] <= th) {
                    double x = (tv[iv] - t) / h, x1 = 1.0 - x;
                    double *out = &yv[iv * ny];
                    for (size_t i = 0; i < ny; i++)
                        out[i] = y[i] +
                                 x * (F[0][i] +
                                      x1 * (F[1][i] +
                                            x * (F[2][i] +
                                                 x1 * (F[3][i] +
                                                       x * (F[4][i] +
                                                            x1 * (F[5][i] + x * F[6][i]))))));
                    if (m->neut)
                        neut_substep(m, t, tv[iv] - t, &y[m->ineut], &out[m->ineut]);
                    iv++;
                }
            }
            if (first && m->bolus_restart)
                s->h_bolus = h;
            first = false;
            memcpy(y, yn, ny * sizeof *y);
            memcpy(k[0], k[12], ny * sizeof **k);
            if (locate)
            {
                memcpy(s->sw[0], s->sw[12], m->n_haz * sizeof s->sw[0][0]);
                memcpy(s->swv[0], s->swv[12], m->n_haz * sizeof s->swv[0][0]);
            }
            sig0 = sig_new;
            t = th;
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
            s->h = (last && hnew >= h && h_nat > hnew) ? h_nat : hnew;
            h = hnew;
        } else {
            double f2 = fac11 / safe;
            h = h / (f2 < facc1 ? f2 : facc1);
            reject = 1;
            s->n_reject++;
        }
    }
    for (size_t i = 0; i < ny; i++)
        if (!isfinite(y[i]))
            return RG_ENUMERIC;
    return RG_OK;
}
