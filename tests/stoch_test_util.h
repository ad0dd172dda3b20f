/* Helpers shared by the stochastic mode's tests (header-only: each test file is its own
 * executable). */
#ifndef RG_STOCH_TEST_UTIL_H
#define RG_STOCH_TEST_UTIL_H

#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/problem.h"
#include "regimen/sim.h"
#include "regimen/stochastic.h"
#include "regimen/status.h"

/* Replicates of the statistical checks: RG_STOCH_REPLICATES (a definition the sanitizer
 * build sets, tests/test_stochastic*.cmake) or 2000. */
#ifndef RG_STOCH_REPLICATES
#define RG_STOCH_REPLICATES 2000
#endif

/* z of the two-sided 99% normal interval */
#define RG_Z99 2.5758293035489

/* A dosing that gives nothing. */
static inline int zero_decide(void *state, const rg_dose_view *v, double u[])
{
    (void)state;
    (void)v;
    (void)u;
    return RG_OK;
}

static inline rg_dosing zero_dosing(void)
{
    rg_dosing d = {.reset = NULL, .decide = zero_decide, .state = NULL};
    return d;
}

/* One clone of `cells` cells growing at b and dying at d per day, untreated, for T days
 * (decisions every T/4, daily visits), never progressing. */
static inline rg_problem *bd_problem(double cells, double b, double d, double T)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = T;
    p->decision_days = T / 4.0;
    p->visit_days = 1.0;
    p->carrying_capacity = 1e300;
    p->progression_factor = 1e300;
    p->emergence_cells = 1e300;
    p->n_clones = 1;
    strcpy(p->clones[0].name, "clone");
    p->clones[0].cells = cells;
    p->clones[0].growth_rate = b;
    p->clones[0].death_rate = d;
    return p;
}

/* Asserts that the probability P lies in the 99% Wilson interval of k in n. */
static inline void assert_in_interval(const char *what, size_t k, size_t n, double P)
{
    double lo, hi;
    rg_stoch_wilson(k, n, RG_Z99, &lo, &hi);
    print_message("%s: %zu of %zu = %.4f, 99%% [%.4f, %.4f]; expected %.4f\n", what, k, n,
                  (double)k / (double)n, lo, hi, P);
    assert_true(P >= lo && P <= hi);
}

#endif
