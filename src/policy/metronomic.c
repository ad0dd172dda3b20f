/* metronomic: continuous low-dose therapy, u = `level` for every named drug on every
 * interval (Hanahan, Bergers and Bergsland 2000 J Clin Invest; Browder et al. 2000 Cancer
 * Res; Kerbel and Kamen 2004 Nat Rev Cancer). docs/regimens.md states the rule. */
#include "regimen/regimens.h"

#include <math.h>

#include "regimen_check.h"

int rg_metronomic_check(const rg_problem *p, const rg_regimen *r)
{
    if (!rg_regimen_drugs_ok(p, r))
        return RG_EINVAL;
    if (!rg_regimen_fraction_ok(r->level))
        return RG_EINVAL;
    return RG_OK;
}

void rg_metronomic_reset(rg_policy *pol)
{
    pol->treating = 1;
    pol->remembered = 0.0;
    pol->last_burden = 0.0;
    pol->current = 0;
}

int rg_metronomic_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_regimen *r = pol->regimen;
    if (!r || !v)
        return RG_EINVAL;
    for (size_t d = 0; d < pol->problem->n_drugs; d++)
        u[d] = 0.0;
    for (size_t j = 0; j < r->n_drugs; j++)
        u[r->drugs[j]] = r->level;
    pol->last_burden = v->burden;
    return RG_OK;
}
