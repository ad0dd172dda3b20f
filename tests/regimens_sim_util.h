/* Helpers shared by test_regimens_sim.c and test_regimens_outcomes.c (header-only: each
 * test file is its own executable). */
#ifndef RG_REGIMENS_SIM_UTIL_H
#define RG_REGIMENS_SIM_UTIL_H

#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/regimens.h"
#include "regimen/sim.h"

static const double B0 = 2.385e9;

/* One clone "s" (growth r) and n_drugs drugs with half_life 0 and linear kill emax[d]. */
static inline rg_problem *exponential_model(double r, size_t n_drugs, const double emax[],
                                            double horizon, double decision)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    snprintf(p->name, sizeof p->name, "exponential");
    p->horizon_days = horizon;
    p->decision_days = decision;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e30;
    p->extinction_cells = 1.0;
    p->emergence_cells = 1e300;
    p->progression_min_cells = 1.0;
    p->progression_factor = 50.0;
    p->n_clones = 1;
    strcpy(p->clones[0].name, "s");
    p->clones[0].cells = B0;
    p->clones[0].growth_rate = r;
    p->clones[0].carrying_capacity = 1e30;
    p->n_drugs = n_drugs;
    for (size_t d = 0; d < n_drugs; d++) {
        snprintf(p->drugs[d].name, RG_NAME_MAX, "drug%zu", d);
        p->drugs[d].half_life_days = 0.0;
        p->drugs[d].effect = RG_EFFECT_LINEAR;
        p->drugs[d].emax = emax[d];
        p->drugs[d].ec50 = 1.0;
    }
    return p;
}

static inline rg_regimen *add_regimen(rg_problem *p, const char *name, rg_policy_kind kind,
                                      size_t n_drugs, const int drugs[])
{
    rg_regimen *reg = &p->regimens[p->n_regimens++];
    snprintf(reg->name, RG_NAME_MAX, "%s", name);
    reg->policy = kind;
    reg->n_drugs = n_drugs;
    for (size_t j = 0; j < n_drugs; j++)
        reg->drugs[j] = drugs[j];
    return reg;
}

typedef struct {
    rg_sim_workspace *w;
    rg_trajectory traj;
    rg_sim_summary s;
} run_out;

static inline void run_policy(const rg_problem *p, rg_policy *pol, run_out *o)
{
    o->w = rg_sim_alloc(p);
    assert_non_null(o->w);
    assert_int_equal(rg_trajectory_alloc(&o->traj, p), RG_OK);
    rg_dosing dose = rg_policy_dosing(pol);
    assert_int_equal(rg_sim_run(o->w, p, &dose, NULL, &o->s, &o->traj), RG_OK);
    assert_int_equal(o->s.status, RG_OK);
}

static inline void run_regimen(const rg_problem *p, size_t r, run_out *o)
{
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[r]), RG_OK);
    run_policy(p, &pol, o);
}

static inline void run_free(run_out *o)
{
    rg_trajectory_free(&o->traj);
    rg_sim_free(o->w);
}

/* Burdens against the closed form at the kernel's accuracy contract (docs/model.md section 10:
 * 1e-6 relative; the 1e-9 B(0) absolute part is not needed on these paths). Threshold
 * crossings keep a margin far above it, so the decisions cannot depend on rounding. */
#define BURDEN_RTOL 1e-6
#define THRESHOLD_MARGIN 1e-4

/* The kernel's levels and visit burdens against the hand computation: levels exactly,
 * burdens against B(0) exp(log_b) to BURDEN_RTOL. want[d * ni + k]. */
static inline void check_run(const rg_problem *p, const run_out *o, const double *want,
                             const double *log_b /* per decision, ni + 1 */)
{
    size_t ni = rg_problem_n_intervals(p);
    size_t per = (size_t)llround(p->decision_days / p->visit_days);
    for (size_t d = 0; d < p->n_drugs; d++)
        for (size_t k = 0; k < ni; k++) {
            if (o->traj.levels[d * ni + k] != want[d * ni + k])
                print_error("drug %zu interval %zu: kernel %.17g, by hand %.17g\n", d, k,
                            o->traj.levels[d * ni + k], want[d * ni + k]);
            assert_close(o->traj.levels[d * ni + k], want[d * ni + k], 1e-15, 0);
        }
    for (size_t k = 0; k <= ni; k++)
        assert_close(o->traj.burden[k * per], B0 * exp(log_b[k]), BURDEN_RTOL, 0);
}

/* Margin (in log burden) a threshold crossing must keep for the kernel's error not to
 * matter: far above BURDEN_RTOL. */
static inline void assert_margin(double log_b, double log_threshold)
{
    assert_true(fabs(log_b - log_threshold) > THRESHOLD_MARGIN);
}

#endif
