/* Dormand-Prince 5(4) with FSAL, PI step-size control and 4th-order dense output.
 *
 * Coefficients: J. R. Dormand and P. J. Prince, "A family of embedded Runge-Kutta formulae",
 * J. Comput. Appl. Math. 6 (1980) 19-26; the error coefficients, the PI controller
 * (beta = 0.04) and the continuous extension are those of E. Hairer and G. Wanner's DOPRI5
 * (Hairer, Norsett & Wanner, Solving Ordinary Differential Equations I, 2nd ed., II.5-II.6).
 * The error norm is the maximum over components (not the RMS): every clone is controlled on
 * its own, so a small clone cannot hide behind a large one.
 *
 * bench/kernel's comparison integrator: it carries the Friberg states with the clones and
 * runs through rg_sim_run_with like GSL's steppers; the kernel itself uses DOP853. */
#include "dopri5.h"

#include <math.h>
#include <string.h>

#include "regimen/status.h"

static const double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
static const double a21 = 1.0 / 5;
static const double a31 = 3.0 / 40, a32 = 9.0 / 40;
static const double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
static const double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                    a54 = -212.0 / 729;
static const double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247,
                    a64 = 49.0 / 176, a65 = -5103.0 / 18656;
static const double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192,
                    a75 = -2187.0 / 6784, a76 = 11.0 / 84;
static const double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920,
                    e5 = -17253.0 / 339200, e6 = 22.0 / 525, e7 = -1.0 / 40;
static const double d1 = -12715105075.0 / 11282082432.0, d3 = 87487479700.0 / 32700410799.0,
                    d4 = -10690763975.0 / 1880347072.0, d5 = 701980252875.0 / 199316789632.0,
                    d6 = -1453857185.0 / 822651844.0, d7 = 69997945.0 / 29380423.0;

void dopri5_setup(dopri5 *s, const rg_model *m, double rtol, double b0)
{
    memset(s, 0, sizeof *s);
    s->rtol = rtol;
    rg_error_floors(m, b0, s->atol);
    for (size_t i = 0; i < m->ny; i++)
        s->atol[i] *= rtol;
    s->facold = 1e-4;
}

/* max_i |e_i| / (atol_i + rtol max(|y_i|, |ynew_i|)) */
static double err_norm(const dopri5 *s, size_t ny, const double y[], const double yn[],
                       const double e[])
{
    double mx = 0.0;
    for (size_t i = 0; i < ny; i++) {
        double a = fabs(y[i]), b = fabs(yn[i]);
        double sc = s->atol[i] + s->rtol * (a > b ? a : b);
        double q = fabs(e[i]) / sc;
        if (!(q <= mx))
            mx = q; /* also takes NaN */
    }
    return mx;
}

/* Initial step (Hairer's HINIT, RMS norms as there): from the sizes of y and f, then a second-derivative estimate
 * after one explicit Euler step; costs one right-hand side call, made once per run. */
static double initial_step(dopri5 *s, rg_model *m, double t, double span, const double y[],
                           const double f[])
{
    const size_t ny = m->ny;
    double n0 = 0.0, n1 = 0.0;
    for (size_t i = 0; i < ny; i++) {
        double sc = s->atol[i] + s->rtol * fabs(y[i]);
        double a = fabs(y[i]) / sc, b = fabs(f[i]) / sc;
        n0 += a * a;
        n1 += b * b;
    }
    n0 = sqrt(n0 / (double)ny);
    n1 = sqrt(n1 / (double)ny);
    double h0 = (n0 < 1e-5 || n1 < 1e-5) ? 1e-6 : 0.01 * n0 / n1;
    if (h0 > span)
        h0 = span;
    double *y1 = s->ys, *f1 = s->k[1];
    for (size_t i = 0; i < ny; i++)
        y1[i] = y[i] + h0 * f[i];
    rg_model_rhs(m, t + h0, y1, f1);
    double n2 = 0.0;
    for (size_t i = 0; i < ny; i++) {
        double sc = s->atol[i] + s->rtol * fabs(y[i]);
        double q = (f1[i] - f[i]) / sc;
        n2 += q * q;
    }
    n2 = sqrt(n2 / (double)ny) / h0;
    double dm = n1 > n2 ? n1 : n2;
    double h1 = dm <= 1e-15 ? (h0 * 1e-3 > 1e-6 ? h0 * 1e-3 : 1e-6) : pow(0.01 / dm, 0.2);
    double h = 100.0 * h0 < h1 ? 100.0 * h0 : h1;
    return h < span ? h : span;
}

/* The integrator's step loop, one function on purpose (like rg_dop853_interval): the trial
 * step, the error test, the retries and the acceptance share the step size, the controller's
 * memory and the retry state, which change together at every retry. */
int dopri5_interval(void *ctx, rg_model *m, double t0, double t1, double y[], size_t nv,
                    const double tv[], double yv[], size_t *steps, size_t budget)
{
    dopri5 *s = ctx;
    const size_t ny = m->ny;
    double(*k)[RG_MAX_STATE] = s->k;
    double *ys = s->ys, *yn = s->ynew;
    const double span = t1 - t0;
    const double beta = 0.04, expo1 = 0.2 - beta * 0.75, safe = 0.9;
    const double facc1 = 1.0 / 0.2, facc2 = 1.0 / 10.0;

    rg_model_rhs(m, t0, y, k[0]);
    for (size_t i = 0; i < ny; i++)
        if (!isfinite(k[0][i]))
            return RG_ENUMERIC;
    uint64_t sig0 = m->sig;
    size_t nonfinite = 0;
    const double hkink = 1e-5 * span;
    size_t nkink = 0;
    double h = s->h;
    if (!(h > 0.0))
        h = initial_step(s, m, t0, span, y, k[0]);
    /* kappa ~ (t - t0)^n with n non-integer: grade the first steps geometrically from a tiny
     * one, so that the error estimate stays meaningful next to the singularity */
    if (m->singular_start && h > 1e-7 * span)
        h = 1e-7 * span;
    double t = t0;
    size_t iv = 0;
    int reject = 0;
    while (t < t1) {
        if (*steps >= budget)
            return RG_EBUDGET;
        bool last = false;
        double h_nat = h;
        if (t + 1.01 * h >= t1) {
            h = t1 - t;
            last = true;
        }
        if (!(h > 0.0) || t + h == t)
            return RG_ENUMERIC;
        (*steps)++;
        for (size_t i = 0; i < ny; i++)
            ys[i] = y[i] + h * a21 * k[0][i];
        rg_model_rhs(m, t + c2 * h, ys, k[1]);
        bool kink = m->sig != sig0;
        for (size_t i = 0; i < ny; i++)
            ys[i] = y[i] + h * (a31 * k[0][i] + a32 * k[1][i]);
        rg_model_rhs(m, t + c3 * h, ys, k[2]);
        kink = kink || m->sig != sig0;
        for (size_t i = 0; i < ny; i++)
            ys[i] = y[i] + h * (a41 * k[0][i] + a42 * k[1][i] + a43 * k[2][i]);
        rg_model_rhs(m, t + c4 * h, ys, k[3]);
        kink = kink || m->sig != sig0;
        for (size_t i = 0; i < ny; i++)
            ys[i] = y[i] + h * (a51 * k[0][i] + a52 * k[1][i] + a53 * k[2][i] + a54 * k[3][i]);
        rg_model_rhs(m, t + c5 * h, ys, k[4]);
        kink = kink || m->sig != sig0;
        for (size_t i = 0; i < ny; i++)
            ys[i] = y[i] + h * (a61 * k[0][i] + a62 * k[1][i] + a63 * k[2][i] + a64 * k[3][i] +
                                a65 * k[4][i]);
        double th = last ? t1 : t + h;
        rg_model_rhs(m, th, ys, k[5]);
        kink = kink || m->sig != sig0;
        for (size_t i = 0; i < ny; i++)
            yn[i] = y[i] + h * (a71 * k[0][i] + a73 * k[2][i] + a74 * k[3][i] + a75 * k[4][i] +
                                a76 * k[5][i]);
        rg_model_rhs(m, th, yn, k[6]);
        kink = kink || m->sig != sig0;
        for (size_t i = 0; i < ny; i++)
            ys[i] = h * (e1 * k[0][i] + e3 * k[2][i] + e4 * k[3][i] + e5 * k[4][i] +
                         e6 * k[5][i] + e7 * k[6][i]);
        double err = err_norm(s, ny, y, yn, ys);
        /* A kink of the right-hand side inside the step (a switch of min/max branches)
         * lowers the order of the pair, and its error estimate is then unreliable: shrink
         * the step until the straddling step is short enough (error ~ h^3 times the jump of
         * the derivative), a bounded number of times per interval. */
        if (kink && h > hkink && nkink < 64 && isfinite(err)) {
            nkink++;
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
        double fac11 = pow(err, expo1);
        double fac = fac11 / pow(s->facold, beta);
        fac = fac / safe;
        if (fac > facc1)
            fac = facc1;
        if (fac < facc2)
            fac = facc2;
        double hnew = h / fac;
        if (err <= 1.0) {
            s->facold = err > 1e-4 ? err : 1e-4;
            /* visits inside (t, t + h]: Hairer's continuous extension */
            if (iv < nv && tv[iv] <= th) {
                double(*r)[RG_MAX_STATE] = s->r;
                for (size_t i = 0; i < ny; i++) {
                    double ydiff = yn[i] - y[i];
                    double bspl = h * k[0][i] - ydiff;
                    r[0][i] = y[i];
                    r[1][i] = ydiff;
                    r[2][i] = bspl;
                    r[3][i] = ydiff - h * k[6][i] - bspl;
                    r[4][i] = h * (d1 * k[0][i] + d3 * k[2][i] + d4 * k[3][i] + d5 * k[4][i] +
                                   d6 * k[5][i] + d7 * k[6][i]);
                }
                while (iv < nv && tv[iv] <= th) {
                    double theta = (tv[iv] - t) / h, theta1 = 1.0 - theta;
                    double *out = &yv[iv * ny];
                    for (size_t i = 0; i < ny; i++)
                        out[i] =
                            r[0][i] +
                            theta * (r[1][i] +
                                     theta1 * (r[2][i] + theta * (r[3][i] + theta1 * r[4][i])));
                    iv++;
                }
            }
            memcpy(y, yn, ny * sizeof *y);
            memcpy(k[0], k[6], ny * sizeof **k);
            sig0 = m->sig;
            t = th;
            if (reject) {
                double lim = h;
                if (hnew > lim)
                    hnew = lim;
            }
            reject = 0;
            /* a last step shortened to land on t1 says little about the natural step:
             * carry the larger of its proposal and the step it replaced */
            s->h = (last && hnew >= h && h_nat > hnew) ? h_nat : hnew;
            h = hnew;
        } else {
            double f2 = fac11 / safe;
            hnew = h / (f2 < facc1 ? f2 : facc1);
            reject = 1;
            h = hnew;
        }
    }
    for (size_t i = 0; i < ny; i++)
        if (!isfinite(y[i]))
            return RG_ENUMERIC;
    return RG_OK;
}
