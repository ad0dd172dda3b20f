/* regimen: the tumour-model kernel (model.md sections 1-8 and 10).
 *
 * rg_sim_run simulates one problem under one policy from t = 0 to the horizon. It is a pure,
 * re-entrant function of (problem, policy) with a caller-owned workspace: it allocates
 * nothing and touches no global state. Populations handed out are never negative and no
 * NaN escapes: a non-finite value or an exhausted step budget ends the run with a flag. */
#ifndef REGIMEN_SIM_H
#define REGIMEN_SIM_H

#include <stdbool.h>
#include <stddef.h>

#include "regimen/policy.h"
#include "regimen/problem.h"

typedef struct rg_sim_workspace rg_sim_workspace;

/* Workspace sized for problem p (and any problem with no more clones, drugs and visits).
 * NULL when out of memory. Caller frees with rg_sim_free. */
rg_sim_workspace *rg_sim_alloc(const rg_problem *p);
void rg_sim_free(rg_sim_workspace *w);

/* What one run yields, in natural units. */
typedef struct {
    int status;               /* RG_OK, RG_EBUDGET or RG_ENUMERIC */
    bool progressed;          /* false: TTP censored at the horizon */
    double ttp;               /* days: time of the progression visit, or horizon */
    bool emerged;
    double time_to_emergence; /* days: first visit with R >= emergence_cells, or horizon */
    double final_burden;      /* B(H) */
    double resistant_burden;  /* R(H) */
    double hazard;            /* L(H) */
    double resistance_probability; /* 1 - exp(-L(H)) */
    double neutrophil_nadir;  /* min over visits of Circ; circ0 scale; NAN-free: +inf when
                                 the neutrophil model is off */
    double cumulative_dose[RG_MAX_DRUGS]; /* MTD-days (continuous) or MTD boluses (bolus) */
    double dose_intensity[RG_MAX_DRUGS];  /* cumulative / maximum possible */
    double max_daily_toxicity;            /* max over intervals of sum_d w_d u_d,k */
    size_t steps;             /* integrator steps taken (accepted + rejected) */
    size_t rhs_evals;
} rg_sim_summary;

/* Per-visit trajectory, caller-owned. Arrays of length n_visits (rg_problem_n_visits);
 * clones[i * n_visits + v], conc[d * n_visits + v], levels[d * n_intervals + k].
 * Any pointer may be NULL to skip that part. */
typedef struct {
    size_t n_visits, n_intervals;
    double *t;
    double *burden;
    double *resistant;
    double *clones;
    double *conc;
    double *anc;              /* Circ at visits when neutrophils are enabled */
    double *levels;           /* the doses the policy chose */
} rg_trajectory;

/* Runs the model. Returns RG_OK when the summary is valid (its own status may still flag
 * RG_EBUDGET/RG_ENUMERIC: the evaluation is then infeasible but the call succeeded), or
 * RG_EINVAL when the workspace is too small for p or the policy fails. traj may be NULL. */
int rg_sim_run(rg_sim_workspace *w, const rg_problem *p, rg_policy *pol,
               rg_sim_summary *out, rg_trajectory *traj);

/* Allocates trajectory arrays for p (every part); caller frees with rg_trajectory_free. */
int rg_trajectory_alloc(rg_trajectory *traj, const rg_problem *p);
void rg_trajectory_free(rg_trajectory *traj);

#endif
