/* Helpers shared by test_sim.c and test_sim_closed_forms.c (header-only: each test file is
 * its own executable). */
#ifndef RG_SIM_TEST_UTIL_H
#define RG_SIM_TEST_UTIL_H

#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/sim.h"
#include "regimen/stepper.h"

/* One clone, no drugs, grid of `horizon` days with decisions every `dt`, daily visits. The
 * dynamics are followed to the horizon: no progression ends the evaluation (the factor is
 * out of reach; tests of progression set their own). */
static inline rg_problem *base_problem(double horizon, double dt)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = horizon;
    p->decision_days = dt;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e300;
    p->n_clones = 1;
    strcpy(p->clones[0].name, "tumour");
    p->clones[0].cells = 1234.5;
    p->clones[0].growth_rate = 0.2385;
    p->progression_factor = 1e300;
    return p;
}

static inline int add_drug(rg_problem *p, const char *name, double half_life)
{
    size_t d = p->n_drugs++;
    snprintf(p->drugs[d].name, sizeof p->drugs[d].name, "%s", name);
    p->drugs[d].half_life_days = half_life;
    return (int)d;
}

/* Runs p under `levels` (all drugs, [d * n_int + k]) with a fresh workspace; *continued (when
 * not NULL) gets the decision times the integrator stepped over without a restart. */
static inline void run_levels_counting(const rg_problem *p, const double *levels,
                                       rg_sim_summary *s, rg_trajectory *tr, size_t *continued)
{
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    assert_int_equal(rg_trajectory_alloc(tr, p), RG_OK);
    int drugs[RG_MAX_DRUGS];
    for (size_t d = 0; d < p->n_drugs; d++)
        drugs[d] = (int)d;
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, p->n_drugs, drugs, levels), RG_OK);
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, s, tr), RG_OK);
    if (continued)
        *continued = rg_sim_integrator(w)->n_continued;
    rg_sim_free(w);
}

static inline void run_levels(const rg_problem *p, const double *levels, rg_sim_summary *s,
                              rg_trajectory *tr)
{
    run_levels_counting(p, levels, s, tr, NULL);
}

static inline double *const_levels(const rg_problem *p, double u)
{
    size_t ni = rg_problem_n_intervals(p), nd = p->n_drugs ? p->n_drugs : 1;
    double *lv = malloc(nd * ni * sizeof *lv);
    for (size_t q = 0; q < nd * ni; q++)
        lv[q] = u;
    return lv;
}

#endif
