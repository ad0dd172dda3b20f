/* adaptive: dose-skipping adaptive therapy with burden thresholds relative to B(0)
 * (Gatenby, Silva, Gillies and Frieden 2009 Cancer Res 69:4894; Zhang, Cunningham, Brown
 * and Gatenby 2017 Nat Commun 8:1816: treat at MTD until PSA falls to half its initial
 * value, hold until it returns to the initial value). docs/model.md section 8:
 *   interval 0 is treated at `dose`;
 *   at t_k, k >= 1: while treating, stop when B(t_k) <= stop_below * B(0);
 *                   while holding, resume when B(t_k) >= resume_above * B(0);
 *   u = dose for every named drug while treating, 0 while holding;
 *   a resume at t_k (holding -> treating) restarts every named bolus drug's cycle there
 *   (v->restart, sim.h): the bolus is given at t_k, not at the next slot of the old grid. */
#include "regimen/regimens.h"

#include <math.h>

#include "regimen_check.h"

int rg_adaptive_check(const rg_problem *p, const rg_regimen *r)
{
    if (!rg_regimen_drugs_ok(p, r))
        return RG_EINVAL;
    if (!rg_regimen_fraction_ok(r->dose))
        return RG_EINVAL;
    if (!rg_regimen_nonneg_ok(r->stop_below))
        return RG_EINVAL;
    if (!rg_regimen_nonneg_ok(r->resume_above))
        return RG_EINVAL;
    return RG_OK;
}

void rg_adaptive_reset(rg_policy *pol)
{
    rg_policy_state_reset(pol, 1, 0.0);
}

int rg_adaptive_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_regimen *r = pol->regimen;
    if (!r || !v)
        return RG_EINVAL;
    if (v->k == 0) {
        pol->treating = 1;
    } else if (pol->treating) {
        if (v->burden <= r->stop_below * v->b0)
            pol->treating = 0;
    } else {
        if (v->burden >= r->resume_above * v->b0) {
            pol->treating = 1;
            if (v->restart)
                for (size_t j = 0; j < r->n_drugs; j++)
                    v->restart[r->drugs[j]] = true;
        }
    }
    rg_regimen_give(pol, r, pol->treating ? r->dose : 0.0, u);
    pol->last_burden = v->burden;
    return RG_OK;
}

/* docs/model.md section 8: a resume at t_r needs B(t_r) >= a B(0), and the visit at t_r is
 * recorded (and progression tested) before the policy decides. Under "initial" progression
 * holds at t_r when a >= f. Under "nadir" the stop at t_s < t_r had B(t_s) <= s B(0), so the
 * nadir before t_r is at most s B(0) and B(t_r) >= a B(0) >= f s B(0) >= f nadir when
 * f s <= a. Both also need B(t_r) >= min_cells, which a B(0) >= min_cells guarantees. */
bool rg_adaptive_can_resume(const rg_problem *p, const rg_regimen *r)
{
    if (!p || !r || r->policy != RG_POLICY_ADAPTIVE)
        return true;
    const double b0 = rg_problem_initial_burden(p);
    const double f = p->progression_factor, a = r->resume_above, s = r->stop_below;
    const double min_cells =
        p->progression_min_cells >= 0.0 ? p->progression_min_cells : p->extinction_cells;
    const bool above = p->progression_reference == RG_REF_NADIR ? f * s <= a : f <= a;
    return !(above && a * b0 >= min_cells);
}
