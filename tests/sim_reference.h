/* An independent reference solution of docs/model.md sections 1-8, for the kernel's tests and
 * nothing else. It shares no code with src/model: the right-hand side is written plainly from
 * docs/model.md (every factor recomputed where the formula says, Hill terms in the form
 * z^n / (z^n + EC50^n)), pharmacokinetics is integrated as ODEs here (dc/dt = k (u - c) or
 * -k c with bolus jumps; half-life 0 is c = u), and the time loop, extinction, visits and
 * progression are coded again. It is integrated by GSL's rk8pd driver, relative and
 * absolute tolerance 1e-12, restarted at every decision time. After progression (t_end,
 * section 8) it goes on untreated from the next decision time, as the kernel does when it
 * records a trajectory.
 *
 * The emergence hazard L (section 6) is formed visit period by visit period, not as the
 * kernel does (records of its steps and a backward pass): a first pass integrates, with the
 * clones, per resistant clone j fed by a non-resistant one, A' = b - d and G' = b e^{-A} from 0
 * at every visit and at least daily up to t_end (a visit), so that u(t_v) = alpha_v u(t_{v+1}) + G_v with
 * alpha_v = e^{-A}; phi = 1 / u follows backwards from phi(t_end) = 1; a second pass
 * integrates every period again from its stored start with l' = flux e^{-A} phi_{v+1} /
 * (alpha_v + (G_v - G) phi_{v+1}), and L is the sum of l.
 *
 * It reads the schedule as a plain matrix levels[d * n_intervals + k] for every drug d. */
#ifndef RG_SIM_REFERENCE_H
#define RG_SIM_REFERENCE_H

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>

#include "regimen/problem.h"

typedef struct {
    size_t n_visits;
    double t[4096], B[4096], R[4096], anc[4096];
    double x[64][4096]; /* unused beyond n_clones; small models only */
    double L;           /* L up to t_end */
    bool progressed;
    size_t ttp_visit; /* visit index of progression (n_visits - 1 when censored) */
    double ttp;
    double min_margin; /* min over visits up to TTP of |B/threshold - 1| */
    double ext_margin; /* min over extinction checks of |x/extinction_cells - 1| */
    bool emerged;
    double tte;
    double nadir;
    int status; /* 0 ok; GSL error otherwise */
} ref_result;

enum { REF_MAX_INT = 4096, REF_MAX_Y = 128 };

typedef struct {
    const rg_problem *p;
    const double *levels; /* [d * n_int + k] */
    size_t n_int, k;
    size_t ic[RG_MAX_DRUGS]; /* state index of c_d; (size_t)-1 for half-life 0 */
    size_t in0, ny;
    bool off; /* after t_end: untreated */
    /* resistant clones fed by non-resistant ones, and the state indices of their A, G, l */
    size_t n_haz;
    int haz[RG_MAX_CLONES];
    size_t iA;                  /* A of hazard clone q at iA + 3q, G at + 1, l at + 2 */
    bool pass2;                 /* l integrated (second pass) */
    double phi1[RG_MAX_CLONES]; /* phi at the end of the current interval's span */
    double alpha[RG_MAX_CLONES], beta[RG_MAX_CLONES];
} ref_ctx;

static double ref_level(const ref_ctx *r, size_t d, size_t k)
{
    return r->off ? 0.0 : r->levels[d * r->n_int + k];
}

static void ref_conc(const ref_ctx *r, const double y[], double c[])
{
    for (size_t d = 0; d < r->p->n_drugs; d++)
        c[d] = r->ic[d] == (size_t)-1 ? ref_level(r, d, r->k) : y[r->ic[d]];
}

/* I of a list of inhibitors: "any" min(1, sum o), "all" prod o; o = c / (c + ic50). */
static double ref_occupancy(const rg_inhibitor *inh, size_t n, rg_combine mode,
                            const double c[])
{
    if (n == 0)
        return 0.0;
    if (mode == RG_COMBINE_ALL) {
        double prod = 1.0;
        for (size_t e = 0; e < n; e++)
            prod *= c[inh[e].drug] / (c[inh[e].drug] + inh[e].ic50);
        return prod;
    }
    double sum = 0.0;
    for (size_t e = 0; e < n; e++)
        sum += c[inh[e].drug] / (c[inh[e].drug] + inh[e].ic50);
    return fmin(1.0, sum);
}

/* growth g_i, kill_i of clone i (docs/model.md sections 3-5) */
static void ref_rates(const rg_problem *p, const double xs[], const double c[], size_t i,
                      double *g_out, double *kill_out)
{
    const rg_clone *cl = &p->clones[i];
    double B = 0.0;
    for (size_t j = 0; j < p->n_clones; j++)
        B += xs[j];
    double f = 0.0;
    if (p->hypoxia_max_fraction > 0.0)
        f = p->hypoxia_max_fraction * B / (B + p->hypoxia_half_burden);
    double C = 0.0;
    for (size_t j = 0; j < p->n_clones; j++)
        C += (j == i ? 1.0 : cl->competition[j]) * xs[j];
    double Ki = cl->carrying_capacity > 0.0 ? cl->carrying_capacity : p->carrying_capacity;
    double s = 1.0;
    for (size_t d = 0; d < p->n_drugs; d++)
        s -= cl->capacity_effect[d] * c[d];
    double Keff = Ki * fmax(0.01, s);
    double g;
    if (p->growth == RG_GROWTH_GOMPERTZ)
        g = C == 0.0 ? 0.0
                     : cl->growth_rate * (1.0 - p->hypoxia_quiescence * f) * log(Keff / C);
    else
        g = cl->growth_rate * (1.0 - p->hypoxia_quiescence * f) * (1.0 - C / Keff);
    double Is =
        ref_occupancy(p->stroma_inhibitors, p->n_stroma_inhibitors, p->stroma_combine, c);
    double s_eff = p->stroma_protection * (1.0 - Is);
    double kappa[RG_MAX_DRUGS];
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *dr = &p->drugs[d];
        double fexp = 1.0, fec = 1.0, fem = 1.0;
        for (size_t m = 0; m < p->n_mechs; m++) {
            const rg_mechanism *mc = &p->mechs[m];
            if (!mc->affects[d] || !(cl->carries[m] || cl->fold[m] != 1.0))
                continue;
            double I = ref_occupancy(mc->inhibitors, mc->n_inhibitors, mc->combine, c);
            double F = cl->fold[m];
            double Fe = 1.0 + (F * (1.0 + mc->hypoxia_induction * f) - 1.0) * (1.0 - I);
            if (mc->kind == RG_MECH_EFFLUX || mc->kind == RG_MECH_DETOX)
                fexp *= Fe;
            else if (mc->kind == RG_MECH_TARGET)
                fec *= Fe;
            else
                fem *= Fe;
        }
        double z = c[d] * (1.0 - dr->hypoxia_penetration_loss * f) / fexp;
        double emax = dr->emax / fem, ec50 = dr->ec50 * fec, k = 0.0;
        if (z > 0.0) {
            if (dr->effect == RG_EFFECT_LINEAR)
                k = emax * z / ec50;
            else
                k = emax * pow(z, dr->hill) / (pow(z, dr->hill) + pow(ec50, dr->hill));
        }
        if (dr->cycle_specific)
            k *= fmax(g, 0.0);
        if (dr->stroma_sensitive)
            k *= 1.0 - s_eff;
        kappa[d] = k;
    }
    double kill = 0.0;
    for (size_t d = 0; d < p->n_drugs; d++)
        kill += kappa[d];
    for (size_t q = 0; q < p->n_interactions; q++)
        kill += p->interactions[q].psi *
                sqrt(kappa[p->interactions[q].drug_a] * kappa[p->interactions[q].drug_b]);
    *g_out = g;
    *kill_out = fmax(0.0, kill);
}

static int ref_rhs(double t, const double y[], double f[], void *params)
{
    (void)t;
    const ref_ctx *r = params;
    const rg_problem *p = r->p;
    size_t n = p->n_clones;
    double c[RG_MAX_DRUGS], xs[RG_MAX_CLONES], g[RG_MAX_CLONES], kill[RG_MAX_CLONES];
    ref_conc(r, y, c);
    for (size_t i = 0; i < n; i++)
        xs[i] = fmax(y[i], 0.0);
    for (size_t i = 0; i < n; i++) {
        ref_rates(p, xs, c, i, &g[i], &kill[i]);
        f[i] = (g[i] - p->clones[i].death_rate - kill[i]) * xs[i];
    }
    double hflux[RG_MAX_CLONES] = {0};
    for (size_t q = 0; q < p->n_mutations; q++) {
        const rg_mutation *mu = &p->mutations[q];
        double rate = mu->rate * fmax(g[mu->from], 0.0);
        for (size_t s = 0; s < mu->n_induced; s++)
            rate += mu->induced_rate[s] * c[mu->induced_drug[s]];
        double flux = rate * xs[mu->from];
        f[mu->from] -= flux;
        f[mu->to] += flux;
        if (!p->clones[mu->from].resistant && p->clones[mu->to].resistant)
            hflux[mu->to] += flux;
    }
    for (size_t q = 0; q < r->n_haz; q++) {
        int j = r->haz[q];
        const double *a = &y[r->iA + 3 * q];
        double b = fmax(g[j], 0.0), d = p->clones[j].death_rate + kill[j] + fmax(-g[j], 0.0);
        double e = exp(-a[0]);
        f[r->iA + 3 * q] = b - d;
        f[r->iA + 3 * q + 1] = e > 0.0 ? b * e : 0.0; /* b may be infinite where e^{-A} = 0 */
        /* phi1 = 0 (underflow under strong kill): no lineage survives, l' = 0 (and
         * e^{-A} may be infinite) */
        f[r->iA + 3 * q + 2] =
            r->pass2 && r->phi1[q] > 0.0
                ? hflux[j] * e * r->phi1[q] / (r->alpha[q] + (r->beta[q] - a[1]) * r->phi1[q])
                : 0.0;
    }
    if (p->neutrophils) {
        const double *z = &y[r->in0];
        double *dz = &f[r->in0];
        double ktr = 4.0 / p->mtt_days, E = 0.0;
        for (size_t d = 0; d < p->n_drugs; d++)
            E += p->drugs[d].myelotoxicity_slope * c[d];
        dz[0] = ktr * z[0] * ((1.0 - E) * pow(p->circ0 / z[4], p->gamma) - 1.0);
        dz[1] = ktr * (z[0] - z[1]);
        dz[2] = ktr * (z[1] - z[2]);
        dz[3] = ktr * (z[2] - z[3]);
        dz[4] = ktr * (z[3] - z[4]);
    }
    for (size_t d = 0; d < p->n_drugs; d++) {
        if (r->ic[d] == (size_t)-1)
            continue;
        double kd = log(2.0) / p->drugs[d].half_life_days;
        if (p->drugs[d].administration == RG_ADMIN_BOLUS)
            f[r->ic[d]] = -kd * y[r->ic[d]];
        else
            f[r->ic[d]] = kd * (ref_level(r, d, r->k) - y[r->ic[d]]);
    }
    return GSL_SUCCESS;
}

static void ref_visit(const ref_ctx *r, ref_result *out, double t, const double y[])
{
    const rg_problem *p = r->p;
    size_t v = out->n_visits++;
    double B = 0.0, R = 0.0;
    for (size_t i = 0; i < p->n_clones; i++) {
        double x = fmax(y[i], 0.0);
        B += x;
        if (p->clones[i].resistant)
            R += x;
        if (i < 64)
            out->x[i][v] = x;
    }
    out->t[v] = t;
    out->B[v] = B;
    out->R[v] = R;
    out->anc[v] = p->neutrophils ? y[r->in0 + 4] : 0.0;
    if (out->progressed)
        return; /* after t_end: drawn, not scored */
    if (p->neutrophils && out->anc[v] < out->nadir)
        out->nadir = out->anc[v];
    double B0 = out->B[0];
    double min_cells =
        p->progression_min_cells >= 0 ? p->progression_min_cells : p->extinction_cells;
    double ecells = p->emergence_cells >= 0 ? p->emergence_cells : 0.1 * B0;
    if (!out->emerged && R >= ecells) {
        out->emerged = true;
        out->tte = t;
    }
    double ref;
    if (p->progression_reference == RG_REF_NADIR) {
        if (v == 0)
            return;
        ref = out->B[0];
        for (size_t q = 1; q < v; q++)
            ref = fmin(ref, out->B[q]);
    } else {
        ref = B0;
    }
    double thr = p->progression_factor * ref;
    double margin = fabs(B / thr - 1.0);
    if (B >= min_cells && margin < out->min_margin)
        out->min_margin = margin;
    if (B >= thr && B >= min_cells) {
        out->progressed = true;
        out->ttp = t;
        out->ttp_visit = v;
    }
}

/* The decision-time events of interval k on y (extinction from k = 1, boluses). */
static void ref_events(ref_ctx *r, ref_result *out, size_t k, double y[])
{
    const rg_problem *p = r->p;
    size_t n = p->n_clones;
    if (k >= 1 && p->extinction_cells > 0.0) {
        double c[RG_MAX_DRUGS], xs[RG_MAX_CLONES], g[RG_MAX_CLONES], kill[RG_MAX_CLONES];
        double inflow[RG_MAX_CLONES] = {0};
        ref_conc(r, y, c);
        for (size_t i = 0; i < n; i++)
            xs[i] = fmax(y[i], 0.0);
        for (size_t i = 0; i < n; i++)
            ref_rates(p, xs, c, i, &g[i], &kill[i]);
        for (size_t q = 0; q < p->n_mutations; q++) {
            const rg_mutation *mu = &p->mutations[q];
            double rate = mu->rate * fmax(g[mu->from], 0.0);
            for (size_t s = 0; s < mu->n_induced; s++)
                rate += mu->induced_rate[s] * c[mu->induced_drug[s]];
            inflow[mu->to] += rate * xs[mu->from];
        }
        for (size_t i = 0; i < n; i++) {
            if (!(inflow[i] > 0.0) && y[i] > 0.0) {
                double mg = fabs(y[i] / p->extinction_cells - 1.0);
                if (mg < out->ext_margin)
                    out->ext_margin = mg;
            }
            if (y[i] < p->extinction_cells && !(inflow[i] > 0.0))
                y[i] = 0.0;
        }
    }
    r->k = k;
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *dr = &p->drugs[d];
        if (dr->administration != RG_ADMIN_BOLUS)
            continue;
        size_t every = (size_t)llround(dr->dosing_interval_days / p->decision_days);
        if (k % every == 0)
            y[r->ic[d]] += ref_level(r, d, k);
    }
}

/* The spans of the emergence hazard (visit periods up to t_end): start time and state, end,
 * interval, and alpha and G over the span per hazard clone. */
typedef struct {
    size_t n;
    double t0[REF_MAX_INT], t1[REF_MAX_INT];
    size_t k[REF_MAX_INT];
    double y0[REF_MAX_INT][REF_MAX_Y];
    double al[REF_MAX_INT][RG_MAX_CLONES], be[REF_MAX_INT][RG_MAX_CLONES];
} ref_spans;

/* The second pass: phi backwards from t_end, l over every span from its stored start. */
static int ref_hazard(ref_ctx *r, gsl_odeiv2_driver *drv, const ref_spans *sp, double *L)
{
    double phi[RG_MAX_CLONES];
    for (size_t q = 0; q < r->n_haz; q++)
        phi[q] = 1.0;
    r->pass2 = true;
    r->off = false;
    *L = 0.0;
    for (size_t i = sp->n; i-- > 0;) {
        for (size_t q = 0; q < r->n_haz; q++) {
            r->phi1[q] = phi[q];
            r->alpha[q] = sp->al[i][q];
            r->beta[q] = sp->be[i][q];
        }
        double y[REF_MAX_Y], t = sp->t0[i];
        memcpy(y, sp->y0[i], r->ny * sizeof y[0]);
        r->k = sp->k[i];
        gsl_odeiv2_driver_reset(drv);
        int status = gsl_odeiv2_driver_apply(drv, &t, sp->t1[i], y);
        if (status != GSL_SUCCESS)
            return status;
        for (size_t q = 0; q < r->n_haz; q++) {
            *L += y[r->iA + 3 * q + 2];
            if (phi[q] > 0.0)
                phi[q] = phi[q] / (sp->al[i][q] + sp->be[i][q] * phi[q]);
        }
    }
    return GSL_SUCCESS;
}

/* Runs the reference on p under levels; returns 0 or a GSL error code. */
static int ref_run(const rg_problem *p, const double levels[], ref_result *out)
{
    static ref_ctx r;
    memset(&r, 0, sizeof r);
    r.p = p;
    r.levels = levels;
    r.n_int = (size_t)llround(p->horizon_days / p->decision_days);
    size_t vpi = (size_t)llround(p->decision_days / p->visit_days);
    size_t n = p->n_clones;
    size_t ny = n;
    if (p->neutrophils) {
        r.in0 = ny;
        ny += 5;
    }
    for (size_t d = 0; d < p->n_drugs; d++) {
        if (p->drugs[d].half_life_days > 0.0)
            r.ic[d] = ny++;
        else
            r.ic[d] = (size_t)-1;
    }
    for (size_t q = 0; q < p->n_mutations; q++) {
        int to = p->mutations[q].to;
        if (p->clones[p->mutations[q].from].resistant || !p->clones[to].resistant)
            continue;
        bool seen = false;
        for (size_t h = 0; h < r.n_haz; h++)
            seen = seen || r.haz[h] == to;
        if (!seen)
            r.haz[r.n_haz++] = to;
    }
    r.iA = ny;
    ny += 3 * r.n_haz;
    r.ny = ny;
    if (ny > REF_MAX_Y || r.n_int * vpi >= REF_MAX_INT)
        return GSL_EINVAL;
    memset(out, 0, sizeof *out);
    out->min_margin = INFINITY;
    out->ext_margin = INFINITY;
    out->nadir = INFINITY;
    out->tte = -1.0;
    out->ttp = p->horizon_days;
    double y[REF_MAX_Y] = {0};
    for (size_t i = 0; i < n; i++)
        y[i] = p->clones[i].cells;
    if (p->neutrophils)
        for (size_t q = 0; q < 5; q++)
            y[r.in0 + q] = p->circ0;
    ref_spans *sp = malloc(sizeof *sp);
    sp->n = 0;
    gsl_odeiv2_system sys = {ref_rhs, NULL, ny, &r};
    /* absolute tolerance 1e-12 scaled per component: 1e-18 cells, 1e-12 of A, G and l */
    double scale_abs[REF_MAX_Y];
    for (size_t i = 0; i < ny; i++)
        scale_abs[i] = i < n ? 1e-6 : 1.0;
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_scaled_new(
        &sys, gsl_odeiv2_step_rk8pd, 1e-4, 1e-12, 1e-12, 1.0, 0.0, scale_abs);
    gsl_odeiv2_driver_set_nmax(drv, 0);
    int status = 0;
    for (size_t k = 0;; k++) {
        double tk = (double)k * p->decision_days;
        if (k > 0)
            r.k =
                k - 1; /* the previous interval's levels hold for c(t_k) of half-life-0 drugs */
        ref_visit(&r, out, tk, y);
        if (out->progressed)
            r.off = true; /* untreated from the next decision time */
        if (k == r.n_int)
            break;
        ref_events(&r, out, k, y);
        double t = tk;
        for (size_t q = 1; q <= vpi; q++) {
            double tv =
                q == vpi ? (double)(k + 1) * p->decision_days : tk + (double)q * p->visit_days;
            bool on = !out->progressed;
            /* spans of at most a day, so that e^{-A} stays finite under strong kill */
            size_t nsub = on ? (size_t)ceil((tv - t) / 1.0) : 1;
            double ta = t;
            for (size_t u = 1; u <= nsub; u++) {
                double tb = u == nsub ? tv : ta + (tv - ta) * (double)u / (double)nsub;
                if (on) { /* a span of the hazard: A and G from 0 */
                    if (sp->n >= REF_MAX_INT) {
                        status = GSL_EINVAL;
                        goto done;
                    }
                    for (size_t j = 0; j < 3 * r.n_haz; j++)
                        y[r.iA + j] = 0.0;
                    sp->t0[sp->n] = t;
                    sp->k[sp->n] = k;
                    memcpy(sp->y0[sp->n], y, ny * sizeof y[0]);
                }
                gsl_odeiv2_driver_reset(drv);
                status = gsl_odeiv2_driver_apply(drv, &t, tb, y);
                if (status != GSL_SUCCESS)
                    goto done;
                if (on) {
                    sp->t1[sp->n] = tb;
                    for (size_t j = 0; j < r.n_haz; j++) {
                        sp->al[sp->n][j] = exp(-y[r.iA + 3 * j]);
                        sp->be[sp->n][j] = y[r.iA + 3 * j + 1];
                    }
                    sp->n++;
                }
            }
            if (q < vpi)
                ref_visit(&r, out, tv, y);
        }
    }
    status = ref_hazard(&r, drv, sp, &out->L);
done:
    out->status = status;
    if (!out->emerged)
        out->tte = out->ttp; /* censored at t_end */
    if (!out->progressed)
        out->ttp_visit = out->n_visits - 1;
    gsl_odeiv2_driver_free(drv);
    free(sp);
    return status;
}

#endif
