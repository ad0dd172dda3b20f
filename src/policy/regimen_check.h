/* Internal: the parameter checks shared by the per-kind regimen checks (metronomic.c,
 * adaptive.c, dose_modulation.c); not installed. Each returns 1 when the value is valid. */
#ifndef REGIMEN_POLICY_REGIMEN_CHECK_H
#define REGIMEN_POLICY_REGIMEN_CHECK_H

#include <math.h>
#include <stddef.h>

#include "regimen/regimens.h"

/* p and r given, and r names 1 .. p->n_drugs drugs, each an index of a drug of p. */
static inline int rg_regimen_drugs_ok(const rg_problem *p, const rg_regimen *r)
{
    if (!p || !r || r->n_drugs == 0 || r->n_drugs > p->n_drugs)
        return 0;
    for (size_t j = 0; j < r->n_drugs; j++)
        if (r->drugs[j] < 0 || (size_t)r->drugs[j] >= p->n_drugs)
            return 0;
    return 1;
}

/* x finite and in [0, 1]. */
static inline int rg_regimen_fraction_ok(double x)
{
    return isfinite(x) && x >= 0.0 && x <= 1.0;
}

/* x finite and >= 0. */
static inline int rg_regimen_nonneg_ok(double x)
{
    return isfinite(x) && x >= 0.0;
}

#endif
