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
 * straddled only by short steps, a graded start after a drug with a non-integer Hill exponent
 * switches on from zero, and the emergence records: the rates of the hazard clones at the
 * stages of every accepted step go to rg_emergence_record (emergence.h, docs/model.md section
 * 6). The Friberg states are not integrated here: the simulation loop steps them apart
 * (friberg.h), and this integrator advances the clones (rg_model_nint() components).
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
    double auxn = rtol > RG_KERNEL_RTOL_NEUT ? rtol : RG_KERNEL_RTOL_NEUT;
    for (size_t i = 0; i < m->ny; i++) {
        s->rtolc[i] = i < m->n ? rtol : auxn;
        s->atol[i] = s->rtolc[i] * floor[i];
    }
}

/* Hairer's HINIT for order 8 (RMS norms as there); one extra right-hand side call per run. */
static double initial_step(rg_dop853 *s, rg_model *m, double t, double span, const double y[],
                           const double f[])
{
    /* components that start at 0 (a clone fed by switching) grow linearly at first, which
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

/* The rates of the hazard clones at stage st, as rg_model_rhs left them (emergence.h) */
static void save_rates(rg_dop853 *s, const rg_model *m, size_t st)
{
    for (size_t q = 0; q < m->n_haz; q++) {
        int j = m->haz[q];
        double g = m->g[j];
        s->em_a[st][q] = m->netg[j];
        s->em_b[st][q] = g > 0.0 ? g : 0.0;
        s->em_f[st][q] = m->hflux[j];
    }
}

/* exp(x) kept finite: a factor beyond e^700 would mean a clone changing by that much in one
 * accepted step */
static inline double em_exp(double x)
{
    return exp(x < 700.0 ? x : 700.0);
}

/* The stage values of one hazard clone q over a step of size h (emergence.h): A_i, e^{-A_i},
 * the integrand of G at the stages, G_i, and A1, G1 at the step's end. G = integral of
 * b e^{-A} is formed as 1 - e^{-A} + integral of d e^{-A} where the clone grows over the step
 * (A1 > 0; b - d = A'): the exact part takes the fast decay of e^{-A} under fast growth, and
 * the quadrature is left with the small death term; under net decline e^{-A} grows and the
 * plain form has no cancellation. */
typedef struct {
    double A[12], E[12], q[12], G[12];
    double A1, G1;
} em_stage;

static void em_stages(const rg_dop853 *s, size_t q, double h, em_stage *o)
{
    double A1 = 0.0;
    for (size_t j = 0; j < 12; j++)
        A1 += dop_a[12][j] * s->em_a[j][q];
    o->A1 = h * A1;
    const bool dform = o->A1 > 0.0;
    for (size_t st = 0; st < 12; st++) {
        double sa = 0.0, sg = 0.0;
        for (size_t j = 0; j < st; j++) {
            if (dop_a[st][j] != 0.0) {
                sa += dop_a[st][j] * s->em_a[j][q];
                sg += dop_a[st][j] * o->q[j];
            }
        }
        o->A[st] = h * sa;
        o->E[st] = em_exp(-o->A[st]);
        double rate = dform ? s->em_b[st][q] - s->em_a[st][q] : s->em_b[st][q];
        o->q[st] = rate * o->E[st];
        o->G[st] = h * sg + (dform ? -expm1(-o->A[st]) : 0.0);
    }
    double G1 = 0.0;
    for (size_t j = 0; j < 12; j++)
        G1 += dop_a[12][j] * o->q[j];
    o->G1 = h * G1 + (dform ? -expm1(-o->A1) : 0.0);
}

/* The stages of a DOP853 step whose weight in the 8th-order solution is not zero */
static const unsigned char em_nodes[RG_EM_NODES] = {0, 5, 6, 7, 8, 9, 10, 11};

/* The emergence record of a step of size h from its stage rates (emergence.h): A, G and the
 * weights of l as DOP853 forms them for the augmented system A' = b - d, G' = b e^{-A},
 * l' = flux e^{-A} / (K - G). */
static void em_record(const rg_dop853 *s, const rg_model *m, double h, rg_em_clone *rec)
{
    for (size_t q = 0; q < m->n_haz; q++) {
        em_stage o;
        em_stages(s, q, h, &o);
        rg_em_clone *c = &rec[q];
        c->alpha = em_exp(-o.A1);
        c->G1 = o.G1;
        for (size_t i = 0; i < RG_EM_NODES; i++) {
            size_t st = em_nodes[i];
            c->w[i] = h * dop_a[12][st] * s->em_f[st][q] * o.E[st];
            c->G[i] = o.G[st];
        }
    }
}

/* The relative tolerance of the emergence records' integrals over a step, and the largest
 * |A| over a step (the log of the clone's change) where it is applied */
#define RG_EM_RTOL 1e-8
#define RG_EM_RANGE 50.0

/* Folds the error estimates of the emergence records' quadratures (G's, and F = integral of
 * flux e^{-A}) into the step's (e5, e3), as if they were components of the state: the stage
 * rates are smooth where the clones are, but e^{-A} is not when b - d is large, and the step
 * must resolve it for the record to hold its 8th order (emergence.h). */
static void em_error(const rg_dop853 *s, const rg_model *m, double h, double *e5, double *e3)
{
    for (size_t q = 0; q < m->n_haz; q++) {
        em_stage o;
        em_stages(s, q, h, &o);
        /* a step over which the clone's net rate changes its size by more than e^50 is left to
         * the clones' control: there e^{-A} spans more than double precision resolves, and a
         * rate that large (a Gompertz clone at ~0 cells) would stall the run */
        if (!(fabs(o.A1) <= RG_EM_RANGE))
            continue;
        double F1 = 0.0, flux = 0.0, g5 = 0.0, g3 = 0.0, f5 = 0.0, f3 = 0.0;
        for (size_t j = 0; j < 12; j++) {
            double f = s->em_f[j][q] * o.E[j];
            F1 += dop_a[12][j] * f;
            flux += dop_a[12][j] * s->em_f[j][q];
            g5 += dop_e5[j] * o.q[j];
            g3 += dop_e3[j] * o.q[j];
            f5 += dop_e5[j] * f;
            f3 += dop_e3[j] * f;
        }
        /* as the clones' terms: the error estimate over h divided by the tolerance of the
         * integral. G enters the record as alpha + G phi (phi <= 1), so its error counts
         * against alpha + G. F's error counts against F and the de novo flux so far (all of
         * L is at most that flux): L is held to RG_EM_RTOL relative, or that fraction of the
         * lineages started, whichever is larger */
        double ig = 1.0 / (RG_EM_RTOL * (em_exp(-o.A1) + fabs(o.G1)));
        double iF = 1.0 / (1e-300 + RG_EM_RTOL * (h * fabs(F1) + s->em_fsum[q] + h * flux));
        double q5 = fmax(fabs(g5) * ig, fabs(f5) * iF), q3 = fmax(fabs(g3) * ig, fabs(f3) * iF);
        /* (a NaN already in e5 or e3 stays: it rejects the step) */
        if (isfinite(q5) && isfinite(q3)) {
            if (q5 > *e5)
                *e5 = q5;
            if (q3 > *e3)
                *e3 = q3;
        }
    }
}

/* Records the accepted step [t, th] of size h. A step that runs past the interval's end t1 is
 * held back: the caller may cut it at a decision time (rg_dop853_settle); it is recorded whole
 * when the next step starts from its end. */
static void em_accept(rg_dop853 *s, const rg_model *m, double t, double th, double h, double t1)
{
    if (s->em_held) {
        s->em_held = false;
        rg_em_clone *rec = rg_emergence_push(s->em, s->em_t0, s->em_t1);
        if (rec)
            memcpy(rec, s->em_hold, m->n_haz * sizeof *rec);
    }
    if (th > t1) {
        em_record(s, m, h, s->em_hold);
        s->em_held = true;
        s->em_t0 = t;
        s->em_t1 = th;
        return;
    }
    rg_em_clone *rec = rg_emergence_push(s->em, t, th);
    if (rec)
        em_record(s, m, h, rec);
}

void rg_dop853_settle(rg_dop853 *s, rg_model *m, double t0)
{
    if (!s->em_held)
        return;
    s->em_held = false;
    const double ts = s->em_t0, h = t0 - ts;
    if (!s->em || !(h > 0.0))
        return;
    /* the held step's part up to t0 as one step from its start, no error test (it is shorter
     * than the accepted step) */
    const size_t ny = rg_model_nint(m);
    double(*k)[RG_MAX_STATE] = s->k;
    rg_model_rhs(m, ts, s->y_prev, k[0]);
    save_rates(s, m, 0);
    for (size_t st = 1; st < 12; st++) {
        stage_point(s, ny, st, h, s->y_prev, s->ys);
        rg_model_rhs(m, st == 11 ? t0 : ts + dop_c[st] * h, s->ys, k[st]);
        save_rates(s, m, st);
    }
    rg_em_clone *rec = rg_emergence_push(s->em, ts, t0);
    if (rec)
        em_record(s, m, h, rec);
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
 * error test, the kink and non-finite retries and the acceptance share
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
    const bool record = s->em && m->n_haz > 0;
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
        if (record)
            save_rates(s, m, 0);
        sig0 = m->sig;
        memcpy(yc, y, ny * sizeof *y);
        t = t0;
    }
    s->pending = false;

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
        if (t + 1.01 * h >= tmax) {
            h = tmax - t;
            last = true;
        } else if (t + 3.0 * h >= tmax) {
            /* the rest of the horizon in equal steps: no sliver of a last step */
            double rest = tmax - t;
            h = rest / ceil(rest / h);
        }
        if (!(h > 0.0) || t + h == t)
            return RG_ENUMERIC;
        /* a visit (or t1) in the last fifth of the step: end the step on it. Steps of about a
         * day or two then lock onto the visit grid, and a visit at a step's end costs nothing,
         * where one inside costs the interpolant's three extra stages. */
        double snap = 0.0;
        if (!last) {
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
            if (record)
                save_rates(s, m, st);
        }
        stage_point(s, ny, 12, h, yc, yn);
        rg_model_rhs(m, th, yn, k[12]);
        kink = kink || m->sig != sig0;
        uint64_t sig_new = m->sig;
        if (record)
            save_rates(s, m, 12);

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
        if (record)
            em_error(s, m, h, &e5, &e3);
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
        if (record) {
            for (size_t q = 0; q < m->n_haz; q++)
                for (size_t j = 0; j < 12; j++)
                    s->em_fsum[q] += h * dop_a[12][j] * s->em_f[j][q];
            em_accept(s, m, t, th, h, t1);
            memcpy(s->em_a[0], s->em_a[12], m->n_haz * sizeof s->em_a[0][0]);
            memcpy(s->em_b[0], s->em_b[12], m->n_haz * sizeof s->em_b[0][0]);
            memcpy(s->em_f[0], s->em_f[12], m->n_haz * sizeof s->em_f[0][0]);
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
