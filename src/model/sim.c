/* The simulation loop: model.md sections 2 (dosing and exact PK), 6 (extinction), 7 (dose
 * bookkeeping, neutrophil nadir), 8 (the order of events at decision times, visits and
 * progression) and 10 (restart at every decision time, step budget, no NaN out).
 *
 * Between decision times the interval integrator (stepper.h) advances the clones, the hazard
 * L and the Friberg states; concentrations are closed-form and never integrated. The loop
 * allocates nothing: the workspace holds every buffer it needs. */
#include "regimen/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/friberg.h"
#include "regimen/model.h"
#include "regimen/status.h"
#include "regimen/stepper.h"

struct rg_sim_workspace {
    size_t cap_clones, cap_drugs, cap_visits;
    rg_model model;
    rg_dop853 dop;
    rg_friberg fri;
    double *vis_t, *vis_b; /* cap_visits each: what policies may read */
    double *tv;            /* cap_visits: interior visit times of one interval */
    double *yv;            /* cap_visits * (cap_clones + 1 + RG_NEUT_STATES) */
};

rg_sim_workspace *rg_sim_alloc(const rg_problem *p)
{
    if (!p || p->n_clones == 0 || p->n_clones > RG_MAX_CLONES || p->n_drugs > RG_MAX_DRUGS)
        return NULL;
    size_t nv = rg_problem_n_visits(p);
    if (nv == 0)
        return NULL;
    rg_sim_workspace *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->cap_clones = p->n_clones;
    w->cap_drugs = p->n_drugs;
    w->cap_visits = nv;
    w->vis_t = malloc(nv * sizeof *w->vis_t);
    w->vis_b = malloc(nv * sizeof *w->vis_b);
    w->tv = malloc(nv * sizeof *w->tv);
    w->yv = malloc(nv * (p->n_clones + 1 + RG_NEUT_STATES) * sizeof *w->yv);
    if (!w->vis_t || !w->vis_b || !w->tv || !w->yv)
        goto fail;
    return w;
fail:
    rg_sim_free(w);
    return NULL;
}

void rg_sim_free(rg_sim_workspace *w)
{
    if (!w)
        return;
    free(w->vis_t);
    free(w->vis_b);
    free(w->tv);
    free(w->yv);
    free(w);
}

rg_model *rg_sim_model(rg_sim_workspace *w) { return &w->model; }
rg_dop853 *rg_sim_integrator(rg_sim_workspace *w) { return &w->dop; }
const rg_friberg *rg_sim_friberg(const rg_sim_workspace *w) { return &w->fri; }

int rg_trajectory_alloc(rg_trajectory *traj, const rg_problem *p)
{
    if (!traj || !p)
        return RG_EINVAL;
    memset(traj, 0, sizeof *traj);
    size_t nv = rg_problem_n_visits(p), ni = rg_problem_n_intervals(p);
    if (nv == 0 || ni == 0)
        return RG_EINVAL;
    size_t nd = p->n_drugs ? p->n_drugs : 1;
    traj->n_visits = nv;
    traj->n_intervals = ni;
    traj->t = calloc(nv, sizeof(double));
    traj->burden = calloc(nv, sizeof(double));
    traj->resistant = calloc(nv, sizeof(double));
    traj->clones = calloc(nv * p->n_clones, sizeof(double));
    traj->conc = calloc(nv * nd, sizeof(double));
    traj->anc = calloc(nv, sizeof(double));
    traj->levels = calloc(ni * nd, sizeof(double));
    if (!traj->t || !traj->burden || !traj->resistant || !traj->clones || !traj->conc ||
        !traj->anc || !traj->levels) {
        rg_trajectory_free(traj);
        return RG_ENOMEM;
    }
    return RG_OK;
}

void rg_trajectory_free(rg_trajectory *traj)
{
    if (!traj)
        return;
    free(traj->t);
    free(traj->burden);
    free(traj->resistant);
    free(traj->clones);
    free(traj->conc);
    free(traj->anc);
    free(traj->levels);
    memset(traj, 0, sizeof *traj);
}

int rg_sim_run(rg_sim_workspace *w, const rg_problem *p, rg_policy *pol, rg_sim_summary *out,
               rg_trajectory *traj)
{
    if (!w)
        return RG_EINVAL;
    return rg_sim_run_with(w, p, pol, out, traj, rg_dop853_interval, &w->dop);
}

/* Running bookkeeping of visits (progression, emergence, nadir). */
typedef struct {
    size_t n;           /* visits recorded */
    double b0, ref_factor, min_cells, emergence_cells;
    bool nadir_ref;
    double nadir;       /* min burden over visits so far */
    rg_sim_summary *out;
} visit_state;

static int record_visit(rg_sim_workspace *w, const rg_model *m, visit_state *vs,
                        rg_trajectory *traj, double t, const double y[], const double c[])
{
    size_t v = vs->n;
    double B = 0.0, R = 0.0;
    for (size_t i = 0; i < m->n; i++) {
        double x = y[i] > 0.0 ? y[i] : 0.0;
        B += x;
        if (m->resistant[i])
            R += x;
    }
    if (!isfinite(B))
        return RG_ENUMERIC;
    rg_sim_summary *o = vs->out;
    if (!o->progressed) {
        bool prog;
        if (vs->nadir_ref)
            prog = v > 0 && B >= vs->ref_factor * vs->nadir;
        else
            prog = B >= vs->ref_factor * vs->b0;
        if (prog && B >= vs->min_cells) {
            o->progressed = true;
            o->ttp = t;
        }
    }
    if (!o->emerged && R >= vs->emergence_cells) {
        o->emerged = true;
        o->time_to_emergence = t;
    }
    if (v == 0 || B < vs->nadir)
        vs->nadir = B;
    double anc = 0.0;
    if (m->neut) {
        anc = y[m->ineut + 4];
        if (!isfinite(anc))
            return RG_ENUMERIC;
        if (anc < o->neutrophil_nadir)
            o->neutrophil_nadir = anc;
    }
    w->vis_t[v] = t;
    w->vis_b[v] = B;
    if (traj) {
        size_t nv = traj->n_visits;
        if (traj->t)
            traj->t[v] = t;
        if (traj->burden)
            traj->burden[v] = B;
        if (traj->resistant)
            traj->resistant[v] = R;
        if (traj->clones)
            for (size_t i = 0; i < m->n; i++)
                traj->clones[i * nv + v] = y[i] > 0.0 ? y[i] : 0.0;
        if (traj->conc)
            for (size_t d = 0; d < m->nd; d++)
                traj->conc[d * nv + v] = c[d];
        if (traj->anc)
            traj->anc[v] = m->neut ? anc : 0.0;
    }
    o->final_burden = B;
    o->resistant_burden = R;
    vs->n++;
    return RG_OK;
}

int rg_sim_run_with(rg_sim_workspace *w, const rg_problem *p, rg_policy *pol,
                    rg_sim_summary *out, rg_trajectory *traj, rg_interval_fn integrate,
                    void *ctx)
{
    if (!w || !p || !pol || !out || !integrate)
        return RG_EINVAL;
    size_t n_int = rg_problem_n_intervals(p), n_vis = rg_problem_n_visits(p);
    if (n_int == 0 || n_vis < 2 || p->n_clones > w->cap_clones || p->n_drugs > w->cap_drugs ||
        n_vis > w->cap_visits)
        return RG_EINVAL;
    size_t vpi = (n_vis - 1) / n_int; /* visits per decision interval */
    if (vpi * n_int != n_vis - 1 || vpi == 0)
        return RG_EINVAL;
    if (traj && (traj->n_visits < n_vis || (traj->levels && traj->n_intervals < n_int)))
        return RG_EINVAL;
    rg_model *m = &w->model;
    int st = rg_model_compile(m, p);
    if (st != RG_OK)
        return st;
    const size_t n = m->n, nd = m->nd, ny = m->ny;
    /* the kernel's own integrator leaves the Friberg states to friberg.c (friberg.h) */
    const bool apart = m->neut && integrate == rg_dop853_interval;
    m->neut_apart = apart;
    if (apart)
        rg_friberg_setup(&w->fri, m, p->visit_days);
    const double dt = p->decision_days, dv = p->visit_days;
    const double b0 = rg_problem_initial_burden(p);
    if (!(b0 > 0.0) || !isfinite(b0))
        return RG_EINVAL;

    size_t bolus_every[RG_MAX_DRUGS];
    double max_dose[RG_MAX_DRUGS];
    for (size_t d = 0; d < nd; d++) {
        bolus_every[d] = 0;
        max_dose[d] = (double)n_int * dt;
        if (p->drugs[d].administration == RG_ADMIN_BOLUS) {
            long long e = llround(p->drugs[d].dosing_interval_days / dt);
            if (e < 1 || !(p->drugs[d].half_life_days > 0.0))
                return RG_EINVAL;
            bolus_every[d] = (size_t)e;
            max_dose[d] = (double)((n_int + (size_t)e - 1) / (size_t)e);
        }
    }

    memset(out, 0, sizeof *out);
    out->status = RG_OK;
    out->ttp = p->horizon_days;
    out->time_to_emergence = p->horizon_days;
    out->neutrophil_nadir = INFINITY; /* min over visits; stays +inf without neutrophils */

    visit_state vs = {0};
    vs.b0 = b0;
    vs.ref_factor = p->progression_factor;
    vs.nadir_ref = p->progression_reference == RG_REF_NADIR;
    vs.min_cells = p->progression_min_cells >= 0.0 ? p->progression_min_cells
                                                   : p->extinction_cells;
    vs.emergence_cells = p->emergence_cells >= 0.0 ? p->emergence_cells : 0.1 * b0;
    vs.out = out;

    if (ctx == &w->dop) {
        rg_dop853_setup(&w->dop, m, RG_KERNEL_RTOL, b0);
        w->dop.t_max = (double)n_int * dt;
    }

    double y[RG_MAX_STATE];
    for (size_t i = 0; i < n; i++)
        y[i] = p->clones[i].cells;
    y[m->iL] = 0.0;
    if (m->neut)
        for (size_t q = 0; q < RG_NEUT_STATES; q++)
            y[m->ineut + q] = m->circ0;

    double c[RG_MAX_DRUGS] = {0}, u[RG_MAX_DRUGS], pa[RG_MAX_DRUGS], pb[RG_MAX_DRUGS];
    double cv[RG_MAX_DRUGS] = {0};
    size_t steps = 0;
    rg_policy_reset(pol);
    /* whether the right-hand side changes at t_k: a bolus given, a continuous level changed, a
     * clone set to zero (extinction or a negative value clipped); if not, the integrator may
     * carry on across t_k (the kernel's does: a step in hand runs on) */
    bool changed = true;
    double level[RG_MAX_DRUGS];
    for (size_t d = 0; d < nd; d++)
        level[d] = -1.0;

    for (size_t k = 0;; k++) {
        const double tk = (double)k * dt;
        /* (1) the visit at t_k, from the integrated state */
        st = record_visit(w, m, &vs, traj, tk, y, c);
        if (st != RG_OK)
            goto stop;
        if (k == n_int)
            break;
        /* (2) extinction: below extinction_cells with no switching inflow at t_k */
        bool low = false; /* a clone that could go extinct: the inflow is needed */
        for (size_t i = 0; i < n; i++)
            low = low || (y[i] > 0.0 && y[i] < p->extinction_cells);
        if (k >= 1 && low) {
            double dy[RG_MAX_STATE];
            rg_model_rhs(m, tk, y, dy);
            for (size_t i = 0; i < n; i++)
                if (y[i] < p->extinction_cells && !(m->inflow[i] > 0.0)) {
                    changed = changed || y[i] != 0.0;
                    y[i] = 0.0;
                }
        }
        /* (3) the policy sees t_k, the visits so far and B(t_k) */
        rg_policy_view view = {.k = k,
                               .n_intervals = n_int,
                               .t = tk,
                               .b0 = b0,
                               .burden = w->vis_b[vs.n - 1],
                               .n_visits = vs.n,
                               .visit_t = w->vis_t,
                               .visit_burden = w->vis_b};
        for (size_t d = 0; d < nd; d++)
            u[d] = 0.0;
        st = rg_policy_decide(pol, &view, u);
        if (st != RG_OK)
            return st;
        /* (4) doses of interval k: boluses due at t_k, continuous levels */
        double tox = 0.0;
        for (size_t d = 0; d < nd; d++) {
            double ud = u[d];
            if (!(ud >= 0.0))
                ud = 0.0; /* also NaN */
            if (ud > 1.0)
                ud = 1.0;
            tox += p->drugs[d].toxicity_weight * ud;
            if (traj && traj->levels)
                traj->levels[d * traj->n_intervals + k] = ud;
            if (bolus_every[d]) {
                if (k % bolus_every[d] == 0) {
                    changed = changed || ud > 0.0;
                    c[d] += ud;
                    out->cumulative_dose[d] += ud;
                }
                pa[d] = 0.0;
                pb[d] = c[d];
            } else {
                out->cumulative_dose[d] += ud * dt;
                changed = changed || ud != level[d];
                level[d] = ud;
                pa[d] = ud;
                pb[d] = m->kel[d] > 0.0 ? c[d] - ud : 0.0;
            }
        }
        if (k == 0 || tox > out->max_daily_toxicity)
            out->max_daily_toxicity = tox;
        rg_model_set_pk(m, tk, pa, pb);
        for (size_t d = 0; d < nd; d++)
            if (bolus_every[d] && k % bolus_every[d] == 0 && u[d] > 0.0)
                m->bolus_restart = true;
        m->smooth_continue = !changed;
        /* (5) integrate to t_{k+1}, visits inside served by the integrator */
        const double t1 = (double)(k + 1) * dt;
        size_t nvi = vpi - 1;
        for (size_t q = 0; q < nvi; q++)
            w->tv[q] = tk + (double)(q + 1) * dv;
        st = integrate(ctx, m, tk, t1, y, nvi, w->tv, w->yv, &steps, p->step_budget);
        if (st != RG_OK)
            goto stop;
        if (apart)
            rg_friberg_advance(&w->fri, m, tk, vpi, &y[m->ineut], &w->yv[m->ineut], ny);
        for (size_t q = 0; q < nvi; q++) {
            if (traj && traj->conc) /* only the trajectory records concentrations */
                rg_model_conc(m, w->tv[q], cv);
            st = record_visit(w, m, &vs, traj, w->tv[q], &w->yv[q * ny], cv);
            if (st != RG_OK)
                goto stop;
        }
        changed = false;
        for (size_t i = 0; i < n; i++)
            if (y[i] < 0.0) {
                y[i] = 0.0;
                changed = true;
            }
        rg_model_conc(m, t1, c);
    }
    st = RG_OK;
stop:
    out->status = st;
    out->steps = steps;
    out->rhs_evals = m->evals;
    if (st != RG_OK) {
        if (!isfinite(out->final_burden))
            out->final_burden = 0.0;
        if (!isfinite(out->resistant_burden))
            out->resistant_burden = 0.0;
    }
    double L = y[m->iL];
    out->hazard = (isfinite(L) && L > 0.0) ? L : 0.0;
    out->resistance_probability = -expm1(-out->hazard);
    for (size_t d = 0; d < nd; d++)
        out->dose_intensity[d] = max_dose[d] > 0.0 ? out->cumulative_dose[d] / max_dose[d] : 0.0;
    return RG_OK;
}
