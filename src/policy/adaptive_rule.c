/* adaptive_rule: the evolved feedback policy (encoding = "adaptive_rule"). It generalises
 * dose-skipping adaptive therapy (Gatenby et al. 2009; Zhang et al. 2017) with evolvable
 * thresholds and dose, and adds sequential drug switching on failure, the clinical
 * second-line rule (change drug when the burden rises under treatment). docs/regimens.md
 * states the rule and the bounds; with p = pol->rule, B = B(t_k), B' = B(t_{k-1}):
 *   k = 0:  treating, current drug = order[0];
 *   k >= 1: if treating and the current drug was given at a level > 0 on interval k - 1
 *             and n_drugs > 1 and B > (1 + switch_rise) B':  current = next in order
 *             (after the last drug of the order comes the first again);
 *           then, while treating: stop when B <= stop_below B(0);
 *                 while holding: resume when B >= resume_above B(0);
 *   u[order[current]] = dose while treating (0 if dose < min_dose), every other drug 0;
 *   when that drug starts at t_k (given now, and not given on interval k - 1: a resume or a
 *   switch), its bolus cycle restarts at t_k (v->restart, sim.h), as `adaptive` does. */
#include "regimen/regimens.h"

#include <math.h>
#include <string.h>

/* dose, stop_below, resume_above, switch_rise, min_dose */
const double rg_rule_lower[RG_RULE_NPARAM_BASE] = {0.05, 0.0, 0.0, 0.0, 0.0};
const double rg_rule_upper[RG_RULE_NPARAM_BASE] = {1.0, 1.0, 2.0, 1.0, 0.5};

int rg_rule_check(const rg_problem *p, const rg_rule_params *rule)
{
    if (!p || !rule)
        return RG_EINVAL;
    const double x[RG_RULE_NPARAM_BASE] = {rule->dose, rule->stop_below, rule->resume_above,
                                           rule->switch_rise, rule->min_dose};
    for (size_t i = 0; i < RG_RULE_NPARAM_BASE; i++)
        if (!isfinite(x[i]) || x[i] < rg_rule_lower[i] || x[i] > rg_rule_upper[i])
            return RG_EINVAL;
    if (rule->n_drugs == 0 || rule->n_drugs > p->n_drugs || rule->n_drugs > RG_MAX_DRUGS)
        return RG_EINVAL;
    bool seen[RG_MAX_DRUGS] = {false};
    for (size_t j = 0; j < rule->n_drugs; j++) {
        int d = rule->order[j];
        if (d < 0 || (size_t)d >= p->n_drugs || seen[d])
            return RG_EINVAL;
        seen[d] = true;
    }
    return RG_OK;
}

int rg_policy_init_rule(rg_policy *pol, const rg_problem *p, const rg_rule_params *rule)
{
    if (!pol)
        return RG_EINVAL;
    int rc = rg_rule_check(p, rule);
    if (rc != RG_OK)
        return rc;
    memset(pol, 0, sizeof *pol);
    pol->kind = RG_POLICY_ADAPTIVE_RULE;
    pol->problem = p;
    pol->regimen = NULL;
    pol->levels = NULL;
    pol->rule = *rule;
    pol->n_drugs = rule->n_drugs;
    for (size_t j = 0; j < rule->n_drugs; j++)
        pol->drugs[j] = rule->order[j];
    rg_rule_reset(pol);
    return RG_OK;
}

void rg_rule_reset(rg_policy *pol)
{
    rg_policy_state_reset(pol, 1, 0.0); /* remembered: the level given last interval */
}

int rg_rule_decide(rg_policy *pol, const rg_policy_view *v, double u[])
{
    const rg_rule_params *q = &pol->rule;
    if (!v || q->n_drugs == 0)
        return RG_EINVAL;
    const size_t before = pol->current;
    const double given_before = pol->remembered;
    if (v->k == 0) {
        pol->treating = 1;
        pol->current = 0;
    } else {
        if (pol->treating && pol->remembered > 0.0 && q->n_drugs > 1 &&
            v->burden > (1.0 + q->switch_rise) * pol->last_burden)
            pol->current = (pol->current + 1) % q->n_drugs;
        if (pol->treating) {
            if (v->burden <= q->stop_below * v->b0)
                pol->treating = 0;
        } else if (v->burden >= q->resume_above * v->b0) {
            pol->treating = 1;
        }
    }
    double level = pol->treating && q->dose >= q->min_dose ? q->dose : 0.0;
    for (size_t d = 0; d < pol->problem->n_drugs; d++)
        u[d] = 0.0;
    u[q->order[pol->current]] = level;
    if (v->restart && level > 0.0 && (!(given_before > 0.0) || pol->current != before))
        v->restart[q->order[pol->current]] = true;
    pol->remembered = level;
    pol->last_burden = v->burden;
    return RG_OK;
}
