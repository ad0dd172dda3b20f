/* regimen: the feedback and low-dose regimens of docs/model.md section 8 (metronomic, adaptive,
 * dose_modulation) and the evolved adaptive rule. docs/regimens.md states each rule exactly
 * with its literature source.
 *
 * These are the per-kind halves of the policy dispatcher (policy.c): rg_policy_init_regimen,
 * rg_policy_reset and rg_policy_decide call them for their kinds. Each kind has
 *   check:  validates the parameters (RG_EINVAL when out of bounds); no state touched;
 *   reset:  sets the running state in the rg_policy for t = 0;
 *   decide: writes u[0 .. p->n_drugs - 1] for interval v->k (every drug of the problem: the
 *           regimen's drugs get the level, all others 0) and advances the running state.
 * A policy reads only v->k, v->b0, v->burden and the visit history of the view: never clone
 * counts. Decide must be called once per interval, in order, after reset. */
#ifndef REGIMEN_REGIMENS_H
#define REGIMEN_REGIMENS_H

#include "regimen/policy.h"
#include "regimen/problem.h"

/* The running state of rg_policy set for t = 0: treating flag, remembered dose, no last
 * burden, first drug of the order. Every kind's reset is this with its own two values. */
void rg_policy_state_reset(rg_policy *pol, int treating, double remembered);

/* Whether the regimen's j-th drug has a bolus slot at interval k when r runs open loop
 * (docs/model.md section 2): a bolus drug every dosing_interval_days from day 0, or every
 * r->dosing_interval_days for a fixed regimen that sets it; a continuous drug at every k.
 * A level of a bolus drug on an interval without a slot is never given. False when j or
 * the intervals are out of range. */
bool rg_regimen_bolus_slot(const rg_problem *p, const rg_regimen *r, size_t j, size_t k);

/* u[d] = level for every drug the regimen names, 0 for every other drug of the problem. */
void rg_regimen_give(const rg_policy *pol, const rg_regimen *r, double level, double u[]);

/* metronomic: u = level on every interval for every named drug. */
int rg_metronomic_check(const rg_problem *p, const rg_regimen *r);
void rg_metronomic_reset(rg_policy *pol);
int rg_metronomic_decide(rg_policy *pol, const rg_policy_view *v, double u[]);

/* adaptive (dose-skipping; Gatenby et al. 2009, Zhang et al. 2017): interval 0 is treated
 * at `dose`; at every later decision, while treating it stops when B(t_k) <= stop_below B(0),
 * while holding it resumes when B(t_k) >= resume_above B(0). */
int rg_adaptive_check(const rg_problem *p, const rg_regimen *r);
void rg_adaptive_reset(rg_policy *pol);
int rg_adaptive_decide(rg_policy *pol, const rg_policy_view *v, double u[]);

/* Whether adaptive regimen r of p can resume treatment before progression is declared, on
 * its thresholds and p's progression rule alone (docs/model.md section 8, "Adaptive therapy
 * and progression"). False when every resume comes at or after progression: with
 * reference "initial" when resume_above >= factor, with "nadir" when
 * factor * stop_below <= resume_above, in both cases only when resume_above * B(0) >=
 * min_cells. True otherwise (some burden path resumes first), and for any other kind. */
bool rg_adaptive_can_resume(const rg_problem *p, const rg_regimen *r);

/* dose_modulation (Enriquez-Navas et al. 2016): remembered dose D (pol->remembered). */
int rg_dose_modulation_check(const rg_problem *p, const rg_regimen *r);
void rg_dose_modulation_reset(rg_policy *pol);
int rg_dose_modulation_decide(rg_policy *pol, const rg_policy_view *v, double u[]);

/* adaptive_rule: the evolved feedback rule (rg_rule_params; bounds below and in
 * docs/regimens.md). rg_policy_init_rule (policy.h) is implemented with these. */
int rg_rule_check(const rg_problem *p, const rg_rule_params *rule);
void rg_rule_reset(rg_policy *pol);
int rg_rule_decide(rg_policy *pol, const rg_policy_view *v, double u[]);

/* Box bounds of the real-valued rule parameters, in the order of rg_rule_params:
 * dose, stop_below, resume_above, switch_rise, min_dose (RG_RULE_NPARAM_BASE of them).
 * The drug order is a permutation of optimize.drugs (decoded by the encoding). */
extern const double rg_rule_lower[RG_RULE_NPARAM_BASE];
extern const double rg_rule_upper[RG_RULE_NPARAM_BASE];

#endif
