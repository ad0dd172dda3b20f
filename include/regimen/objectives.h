/* regimen: objectives (docs/model.md section 9) and constraints (section 7) of one run. */
#ifndef REGIMEN_OBJECTIVES_H
#define REGIMEN_OBJECTIVES_H

#include "regimen/eval_result.h"
#include "regimen/problem.h"
#include "regimen/sim.h"

/* Which constraints a run breaks and by how much (natural units; 0 = satisfied). */
typedef struct {
    double cumulative_dose[RG_MAX_DRUGS]; /* excess over max_cumulative_dose */
    double daily_toxicity;                /* excess of the worst interval over the limit */
    double anc;                           /* anc_min - nadir when below */
    double total;                         /* normalised sum: each excess / its limit */
} rg_violation;

/* Fills *v from a run (docs/model.md section 7): per drug, cumulative dose over
 * max_cumulative_dose (limits < 0 are absent); the worst interval's toxicity-weighted
 * level over max_daily_toxicity; anc_min over the neutrophil nadir (only when the
 * neutrophil model is on). An excess within 1e-9 of its limit (relative) is rounding and
 * counts as 0. total = sum of excess / limit (excess itself when the limit is 0).
 * RG_EINVAL on NULL arguments. */
int rg_constraints_eval(const rg_problem *p, const rg_sim_summary *s, rg_violation *v);

/* Fills value/fitness for the objectives listed in p->optimize.objectives, violation and
 * flags. Returns RG_OK (a non-finite or budget-stopped run is a flagged result):
 * fitness[j] = value[j], or -value[j] for maximised objectives; violation = the total of
 * rg_constraints_eval; flags RG_RES_CENSORED (no progression by the horizon),
 * RG_RES_INFEASIBLE (violation > 0; reason says which), RG_RES_NONFINITE / RG_RES_BUDGET
 * (summary status RG_ENUMERIC / RG_EBUDGET, or a non-finite value: the record is then
 * rg_eval_result_fail's, fitness 1e300, never NaN), RG_RES_FAILED (summary status
 * RG_ECANCELED). RG_EINVAL (with a failed record) for an unknown objective or NULL
 * arguments. */
int rg_objectives_compute(const rg_problem *p, const rg_sim_summary *s, rg_eval_result *out);

/* One objective in natural units from a summary (docs/model.md section 9):
 *   ttp, time_to_emergence: days (the horizon when censored / not emerged);
 *   resistant_burden log10(1 + R(H)), final_burden log10(1 + B(H)), emergence_hazard
 *   log10(L(H) + 1e-12), resistance_probability 1 - exp(-L(H));
 *   dose_intensity: sum over the problem's drugs of toxicity_weight * dose intensity;
 *   neutrophil_nadir: the nadir (circ0 scale), 0 when the neutrophil model is off (a
 *   constant, so it does not steer the search). 0 for an unknown objective. */
double rg_objective_value(const rg_problem *p, const rg_sim_summary *s, int objective);

/* A one-line description of what a violation breaks, for tables and rg_eval_result.reason:
 * "feasible" when v->total == 0, else e.g.
 * "max_cumulative_dose doxorubicin 9.5 > 8; anc_min 0.31 < 0.5". Truncates to n - 1
 * characters; returns buf. */
char *rg_violation_describe(const rg_problem *p, const rg_sim_summary *s, const rg_violation *v,
                            char *buf, size_t n);

#endif
