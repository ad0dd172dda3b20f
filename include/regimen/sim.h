/* regimen: the tumour-model kernel (docs/model.md sections 1-8 and 10).
 *
 * rg_sim_run simulates one problem under one dosing from t = 0 to the end of the evaluation
 * (progression or the horizon; docs/model.md section 8). It is a pure,
 * re-entrant function of (problem, dosing) with a caller-owned workspace: it allocates
 * nothing and touches no global state. Populations handed out are never negative and no
 * NaN escapes: a non-finite value or an exhausted step budget ends the run with a flag.
 *
 * The kernel knows nothing of how doses are chosen: it calls back into an rg_dosing (a
 * function table and its state, as GSL's stepper calls a gsl_odeiv2_system), and the policy
 * layer wraps its regimens as one (rg_policy_dosing, policy.h). */
#ifndef REGIMEN_SIM_H
#define REGIMEN_SIM_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "regimen/problem.h"

/* What the dosing sees at a decision time t_k: what a clinic sees, the time, the burden at
 * every visit so far (t_0 included, the current visit last) and B(0); never clone counts.
 * The arrays belong to the kernel and are valid during the decide call only.
 *
 * restart is the one output of the view (docs/model.md section 2, "cycle anchor"): an array
 * of the problem's n_drugs flags, all false when decide is called. Setting restart[d] for a
 * bolus drug d restarts its cycle at t_k: a bolus of level u[d] is given at t_k and the next
 * ones every dosing_interval_days after it, instead of on the grid of the drug's last anchor
 * (t = 0 at first). The flag is ignored for a continuous drug. restart may be NULL (a view
 * built outside the kernel): a dosing then leaves the cycles alone. */
typedef struct {
    size_t k; /* decision interval index, 0-based */
    size_t n_intervals;
    double t;              /* t_k, days */
    double b0;             /* B(0) */
    double burden;         /* B(t_k) (also visit_burden[n_visits - 1]) */
    size_t n_visits;       /* visits recorded so far, t_0 .. t_k */
    const double *visit_t; /* days */
    const double *visit_burden;
    bool *restart; /* output: restart[d] restarts bolus drug d's cycle at t_k; may be NULL */
} rg_dose_view;

/* The source of doses of one run. The kernel calls reset(state) once at t = 0 (reset may be
 * NULL when there is nothing to reset), then decide(state, view, u) at every decision time
 * t_0, t_1, ... in order. decide writes u[d], the level of drug d of the problem in [0, 1]
 * (fraction of MTD) for interval view->k; u arrives zeroed, and the kernel clips what comes
 * back to [0, 1] (NaN as 0); it may also set v->restart[d] (rg_dose_view). Both return
 * RG_OK or a negative rg_status, which ends the run and is returned by rg_sim_run. state is
 * the caller's; the kernel only passes it on. */
typedef struct {
    int (*reset)(void *state);
    int (*decide)(void *state, const rg_dose_view *v, double u[]);
    void *state;
} rg_dosing;

typedef struct rg_sim_workspace rg_sim_workspace;

/* Workspace sized for problem p (and any problem with no more clones, drugs and visits).
 * NULL when out of memory. Caller frees with rg_sim_free. */
rg_sim_workspace *rg_sim_alloc(const rg_problem *p);
void rg_sim_free(rg_sim_workspace *w);

/* What one run yields, in natural units. The evaluation ends at t_end, the progression visit
 * or the horizon, and every outcome below covers [0, t_end] (docs/model.md section 8). */
typedef struct {
    int status;      /* RG_OK, RG_EBUDGET, RG_ENUMERIC or RG_ECANCELED */
    bool progressed; /* false: TTP censored at the horizon */
    double ttp;      /* days: time of the progression visit, or horizon */
    double t_end;    /* days: ttp (the same number; the name says what the outcomes read) */
    bool emerged;
    double time_to_emergence;      /* days: first visit with R >= emergence_cells, or t_end */
    double final_burden;           /* B(t_end) */
    double resistant_burden;       /* R(t_end) */
    double resistant_fraction;     /* R / B at t_end; 0 when B = 0 */
    double hazard;                 /* L: expected de novo lineages alive at t_end (section 6) */
    double resistance_probability; /* 1 - exp(-L) */
    double neutrophil_nadir;       /* min over visits of Circ; circ0 scale; NAN-free: +inf when
                                 the neutrophil model is off */
    double cumulative_dose[RG_MAX_DRUGS]; /* MTD-days (continuous) or MTD boluses (bolus) */
    double dose_intensity[RG_MAX_DRUGS];  /* cumulative / maximum possible over [0, t_end) */
    double max_daily_toxicity;            /* max over intervals of sum_d w_d u_d,k */
    size_t steps;                         /* integrator steps taken (accepted + rejected) */
    size_t rhs_evals;
    size_t neut_steps; /* the neutrophil chain's steps (friberg.h); with steps, within the
                        * step budget */
} rg_sim_summary;

/* Per-visit trajectory, caller-owned. Arrays of length n_visits (rg_problem_n_visits);
 * clones[i * n_visits + v], conc[d * n_visits + v], levels[d * n_intervals + k].
 * Any pointer may be NULL to skip that part. The run fills every visit to the horizon: after
 * t_end it goes on untreated (docs/model.md section 8), and n_on_protocol says how many
 * visits (from t_0) lie on [0, t_end]. */
typedef struct {
    size_t n_visits, n_intervals;
    size_t n_on_protocol; /* set by the run */
    double t_end;         /* set by the run */
    double *t;
    double *burden;
    double *resistant;
    double *clones;
    double *conc;
    double *anc;    /* Circ at visits when neutrophils are enabled */
    double *levels; /* the levels given (0 after t_end) */
} rg_trajectory;

/* Runs the model under `dosing`. Returns RG_OK when the summary is valid (its own status may
 * still flag RG_EBUDGET/RG_ENUMERIC: the evaluation is then infeasible but the call
 * succeeded), RG_EINVAL when the workspace is too small for p, or the status of a failing
 * dosing callback. traj may be NULL.
 *
 * cancel (NULL: never) is read once per accepted integrator step, once per neutrophil
 * sub-step and at every decision time; a signal handler may set it. When it is nonzero the
 * run ends promptly and returns RG_ECANCELED, with out->status RG_ECANCELED: the summary
 * then covers only the time simulated so far and is no result. */
int rg_sim_run(rg_sim_workspace *w, const rg_problem *p, const rg_dosing *dosing,
               const volatile sig_atomic_t *cancel, rg_sim_summary *out, rg_trajectory *traj);

/* Points a dosing's state at another patient before its run (rg_sim_run_batch): the
 * policy layer's rg_policy_bind. Returns RG_OK or a negative rg_status. */
typedef int (*rg_dosing_bind)(void *state, const rg_problem *patient);

/* One dosing on n patients of a cohort (docs/model.md section 13), in order, sharing the
 * workspace w (sized for any of them: they differ in values only) and allocating nothing:
 * for each i, bind(dosing->state, patients[i]) when bind is set, then rg_sim_run into
 * out[i]. Returns RG_OK, or the first failing call's status (the later summaries are then
 * not written). */
int rg_sim_run_batch(rg_sim_workspace *w, size_t n, const rg_problem *const patients[],
                     const rg_dosing *dosing, rg_dosing_bind bind,
                     const volatile sig_atomic_t *cancel, rg_sim_summary out[]);

/* Allocates trajectory arrays for p (every part); caller frees with rg_trajectory_free. */
int rg_trajectory_alloc(rg_trajectory *traj, const rg_problem *p);
void rg_trajectory_free(rg_trajectory *traj);

#endif
