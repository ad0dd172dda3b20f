/* regimen: dosing policies, the regimens that choose the kernel's doses.
 *
 * A policy sees what a clinic sees at a decision time t_k (rg_dose_view, sim.h): the time,
 * the burden at every visit so far (t_0 included, the current visit last) and B(0); never
 * clone counts. It writes the level u[d] in [0, 1] (fraction of MTD) of every drug of the
 * problem for interval k.
 *
 * Policies are plain structs with all their state inside (no allocation). The kernel reaches
 * one through rg_policy_dosing, which calls rg_policy_reset() at t = 0 and rg_policy_decide()
 * at every t_k, in order. */
#ifndef REGIMEN_POLICY_H
#define REGIMEN_POLICY_H

#include <stddef.h>

#include "regimen/problem.h"
#include "regimen/sim.h"

/* A policy's view of a decision time is the kernel's. */
typedef rg_dose_view rg_policy_view;

/* Parameters of an evolved adaptive rule (docs/model.md section 8 "the parameters of an
 * adaptive rule"; docs/regimens.md gives the rule and the bounds). */
enum { RG_RULE_NPARAM_BASE = 5 };
typedef struct {
    double dose;         /* level while treating, (0, 1] */
    double stop_below;   /* stop when B <= stop_below * B(0) */
    double resume_above; /* resume when B >= resume_above * B(0) */
    double switch_rise;  /* switch to the next drug when B rose by more than this fraction
                             over one decision interval while treating */
    double min_dose;     /* levels below this are given as 0 */
    size_t n_drugs;
    int order[RG_MAX_DRUGS]; /* problem drug indices, first-line first */
} rg_rule_params;

typedef struct {
    rg_policy_kind kind;
    const rg_problem *problem;
    const rg_regimen *regimen; /* built-in regimens; NULL for schedule and rule */
    /* schedule: levels[j * n_intervals + k] for drug drugs[j]; caller-owned */
    const double *levels;
    size_t n_drugs;
    int drugs[RG_MAX_DRUGS];
    rg_rule_params rule;
    /* running state, reset by rg_policy_reset */
    int treating;       /* adaptive, rule: 1 while treating */
    double remembered;  /* dose_modulation: D */
    double last_burden; /* burden at the previous decision */
    size_t current;     /* rule: position in order */
} rg_policy;

/* Built-in regimen `r` of problem `p`. RG_EINVAL if the regimen is malformed. */
int rg_policy_init_regimen(rg_policy *pol, const rg_problem *p, const rg_regimen *r);

/* Open-loop schedule: levels[j * n_intervals + k] for drug drugs[j], j < n_drugs; the
 * array is caller-owned and must outlive the policy. Drugs not named get 0. */
int rg_policy_init_schedule(rg_policy *pol, const rg_problem *p, size_t n_drugs,
                            const int drugs[], const double levels[]);

/* Phantom doses of a `fixed` regimen r: the decision intervals k where its drug j (a bolus
 * drug) has a nonzero level but no bolus slot (k not a multiple of dosing_interval_days /
 * decision_days, docs/model.md section 2), so nothing is delivered. Returns their number and
 * sets *first (may be NULL) to the first of them; 0 for other policies, continuous drugs and
 * j >= r->n_drugs. */
size_t rg_policy_phantom_doses(const rg_problem *p, const rg_regimen *r, size_t j,
                               size_t *first);

/* Evolved adaptive rule. RG_EINVAL if a parameter is out of its documented bounds. */
int rg_policy_init_rule(rg_policy *pol, const rg_problem *p, const rg_rule_params *rule);

void rg_policy_reset(rg_policy *pol);

/* Points pol (an rg_policy *, as void * to serve as an rg_dosing_bind) at patient p of a
 * cohort: p has the structure of the problem pol was made for (docs/model.md section 13),
 * and a built-in regimen is taken from p's own list. RG_EINVAL on NULL. */
int rg_policy_bind(void *pol, const rg_problem *p);

/* Writes u[0 .. p->n_drugs - 1] for interval v->k. */
int rg_policy_decide(rg_policy *pol, const rg_policy_view *v, double u[]);

/* The kernel's dosing callback over pol (reset: rg_policy_reset, decide: rg_policy_decide).
 * pol must outlive every run given the result. */
rg_dosing rg_policy_dosing(rg_policy *pol);

#endif
