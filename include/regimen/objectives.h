/* regimen: objectives (model.md section 9) and constraints (section 7) of one run. */
#ifndef REGIMEN_OBJECTIVES_H
#define REGIMEN_OBJECTIVES_H

#include "regimen/evaluate.h"
#include "regimen/problem.h"
#include "regimen/sim.h"

/* Which constraints a run breaks and by how much (natural units; 0 = satisfied). */
typedef struct {
    double cumulative_dose[RG_MAX_DRUGS]; /* excess over max_cumulative_dose */
    double daily_toxicity;                /* excess of the worst interval over the limit */
    double anc;                           /* anc_min - nadir when below */
    double total;                         /* normalised sum: each excess / its limit */
} rg_violation;

int rg_constraints_eval(const rg_problem *p, const rg_sim_summary *s, rg_violation *v);

/* Fills value/fitness for the objectives listed in p->optimize.objectives, violation and
 * flags. Returns RG_OK (a non-finite or budget-stopped run is a flagged result). */
int rg_objectives_compute(const rg_problem *p, const rg_sim_summary *s, rg_eval_result *out);

/* One objective in natural units from a summary. */
double rg_objective_value(const rg_problem *p, const rg_sim_summary *s, int objective);

#endif
