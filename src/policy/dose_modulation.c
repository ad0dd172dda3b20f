/* dose_modulation: adaptive dose modulation (Enriquez-Navas et al. 2016 Sci Transl Med
 * 8:327ra24, "AT-1": raise the dose when the tumour grows, lower it when it shrinks, skip
 * when it is small). docs/model.md section 8, with D = pol->remembered:
 *   k = 0:  D = dose (no previous decision to compare with);
 *   k >= 1, with B = B(t_k) and B' = B(t_{k-1}) (the burden at the previous decision):
 *     if D = 0 (it fell below min_dose) and B > (1 + rise) B':  D = dose   (restart)
 *     else if B > (1 + rise) B':  D *= 1 + step
 *     else if B < (1 - fall) B':  D *= 1 - step
 *     then D is clipped to [0, 1], and D < min_dose sets D = 0;
 *   u = 0 while B(t_k) < skip_below * B(0), else u = D, for every named drug.
 * D is updated at every decision, skipped or not. */
#include "regimen/regimens.h"

#include <math.h>

#include "regimen_check.h"

int rg_dose_modulation_check(const rg_problem *p, const rg_regimen *r)
{
    if (!rg_regimen_drugs_ok(p, r))
        return RG_EINVAL;
    if (!rg_regimen_fraction_ok(r->dose))
        return RG_EINVAL;
    if (!rg_regimen_nonneg_ok(r->rise))
        return RG_EINVAL;
    /* fall > 1 is a rule that never lowers D (docs/model.md section 8: no upper bound, none in 0) */
    if (!rg_regimen_nonneg_ok(r->fall))
        return RG_EINVAL;
    if (!rg_regimen_fraction_ok(r->step))
        return RG_EINVAL;
    if (!rg_regimen_fraction_ok(r->min_dose))
        return RG_EINVAL;
    if (!rg_regimen_nonneg_ok(r->skip_below))
        return RG_EINVAL;
    return RG_OK;
}

void rg_dose_modulation_reset(rg_policy *pol)
{
    const rg_regimen *r = pol->regimen;
    rg_policy_state_reset(pol, 1, r ? r->dose : 0.0);
}

static double clip_dose(double d, double min_dose)
{
    if (d > 1.0)
        d = 1.0;
    if (!(d >= min_dose) || d <= 0.0)
        d = 0.0;
    return d;
}

int rg_dose_modulation_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_regimen *r = pol->regimen;
    if (!r || !v)
        return RG_EINVAL;
    double D = pol->remembered;
    if (v->k == 0) {
        D = r->dose;
    } else {
        double prev = pol->last_burden;
        if (v->burden > (1.0 + r->rise) * prev)
            D = D > 0.0 ? D * (1.0 + r->step) : r->dose;
        else if (v->burden < (1.0 - r->fall) * prev)
            D *= 1.0 - r->step;
    }
    D = clip_dose(D, r->min_dose);
    pol->remembered = D;
    pol->treating = !(v->burden < r->skip_below * v->b0);
    rg_regimen_give(pol, r, pol->treating ? D : 0.0, u);
    pol->last_burden = v->burden;
    return RG_OK;
}
