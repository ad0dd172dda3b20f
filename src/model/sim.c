/* The simulation loop: docs/model.md sections 2 (dosing and exact PK), 6 (extinction and the
 * emergence probability), 7 (dose bookkeeping, neutrophil nadir), 8 (the order of events at
 * decision times, visits, progression and the end of the evaluation at t_end) and 10 (restart
 * at every decision time, step budget, no NaN out).
 *
 * Between decision times the interval integrator (stepper.h) advances the clones, recording
 * its accepted steps for the emergence probability (emergence.h), and friberg.c the
 * neutrophil states; concentrations are closed-form and never integrated. The doses come from
 * the caller's rg_dosing (sim.h). The loop allocates nothing: the workspace holds every
 * buffer it needs. The run is cut into its phases: the setup (check_sizes, run_setup), then
 * at every decision time t_k (1) the visit, (2) extinction, (3) the dosing's decision, (4) the
 * doses and (5) the integration to t_{k+1}, and last the summary's closing figures with the
 * backward pass of the emergence probability. */
#include "regimen/sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/emergence.h"
#include "regimen/friberg.h"
#include "regimen/model.h"
#include "regimen/status.h"
#include "regimen/stepper.h"
#include "sim_internal.h"

int rg_sim_run(rg_sim_workspace *w, const rg_problem *p, const rg_dosing *dosing,
               const volatile sig_atomic_t *cancel, rg_sim_summary *out, rg_trajectory *traj)
{
    if (!w)
        return RG_EINVAL;
    return rg_sim_run_with(w, p, dosing, cancel, out, traj, rg_dop853_interval, &w->dop);
}

/* Running bookkeeping of visits (progression, emergence, nadir). */
typedef struct {
    size_t n; /* visits recorded */
    double b0, ref_factor, min_cells, emergence_cells;
    bool nadir_ref;
    double nadir; /* min burden over visits so far */
    bool ended;   /* the evaluation has reached t_end (out->t_end): later visits only plot */
    size_t n_on;  /* visits on [0, t_end] */
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
    double anc = 0.0;
    if (m->neut) {
        anc = y[m->ineut + 4];
        if (!isfinite(anc))
            return RG_ENUMERIC;
    }
    if (!vs->ended) {
        bool prog;
        if (vs->nadir_ref)
            prog = v > 0 && B >= vs->ref_factor * vs->nadir;
        else
            prog = B >= vs->ref_factor * vs->b0;
        if (prog && B >= vs->min_cells) {
            o->progressed = true;
            o->ttp = t;
            vs->ended = true; /* this visit is t_end: it still counts below */
        }
        if (!o->emerged && R >= vs->emergence_cells) {
            o->emerged = true;
            o->time_to_emergence = t;
        }
        if (v == 0 || B < vs->nadir)
            vs->nadir = B;
        if (m->neut && anc < o->neutrophil_nadir)
            o->neutrophil_nadir = anc;
        o->final_burden = B;
        o->resistant_burden = R;
        o->resistant_fraction = B > 0.0 ? R / B : 0.0;
        o->t_end = t;
        vs->n_on = v + 1;
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
    vs->n++;
    return RG_OK;
}

/* One run in progress: what the phases below share. */
typedef struct {
    rg_sim_workspace *w;
    const rg_problem *p;
    rg_model *m;
    rg_sim_summary *out;
    rg_trajectory *traj;
    size_t n_int, vpi; /* decision intervals; visits per decision interval */
    double dt, dv, b0;
    bool apart;                       /* the Friberg states are stepped apart (friberg.h) */
    size_t bolus_every[RG_MAX_DRUGS]; /* in decision intervals; 0: continuous */
    size_t anchor[RG_MAX_DRUGS];      /* interval of the bolus cycle's start (section 2) */
    bool restart[RG_MAX_DRUGS];       /* the dosing's restart flags of the current t_k */
    /* whether the right-hand side changes at t_k: a bolus given, a continuous level changed, a
     * clone set to zero (extinction or a negative value clipped); if not, the integrator may
     * carry on across t_k (the kernel's does: a step in hand runs on) */
    bool changed;
    double
        level[RG_MAX_DRUGS]; /* continuous levels of the last interval; -1 before the first */
    double y[RG_MAX_STATE];
    double c[RG_MAX_DRUGS];  /* concentrations at t_k */
    double cv[RG_MAX_DRUGS]; /* concentrations at an interior visit (trajectory only) */
    size_t steps;
    visit_state vs;
    /* the emergence records (docs/model.md section 6): kept while the kernel's own integrator
     * runs and the evaluation has not ended. The interval being integrated started its records
     * at em_from, from the state ys at time ts (before t_k when its first step is the step in
     * hand carried across t_k): the span a progression inside it is recorded again from. */
    bool em_used, recording;
    size_t em_from;
    double ts;
    double ys[RG_MAX_STATE];
} sim_run;

/* The problem's sizes against the workspace and the trajectory: RG_EINVAL when they do not
 * fit or the visits do not divide the decision intervals evenly. */
static int check_sizes(const rg_sim_workspace *w, const rg_problem *p,
                       const rg_trajectory *traj, size_t *n_int, size_t *vpi)
{
    size_t ni = rg_problem_n_intervals(p), n_vis = rg_problem_n_visits(p);
    if (ni == 0 || n_vis < 2 || p->n_clones > w->cap_clones || p->n_drugs > w->cap_drugs ||
        n_vis > w->cap_visits)
        return RG_EINVAL;
    size_t v = (n_vis - 1) / ni; /* visits per decision interval */
    if (v * ni != n_vis - 1 || v == 0)
        return RG_EINVAL;
    if (traj && (traj->n_visits < n_vis || (traj->levels && traj->n_intervals < ni)))
        return RG_EINVAL;
    *n_int = ni;
    *vpi = v;
    return RG_OK;
}

/* The bolus period of every bolus drug, in decision intervals, and its cycle anchored at
 * t = 0 (docs/model.md section 2). */
static int dose_limits(sim_run *r)
{
    const rg_problem *p = r->p;
    for (size_t d = 0; d < RG_MAX_DRUGS; d++) {
        r->anchor[d] = 0;
        r->restart[d] = false;
    }
    for (size_t d = 0; d < r->m->nd; d++) {
        r->bolus_every[d] = 0;
        if (p->drugs[d].administration == RG_ADMIN_BOLUS) {
            long long e = llround(p->drugs[d].dosing_interval_days / r->dt);
            if (e < 1 || !(p->drugs[d].half_life_days > 0.0))
                return RG_EINVAL;
            r->bolus_every[d] = (size_t)e;
        }
    }
    return RG_OK;
}

/* The summary and the visit bookkeeping before the first visit. */
static void summary_start(sim_run *r)
{
    const rg_problem *p = r->p;
    rg_sim_summary *out = r->out;
    memset(out, 0, sizeof *out);
    out->status = RG_OK;
    out->ttp = p->horizon_days;
    out->time_to_emergence = p->horizon_days;
    out->neutrophil_nadir = INFINITY; /* min over visits; stays +inf without neutrophils */

    visit_state *vs = &r->vs;
    memset(vs, 0, sizeof *vs);
    vs->b0 = r->b0;
    vs->ref_factor = p->progression_factor;
    vs->nadir_ref = p->progression_reference == RG_REF_NADIR;
    vs->min_cells =
        p->progression_min_cells >= 0.0 ? p->progression_min_cells : p->extinction_cells;
    vs->emergence_cells = p->emergence_cells >= 0.0 ? p->emergence_cells : 0.1 * r->b0;
    vs->out = out;
}

/* The state at t = 0: the clones' initial cells, L = 0, the Friberg chain at rest. */
static void state_start(sim_run *r)
{
    const rg_model *m = r->m;
    for (size_t i = 0; i < m->n; i++)
        r->y[i] = r->p->clones[i].cells;
    if (m->neut)
        for (size_t q = 0; q < RG_NEUT_STATES; q++)
            r->y[m->ineut + q] = m->circ0;
    for (size_t d = 0; d < RG_MAX_DRUGS; d++)
        r->c[d] = r->cv[d] = 0.0;
    r->steps = 0;
    r->changed = true;
    for (size_t d = 0; d < m->nd; d++)
        r->level[d] = -1.0;
}

/* Step (2) at t_k: a clone below extinction_cells with no switching inflow goes to zero. */
static void extinction(sim_run *r, size_t k, double tk)
{
    rg_model *m = r->m;
    double *y = r->y;
    const double ext = r->p->extinction_cells;
    bool low = false; /* a clone that could go extinct: the inflow is needed */
    for (size_t i = 0; i < m->n; i++)
        low = low || (y[i] > 0.0 && y[i] < ext);
    if (k >= 1 && low) {
        double dy[RG_MAX_STATE];
        rg_model_rhs(m, tk, y, dy);
        for (size_t i = 0; i < m->n; i++)
            if (y[i] < ext && !(m->inflow[i] > 0.0)) {
                r->changed = r->changed || y[i] != 0.0;
                y[i] = 0.0;
            }
    }
}

/* Step (3): the dosing sees t_k, the visits so far and B(t_k), and writes u. */
static int decide(sim_run *r, const rg_dosing *dosing, size_t k, double tk, double u[])
{
    rg_sim_workspace *w = r->w;
    rg_dose_view view = {.k = k,
                         .n_intervals = r->n_int,
                         .t = tk,
                         .b0 = r->b0,
                         .burden = w->vis_b[r->vs.n - 1],
                         .n_visits = r->vs.n,
                         .visit_t = w->vis_t,
                         .visit_burden = w->vis_b,
                         .restart = r->restart};
    for (size_t d = 0; d < r->m->nd; d++)
        u[d] = 0.0;
    return dosing->decide(dosing->state, &view, u);
}

/* Whether bolus drug d's slot falls at t_k: every bolus_every intervals from its cycle's
 * anchor (docs/model.md section 2). */
static bool bolus_due(const sim_run *r, size_t d, size_t k)
{
    return k >= r->anchor[d] && (k - r->anchor[d]) % r->bolus_every[d] == 0;
}

/* Step (4): the doses of interval k (boluses due at t_k, continuous levels) into the dose
 * bookkeeping and the interval's closed-form pharmacokinetics. A bolus drug whose cycle the
 * dosing restarted at t_k is anchored here first, so its bolus is due now. */
static void give_doses(sim_run *r, size_t k, double tk, const double u[])
{
    const rg_problem *p = r->p;
    rg_model *m = r->m;
    rg_sim_summary *out = r->out;
    rg_trajectory *traj = r->traj;
    double *c = r->c;
    double pa[RG_MAX_DRUGS], pb[RG_MAX_DRUGS];
    double tox = 0.0;
    for (size_t d = 0; d < m->nd; d++) {
        if (r->restart[d] && r->bolus_every[d])
            r->anchor[d] = k;
        r->restart[d] = false;
    }
    for (size_t d = 0; d < m->nd; d++) {
        double ud = u[d];
        if (!(ud >= 0.0))
            ud = 0.0; /* also NaN */
        if (ud > 1.0)
            ud = 1.0;
        /* only what is delivered counts and is recorded: a bolus drug's level off its
         * slots gives nothing (docs/model.md sections 2 and 7) */
        double given = !r->bolus_every[d] || bolus_due(r, d, k) ? ud : 0.0;
        tox += p->drugs[d].toxicity_weight * given;
        if (traj && traj->levels)
            traj->levels[d * traj->n_intervals + k] = given;
        if (r->bolus_every[d]) {
            if (bolus_due(r, d, k)) {
                r->changed = r->changed || ud > 0.0;
                c[d] += ud;
                out->cumulative_dose[d] += ud;
            }
            pa[d] = 0.0;
            pb[d] = c[d];
        } else {
            out->cumulative_dose[d] += ud * r->dt;
            r->changed = r->changed || ud != r->level[d];
            r->level[d] = ud;
            pa[d] = ud;
            pb[d] = m->kel[d] > 0.0 ? c[d] - ud : 0.0;
        }
    }
    if (k == 0 || tox > out->max_daily_toxicity)
        out->max_daily_toxicity = tox;
    /* a restart at t_k cuts the step in hand there: its record, under the old
     * pharmacokinetics */
    if (r->recording && r->changed)
        rg_dop853_settle(&r->w->dop, m, tk);
    rg_model_set_pk(m, tk, pa, pb);
    for (size_t d = 0; d < m->nd; d++)
        if (r->bolus_every[d] && bolus_due(r, d, k) && u[d] > 0.0)
            m->bolus_restart = true;
    m->smooth_continue = !r->changed;
}

/* Where the records of the interval starting at t_k begin, and the time and state its span
 * starts from: t_k, or the start of the step in hand when the integrator carries it across
 * t_k and its record is still held (stepper.h; it comes next). */
static void span_start(sim_run *r, double tk)
{
    const rg_dop853 *s = &r->w->dop;
    const rg_emergence *em = &r->w->em;
    const size_t ny = rg_model_nint(r->m);
    r->em_from = em->n;
    if (s->em_held && r->m->smooth_continue && s->pending && s->t_prev <= tk &&
        tk <= s->t_cur) {
        r->ts = s->t_prev;
        memcpy(r->ys, s->y_prev, ny * sizeof r->ys[0]);
    } else {
        r->ts = tk;
        memcpy(r->ys, r->y, ny * sizeof r->ys[0]);
    }
}

/* The evaluation has just ended at the visit out->t_end, inside or at the end of the interval
 * being integrated, which ends at t_int (docs/model.md section 8): a continuous drug's dose
 * stops there, and the emergence records end exactly there. When no recorded step ends on
 * t_end, the interval's span up to t_end is integrated and recorded again from its start. */
static int end_evaluation(sim_run *r, double t_int)
{
    rg_sim_summary *out = r->out;
    const double te = out->t_end;
    for (size_t d = 0; d < r->m->nd; d++)
        if (!r->bolus_every[d] && r->level[d] > 0.0 && t_int > te)
            out->cumulative_dose[d] -= r->level[d] * (t_int - te);
    if (!r->recording)
        return RG_OK;
    r->recording = false;
    rg_sim_workspace *w = r->w;
    rg_emergence *em = &w->em;
    rg_dop853 *s = &w->dop;
    s->em = NULL;
    s->em_held = false; /* a step run past t_end */
    size_t i = r->em_from;
    while (i < em->n && em->t1[i] < te)
        i++;
    if (i < em->n && em->t1[i] == te) {
        rg_emergence_truncate(em, i + 1);
        return RG_OK;
    }
    rg_emergence_truncate(em, r->em_from);
    if (!(te > r->ts))
        return RG_OK;
    double y[RG_MAX_STATE];
    memcpy(y, r->ys, rg_model_nint(r->m) * sizeof y[0]);
    const double t_max = s->t_max;
    const bool smooth = r->m->smooth_continue;
    s->em = em;
    s->pending = false;
    s->t_max = te;
    r->m->smooth_continue = false;
    int st =
        rg_dop853_interval(s, r->m, r->ts, te, y, 0, NULL, NULL, &r->steps, r->p->step_budget);
    s->em = NULL;
    s->pending = false; /* the next interval, if any, restarts from the first run's state */
    s->t_max = t_max;
    r->m->smooth_continue = smooth;
    return st;
}

/* Step (5): integrates to t_{k+1}; the visits inside are served by the integrator (and the
 * neutrophil stepping) and recorded. */
static int advance(sim_run *r, size_t k, double tk, rg_interval_fn integrate, void *ctx)
{
    rg_sim_workspace *w = r->w;
    rg_model *m = r->m;
    double *y = r->y;
    const size_t ny = m->ny;
    const double t1 = (double)(k + 1) * r->dt;
    size_t nvi = r->vpi - 1;
    for (size_t q = 0; q < nvi; q++)
        w->tv[q] = tk + (double)(q + 1) * r->dv;
    if (r->recording)
        span_start(r, tk);
    /* the step budget covers the integrator's steps and the neutrophil chain's together */
    const size_t budget = r->p->step_budget, fsteps = r->apart ? w->fri.steps : 0;
    int st = integrate(ctx, m, tk, t1, y, nvi, w->tv, w->yv, &r->steps,
                       budget > fsteps ? budget - fsteps : 0);
    if (st != RG_OK)
        return st;
    if (r->apart) {
        w->fri.budget = budget > r->steps ? budget - r->steps : 1;
        st = rg_friberg_advance_memo(&w->fri, &w->fmemo, k, m, tk, r->vpi, &y[m->ineut],
                                     &w->yv[m->ineut], ny);
        if (st != RG_OK)
            return st;
    }
    for (size_t q = 0; q < nvi; q++) {
        if (r->traj && r->traj->conc) /* only the trajectory records concentrations */
            rg_model_conc(m, w->tv[q], r->cv);
        bool was_on = !r->vs.ended;
        st = record_visit(w, m, &r->vs, r->traj, w->tv[q], &w->yv[q * ny], r->cv);
        if (st != RG_OK)
            return st;
        if (was_on && r->vs.ended) {
            st = end_evaluation(r, t1);
            if (st != RG_OK)
                return st;
        }
    }
    r->changed = false;
    for (size_t i = 0; i < m->n; i++)
        if (y[i] < 0.0) {
            y[i] = 0.0;
            r->changed = true;
        }
    rg_model_conc(m, t1, r->c);
    return RG_OK;
}

/* The summary's closing figures, after the last visit or a stop with status st. */
static void summary_finish(sim_run *r, int st)
{
    rg_sim_summary *out = r->out;
    const rg_model *m = r->m;
    const rg_emergence *em = &r->w->em;
    if (st == RG_OK && r->em_used && em->full)
        st = RG_EBUDGET; /* more steps than the records hold (docs/model.md section 6) */
    out->status = st;
    out->steps = r->steps;
    out->neut_steps = r->apart ? r->w->fri.steps : 0;
    out->rhs_evals = m->evals;
    if (st != RG_OK) {
        if (!isfinite(out->final_burden))
            out->final_burden = 0.0;
        if (!isfinite(out->resistant_burden))
            out->resistant_burden = 0.0;
        if (!isfinite(out->resistant_fraction))
            out->resistant_fraction = 0.0;
    }
    double L = r->em_used ? rg_emergence_hazard(em) : 0.0;
    out->hazard = (isfinite(L) && L > 0.0) ? L : 0.0;
    out->resistance_probability = -expm1(-out->hazard);
    if (!out->emerged)
        out->time_to_emergence = out->t_end;
    /* the maximum possible dose over [0, t_end): the intervals started before t_end (t_end is
     * a visit, so half a visit period separates it from any decision time it does not equal) */
    size_t started = 0;
    while (started < r->n_int && (double)started * r->dt < out->t_end - 0.5 * r->dv)
        started++;
    for (size_t d = 0; d < m->nd; d++) {
        double most = r->bolus_every[d]
                          ? (double)((started + r->bolus_every[d] - 1) / r->bolus_every[d])
                          : out->t_end;
        out->dose_intensity[d] = most > 0.0 ? out->cumulative_dose[d] / most : 0.0;
    }
    if (r->traj) {
        r->traj->n_on_protocol = r->vs.n_on;
        r->traj->t_end = out->t_end;
    }
}

/* The model compiled for p and everything a run needs before t = 0. */
static int run_setup(sim_run *r, const volatile sig_atomic_t *cancel, rg_interval_fn integrate,
                     void *ctx)
{
    rg_sim_workspace *w = r->w;
    const rg_problem *p = r->p;
    rg_model *m = r->m;
    int st = rg_model_compile(m, p);
    if (st != RG_OK)
        return st;
    m->cancel = cancel;
    /* the kernel's own integrator leaves the Friberg states to friberg.c (friberg.h) */
    r->apart = m->neut && integrate == rg_dop853_interval;
    m->neut_apart = r->apart;
    if (r->apart)
        rg_friberg_setup(&w->fri, m, p->visit_days);
    r->dt = p->decision_days;
    r->dv = p->visit_days;
    r->b0 = rg_problem_initial_burden(p);
    if (!(r->b0 > 0.0) || !isfinite(r->b0))
        return RG_EINVAL;
    st = dose_limits(r);
    if (st != RG_OK)
        return st;
    summary_start(r);
    r->em_used = false;
    if (ctx == &w->dop) {
        rg_dop853_setup(&w->dop, m, RG_KERNEL_RTOL, r->b0);
        w->dop.t_max = (double)r->n_int * r->dt;
        /* the workspace's records fit p's hazard clones (rg_sim_alloc) */
        if (m->n_haz > w->em.n_haz)
            return RG_EINVAL;
        r->em_used = m->n_haz > 0;
        rg_emergence_truncate(&w->em, 0);
        w->dop.em = r->em_used ? &w->em : NULL;
    }
    r->recording = r->em_used;
    state_start(r);
    return RG_OK;
}

int rg_sim_run_with(rg_sim_workspace *w, const rg_problem *p, const rg_dosing *dosing,
                    const volatile sig_atomic_t *cancel, rg_sim_summary *out,
                    rg_trajectory *traj, rg_interval_fn integrate, void *ctx)
{
    if (!w || !p || !dosing || !dosing->decide || !out || !integrate)
        return RG_EINVAL;
    sim_run r = {.w = w, .p = p, .m = &w->model, .out = out, .traj = traj};
    int st = check_sizes(w, p, traj, &r.n_int, &r.vpi);
    if (st != RG_OK)
        return st;
    st = run_setup(&r, cancel, integrate, ctx);
    if (st != RG_OK)
        return st;
    if (dosing->reset) {
        st = dosing->reset(dosing->state);
        if (st != RG_OK)
            return st;
    }
    double u[RG_MAX_DRUGS];
    for (size_t k = 0;; k++) {
        const double tk = (double)k * r.dt;
        /* (1) the visit at t_k, from the integrated state */
        bool was_on = !r.vs.ended;
        st = record_visit(w, r.m, &r.vs, traj, tk, r.y, r.c);
        if (st == RG_OK && was_on && r.vs.ended)
            st = end_evaluation(&r, tk);
        /* without a trajectory to draw, nothing after t_end is needed */
        if (st != RG_OK || k == r.n_int || (r.vs.ended && !traj))
            break;
        if (rg_model_canceled(r.m)) {
            st = RG_ECANCELED;
            break;
        }
        extinction(&r, k, tk);
        if (!r.vs.ended) {
            st = decide(&r, dosing, k, tk, u);
            if (st != RG_OK)
                return st;
        } else {
            for (size_t d = 0; d < r.m->nd; d++)
                u[d] = 0.0; /* off protocol: untreated after t_end (section 8) */
        }
        give_doses(&r, k, tk, u);
        st = advance(&r, k, tk, integrate, ctx);
        if (st != RG_OK)
            break;
    }
    summary_finish(&r, st);
    return st == RG_ECANCELED ? RG_ECANCELED : RG_OK;
}
