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
    rg_policy_state_reset(pol, 1, 0.0);
}

int rg_metronomic_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_regimen *r = pol->regimen;
    if (!r || !v)
        return RG_EINVAL;
    rg_regimen_give(pol, r, r->level, u);
    pol->last_burden = v->burden;
    return RG_OK;
}
