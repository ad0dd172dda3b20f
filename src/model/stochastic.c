/* The stochastic simulation mode: one replicate of the model of docs/model.md sections 2-8
 * with small populations as exact birth-death processes (docs/model.md section 12).
 *
 * Each clone i is two populations: its main part (index i) and its de novo part (index
 * n + i: the cells that arrived by switching from a non-resistant clone during the run, and
 * their descendants; only resistant clones receive such cells). A population below the
 * threshold is stochastic (an integer count), above it deterministic. Every fixed step h the
 * deterministic populations advance by classical RK4 on the split right-hand side built from
 * rg_model_rhs (the kernel's own rates), and each stochastic population is drawn from the
 * exact law of a linear birth-death process with the rates of the step's midpoint (RK4's
 * second stage), plus Poisson arrivals by switching. The decision-time events follow
 * docs/model.md section 8; the replicate stops at its own progression visit. */
#include "regimen/stochastic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "regimen/model.h"
#include "regimen/status.h"
#include "regimen/stepper.h"

enum { NPOP = 2 * RG_MAX_CLONES };

struct rg_stoch_workspace {
    size_t cap_clones, cap_visits;
    rg_stoch_settings set;
    rg_model model;
    gsl_rng *rng;
    double *vis_t, *vis_b; /* cap_visits each: what the dosing may read */
};

void rg_stoch_settings_default(rg_stoch_settings *s)
{
    s->threshold = RG_STOCH_THRESHOLD;
    s->max_step = RG_STOCH_MAX_STEP;
}

double rg_stoch_step(const rg_problem *p, const rg_stoch_settings *s)
{
    double cap = s ? s->max_step : RG_STOCH_MAX_STEP;
    for (size_t d = 0; d < p->n_drugs; d++) {
        double hl = p->drugs[d].half_life_days;
        if (hl > 0.0 && RG_STOCH_HALF_LIFE_FRACTION * hl < cap)
            cap = RG_STOCH_HALF_LIFE_FRACTION * hl;
    }
    if (!(p->visit_days > 0.0) || !(cap > 0.0))
        return 0.0;
    double parts = ceil(p->visit_days / cap - 1e-9);
    return p->visit_days / (parts >= 1.0 ? parts : 1.0);
}

rg_stoch_workspace *rg_stoch_alloc(const rg_problem *p, const rg_stoch_settings *s)
{
    if (!p || p->n_clones == 0 || p->n_clones > RG_MAX_CLONES || p->n_drugs > RG_MAX_DRUGS)
        return NULL;
    size_t nv = rg_problem_n_visits(p);
    if (nv == 0)
        return NULL;
    rg_stoch_workspace *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cap_clones = p->n_clones;
    w->cap_visits = nv;
    if (s)
        w->set = *s;
    else
        rg_stoch_settings_default(&w->set);
    w->rng = gsl_rng_alloc(gsl_rng_mt19937);
    w->vis_t = malloc(nv * sizeof *w->vis_t);
    w->vis_b = malloc(nv * sizeof *w->vis_b);
    if (!w->rng || !w->vis_t || !w->vis_b)
        goto fail;
    return w;
fail:
    rg_stoch_free(w);
    return NULL;
}

void rg_stoch_free(rg_stoch_workspace *w)
{
    if (!w)
        return;
    if (w->rng)
        gsl_rng_free(w->rng);
    free(w->vis_t);
    free(w->vis_b);
    free(w);
}

/* SplitMix64 (Steele, Lea and Flood 2014): a replicate's generator seed from (seed,
 * replicate), so that replicates are independent of one another's order. */
static uint64_t splitmix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* One replicate in progress. */
typedef struct {
    rg_stoch_workspace *w;
    const rg_problem *p;
    rg_model *m;
    gsl_rng *rng;
    rg_stoch_result *out;
    size_t n, n_int, vpi, spv; /* clones, decision intervals, visits per interval, steps per
                                  visit */
    double dt, dv, h, b0, threshold;
    size_t bolus_every[RG_MAX_DRUGS]; /* in decision intervals; 0: continuous */
    size_t anchor[RG_MAX_DRUGS];      /* interval of the bolus cycle's start (section 2) */
    bool restart[RG_MAX_DRUGS];       /* the dosing's restart flags of the current t_k */
    double c[RG_MAX_DRUGS];           /* concentrations at the current decision time */
    double pop[NPOP];
    bool stoch[NPOP];
    /* rates of the step's midpoint: per-capita birth and death of each clone, and the
     * switching arrivals into each population (cells/day) */
    double birth[RG_MAX_CLONES], death[RG_MAX_CLONES], in[NPOP];
    double y[RG_MAX_STATE], dy[RG_MAX_STATE]; /* the model's state and derivative */
    /* visit bookkeeping (docs/model.md section 8) */
    size_t n_vis;
    double nadir, ref_factor, min_cells;
    bool nadir_ref;
} srun;

/* The split right-hand side: the model's rates at (t, pop) (rg_model_rhs on the clone
 * totals), each population's derivative into dpop, and when `rates` is set, the per-capita
 * birth and death of each clone and the arrivals into each population into r. A cell that
 * switches out of clone i leaves it (an extra death of the process); it arrives in the de
 * novo part of the target when the edge goes from a non-resistant to a resistant clone
 * (docs/model.md section 6), else in the target's main part. */
static void pop_rhs(srun *r, double t, const double pop[], double dpop[], bool rates)
{
    rg_model *m = r->m;
    const size_t n = r->n;
    for (size_t i = 0; i < n; i++)
        r->y[i] = (pop[i] > 0.0 ? pop[i] : 0.0) + (pop[n + i] > 0.0 ? pop[n + i] : 0.0);
    rg_model_rhs(m, t, r->y, r->dy);
    double out[RG_MAX_CLONES] = {0.0}, in[NPOP] = {0.0};
    for (size_t q = 0; q < m->n_edges; q++) {
        const rg_model_edge *e = &m->edges[q];
        double gf = m->g[e->from];
        double rate = e->mu * (gf > 0.0 ? gf : 0.0);
        for (size_t s = 0; s < e->n_ind; s++)
            rate += e->ind_nu[s] * m->c[e->ind_drug[s]];
        out[e->from] += rate;
        in[e->hazard ? n + (size_t)e->to : (size_t)e->to] += rate * r->y[e->from];
    }
    for (size_t k = 0; k < 2 * n; k++) {
        size_t i = k < n ? k : k - n;
        double x = pop[k] > 0.0 ? pop[k] : 0.0;
        dpop[k] = (m->netg[i] - out[i]) * x + in[k];
    }
    if (!rates)
        return;
    for (size_t i = 0; i < n; i++) {
        double g = m->g[i];
        r->birth[i] = g > 0.0 ? g : 0.0;
        r->death[i] = m->delta[i] + m->kill[i] + (g < 0.0 ? -g : 0.0) + out[i];
    }
    memcpy(r->in, in, 2 * n * sizeof in[0]);
}

/* n cells of a linear birth-death process (birth b, death d per cell per day) after h days,
 * exactly in distribution (Kendall 1948; Bailey 1964, section 8.6): K ~ Binomial(n, 1 - alpha)
 * lineages survive, each of geometric size on {1, 2, ...} with ratio beta, so the total is
 * K + NegativeBinomial(K, 1 - beta), where with q = (e^{(b-d)h} - 1) / (b - d) (h when
 * b = d) alpha = d q / (1 + b q) and beta = b q / (1 + b q). */
static double birth_death(gsl_rng *rng, double n, double b, double d, double h)
{
    if (!(n >= 1.0))
        return 0.0;
    double x = (b - d) * h;
    double q = x != 0.0 ? h * expm1(x) / x : h;
    double alpha = d * q / (1.0 + b * q), beta = b * q / (1.0 + b * q);
    unsigned int K = gsl_ran_binomial(rng, 1.0 - alpha, (unsigned int)n);
    if (K == 0)
        return 0.0;
    if (!(beta > 0.0))
        return (double)K;
    return (double)K + (double)gsl_ran_negative_binomial(rng, 1.0 - beta, (double)K);
}

/* Arrivals of Poisson(mean) cells; a mean far above any threshold is added as it is (the
 * population then becomes deterministic). */
static double arrivals(gsl_rng *rng, double mean)
{
    if (!(mean > 0.0))
        return 0.0;
    if (mean > RG_STOCH_THRESHOLD_MAX)
        return mean;
    return (double)gsl_ran_poisson(rng, mean);
}

/* A deterministic population below the threshold becomes stochastic, its count rounded
 * down or up with the probability of the fraction (unbiased); a stochastic one at or above
 * the threshold becomes deterministic. */
static void reclassify(srun *r)
{
    for (size_t k = 0; k < 2 * r->n; k++) {
        double x = r->pop[k];
        if (r->stoch[k] && x >= r->threshold) {
            r->stoch[k] = false;
        } else if (!r->stoch[k] && x < r->threshold) {
            double f = floor(x);
            r->pop[k] = f + (gsl_rng_uniform(r->rng) < x - f ? 1.0 : 0.0);
            r->stoch[k] = true;
        }
    }
}

/* One step of h days from t: RK4 for the deterministic populations, the exact birth-death
 * law with the midpoint rates and Poisson arrivals for the stochastic ones. */
static void step(srun *r, double t)
{
    const size_t np = 2 * r->n;
    const double h = r->h;
    double k1[NPOP], k2[NPOP], k3[NPOP], k4[NPOP], tmp[NPOP];
    pop_rhs(r, t, r->pop, k1, false);
    for (size_t k = 0; k < np; k++)
        tmp[k] = r->pop[k] + 0.5 * h * k1[k];
    pop_rhs(r, t + 0.5 * h, tmp, k2, true);
    for (size_t k = 0; k < np; k++)
        tmp[k] = r->pop[k] + 0.5 * h * k2[k];
    pop_rhs(r, t + 0.5 * h, tmp, k3, false);
    for (size_t k = 0; k < np; k++)
        tmp[k] = r->pop[k] + h * k3[k];
    pop_rhs(r, t + h, tmp, k4, false);
    for (size_t k = 0; k < np; k++) {
        size_t i = k < r->n ? k : k - r->n;
        double x;
        if (r->stoch[k])
            x = birth_death(r->rng, r->pop[k], r->birth[i], r->death[i], h) +
                arrivals(r->rng, r->in[k] * h);
        else
            x = r->pop[k] + h / 6.0 * (k1[k] + 2.0 * k2[k] + 2.0 * k3[k] + k4[k]);
        r->pop[k] = x > 0.0 ? x : 0.0;
    }
    reclassify(r);
}

/* The burden now. */
static double burden(const srun *r)
{
    double B = 0.0;
    for (size_t k = 0; k < 2 * r->n; k++)
        B += r->pop[k];
    return B;
}

/* A visit at t (docs/model.md section 8): records the burden for the dosing and tests
 * progression. Returns RG_ENUMERIC for a non-finite burden. */
static int visit(srun *r, double t)
{
    double B = burden(r);
    if (!isfinite(B))
        return RG_ENUMERIC;
    rg_stoch_result *o = r->out;
    size_t v = r->n_vis;
    if (!o->progressed) {
        bool prog =
            r->nadir_ref ? v > 0 && B >= r->ref_factor * r->nadir : B >= r->ref_factor * r->b0;
        if (prog && B >= r->min_cells) {
            o->progressed = true;
            o->ttp = t;
        }
    }
    if (v == 0 || B < r->nadir)
        r->nadir = B;
    r->w->vis_t[v] = t;
    r->w->vis_b[v] = B;
    r->n_vis++;
    return RG_OK;
}

/* Extinction at t_k, k >= 1 (docs/model.md section 6): a clone with fewer than
 * extinction_cells cells and no switching inflow goes to zero, both its parts. */
static void extinction(srun *r, double tk)
{
    rg_model *m = r->m;
    const size_t n = r->n;
    const double ext = r->p->extinction_cells;
    bool low = false;
    for (size_t i = 0; i < n; i++) {
        double x = r->pop[i] + r->pop[n + i];
        low = low || (x > 0.0 && x < ext);
    }
    if (!low)
        return;
    double d[NPOP];
    pop_rhs(r, tk, r->pop, d, false);
    for (size_t i = 0; i < n; i++)
        if (r->pop[i] + r->pop[n + i] < ext && !(m->inflow[i] > 0.0))
            r->pop[i] = r->pop[n + i] = 0.0;
}

/* Whether bolus drug d's slot falls at t_k: every bolus_every intervals from its cycle's
 * anchor (docs/model.md section 2). */
static bool bolus_due(const srun *r, size_t d, size_t k)
{
    return k >= r->anchor[d] && (k - r->anchor[d]) % r->bolus_every[d] == 0;
}

/* The dosing's levels for interval k, given at t_k as the kernel gives them (docs/model.md
 * section 2): a bolus due at t_k adds its level (a drug whose cycle the dosing restarted at
 * t_k is anchored there first), a continuous drug holds its level. */
static int give_doses(srun *r, const rg_dosing *dosing, size_t k, double tk)
{
    rg_model *m = r->m;
    for (size_t d = 0; d < m->nd; d++)
        r->restart[d] = false;
    rg_dose_view view = {.k = k,
                         .n_intervals = r->n_int,
                         .t = tk,
                         .b0 = r->b0,
                         .burden = r->w->vis_b[r->n_vis - 1],
                         .n_visits = r->n_vis,
                         .visit_t = r->w->vis_t,
                         .visit_burden = r->w->vis_b,
                         .restart = r->restart};
    double u[RG_MAX_DRUGS] = {0.0}, pa[RG_MAX_DRUGS], pb[RG_MAX_DRUGS];
    int st = dosing->decide(dosing->state, &view, u);
    if (st != RG_OK)
        return st;
    for (size_t d = 0; d < m->nd; d++) {
        if (r->restart[d] && r->bolus_every[d])
            r->anchor[d] = k;
        double ud = u[d] >= 0.0 ? u[d] : 0.0; /* also NaN */
        if (ud > 1.0)
            ud = 1.0;
        if (r->bolus_every[d]) {
            if (bolus_due(r, d, k))
                r->c[d] += ud;
            pa[d] = 0.0;
            pb[d] = r->c[d];
        } else {
            pa[d] = ud;
            pb[d] = m->kel[d] > 0.0 ? r->c[d] - ud : 0.0;
        }
    }
    rg_model_set_pk(m, tk, pa, pb);
    return RG_OK;
}

/* The problem's grid and doses against the workspace, and the replicate's start. */
static int setup(srun *r, uint64_t seed, size_t replicate)
{
    const rg_problem *p = r->p;
    rg_stoch_workspace *w = r->w;
    size_t ni = rg_problem_n_intervals(p), nv = rg_problem_n_visits(p);
    if (!(p->extinction_cells > 0.0) || ni == 0 || nv < 2 || p->n_clones > w->cap_clones ||
        nv > w->cap_visits || !(w->set.threshold > 0.0) ||
        w->set.threshold > RG_STOCH_THRESHOLD_MAX || !(w->set.max_step > 0.0))
        return RG_EINVAL;
    r->vpi = (nv - 1) / ni;
    if (r->vpi == 0 || r->vpi * ni != nv - 1)
        return RG_EINVAL;
    int st = rg_model_compile(r->m, p);
    if (st != RG_OK)
        return st;
    r->m->neut_apart = true; /* the neutrophil chain plays no part in a replicate */
    r->m->cancel = NULL;
    r->n = p->n_clones;
    r->n_int = ni;
    r->dt = p->decision_days;
    r->dv = p->visit_days;
    r->h = rg_stoch_step(p, &w->set);
    if (!(r->h > 0.0) || p->horizon_days / r->h > RG_STOCH_MAX_STEPS)
        return RG_EINVAL;
    r->spv = (size_t)llround(r->dv / r->h);
    r->threshold = w->set.threshold;
    r->b0 = rg_problem_initial_burden(p);
    if (!(r->b0 > 0.0) || !isfinite(r->b0))
        return RG_EINVAL;
    for (size_t d = 0; d < p->n_drugs; d++) {
        r->bolus_every[d] = 0;
        r->anchor[d] = 0;
        r->c[d] = 0.0;
        if (p->drugs[d].administration == RG_ADMIN_BOLUS) {
            long long e = llround(p->drugs[d].dosing_interval_days / r->dt);
            if (e < 1 || !(p->drugs[d].half_life_days > 0.0))
                return RG_EINVAL;
            r->bolus_every[d] = (size_t)e;
        }
    }
    for (size_t q = 0; q < RG_MAX_STATE; q++)
        r->y[q] = 0.0;
    if (r->m->neut)
        for (size_t q = 0; q < RG_NEUT_STATES; q++)
            r->y[r->m->ineut + q] = r->m->circ0;
    gsl_rng_set(r->rng, (unsigned long)splitmix64(seed ^ splitmix64((uint64_t)replicate)));
    for (size_t i = 0; i < r->n; i++) {
        r->pop[i] = p->clones[i].cells;
        r->pop[r->n + i] = 0.0;
        r->stoch[i] = false; /* reclassify rounds it when below the threshold */
        r->stoch[r->n + i] = true;
    }
    reclassify(r);
    r->n_vis = 0;
    r->nadir = 0.0;
    r->ref_factor = p->progression_factor;
    r->nadir_ref = p->progression_reference == RG_REF_NADIR;
    r->min_cells =
        p->progression_min_cells >= 0.0 ? p->progression_min_cells : p->extinction_cells;
    return RG_OK;
}

/* The outcome at t_end. */
static void finish(srun *r, int st)
{
    rg_stoch_result *o = r->out;
    o->status = st;
    o->t_end = o->progressed ? o->ttp : r->p->horizon_days;
    o->final_burden = burden(r);
    o->cured = true;
    o->de_novo_alive = false;
    for (size_t i = 0; i < r->n; i++) {
        o->clones[i] = r->pop[i] + r->pop[r->n + i];
        o->de_novo[i] = r->pop[r->n + i];
        o->cured = o->cured && o->clones[i] == 0.0;
        o->de_novo_alive = o->de_novo_alive || o->de_novo[i] > 0.0;
    }
}

/* Integrates decision interval k from t_k, serving its interior visits; stops at a
 * progression visit. */
static int interval(srun *r, size_t k, double tk)
{
    for (size_t v = 0; v < r->vpi; v++) {
        double tv = tk + (double)v * r->dv;
        for (size_t s = 0; s < r->spv; s++)
            step(r, tv + (double)s * r->h);
        if (v + 1 == r->vpi)
            break; /* the visit at t_{k+1} is the next decision time's */
        int st = visit(r, tk + (double)(v + 1) * r->dv);
        if (st != RG_OK || r->out->progressed)
            return st;
    }
    rg_model_conc(r->m, (double)(k + 1) * r->dt, r->c);
    return RG_OK;
}

int rg_stoch_run(rg_stoch_workspace *w, const rg_problem *p, const rg_dosing *dosing,
                 uint64_t seed, size_t replicate, rg_stoch_result *out)
{
    if (!w || !p || !dosing || !dosing->decide || !out)
        return RG_EINVAL;
    memset(out, 0, sizeof *out);
    out->ttp = p->horizon_days;
    srun r = {.w = w, .p = p, .m = &w->model, .rng = w->rng, .out = out};
    int st = setup(&r, seed, replicate);
    if (st != RG_OK)
        return st;
    if (dosing->reset) {
        st = dosing->reset(dosing->state);
        if (st != RG_OK)
            return st;
    }
    for (size_t k = 0;; k++) {
        const double tk = (double)k * r.dt;
        st = visit(&r, tk);
        if (st != RG_OK || out->progressed || k == r.n_int)
            break;
        if (k >= 1)
            extinction(&r, tk);
        st = give_doses(&r, dosing, k, tk);
        if (st != RG_OK)
            return st;
        st = interval(&r, k, tk);
        if (st != RG_OK || out->progressed)
            break;
    }
    finish(&r, st);
    return RG_OK;
}

void rg_stoch_wilson(size_t k, size_t n, double z, double *lo, double *hi)
{
    if (n == 0) {
        *lo = 0.0;
        *hi = 1.0;
        return;
    }
    double nn = (double)n, ph = (double)k / nn, z2 = z * z;
    double centre = (ph + z2 / (2.0 * nn)) / (1.0 + z2 / nn);
    double half = z / (1.0 + z2 / nn) * sqrt(ph * (1.0 - ph) / nn + z2 / (4.0 * nn * nn));
    *lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    *hi = k == n ? 1.0 : fmin(1.0, centre + half);
}
