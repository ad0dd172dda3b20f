/* rg_problem: allocation, the defaults of docs/model.md section 0, derived quantities,
 * names. */
#include "regimen/problem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void drug_defaults(rg_drug *d)
{
    d->administration = RG_ADMIN_CONTINUOUS;
    d->effect = RG_EFFECT_HILL;
    d->emax = 0.0;
    d->ec50 = 1.0;
    d->hill = 1.0;
    d->cycle_specific = false;
    d->toxicity_weight = 1.0;
    d->hypoxia_penetration_loss = 0.0;
    d->stroma_sensitive = false;
    d->myelotoxicity_slope = 0.0;
    d->max_cumulative_dose = -1.0;
}

static void clone_defaults(rg_clone *c)
{
    c->death_rate = 0.0;
    c->carrying_capacity = -1.0; /* resolved to the top-level K by the loader */
    c->resistant = false;
    for (size_t j = 0; j < RG_MAX_CLONES; j++)
        c->competition[j] = 1.0;
    for (size_t m = 0; m < RG_MAX_MECHS; m++)
        c->fold[m] = 1.0;
}

rg_problem *rg_problem_alloc(void)
{
    rg_problem *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->visit_days = 1.0;
    p->growth = RG_GROWTH_LOGISTIC;
    p->extinction_cells = 1.0;
    p->emergence_cells = -1.0; /* 10% of B(0) once the clones are known */
    for (size_t d = 0; d < RG_MAX_DRUGS; d++)
        drug_defaults(&p->drugs[d]);
    for (size_t i = 0; i < RG_MAX_CLONES; i++)
        clone_defaults(&p->clones[i]);
    for (size_t m = 0; m < RG_MAX_MECHS; m++)
        p->mechs[m].combine = RG_COMBINE_ANY;
    p->stroma_combine = RG_COMBINE_ANY;
    p->max_daily_toxicity = -1.0;
    p->anc_min = -1.0;
    p->progression_reference = RG_REF_INITIAL;
    p->progression_factor = 1.2;
    p->progression_min_cells = -1.0; /* extinction_cells once known */
    p->step_budget = 1000000;
    for (size_t r = 0; r < RG_MAX_REGIMENS; r++) {
        p->regimens[r].min_dose = 0.05;
    }
    rg_optimize *o = &p->optimize;
    o->encoding = RG_ENC_SCHEDULE;
    o->n_levels = 5;
    for (size_t l = 0; l < 5; l++)
        o->dose_levels[l] = 0.25 * (double)l;
    o->n_objectives = 3;
    o->objectives[0] = RG_OBJ_TTP;
    o->objectives[1] = RG_OBJ_RESISTANT_FRACTION;
    o->objectives[2] = RG_OBJ_DOSE_INTENSITY;
    o->population = 128;
    o->generations = 200;
    o->seed = 1;
    o->crossover_probability = 0.9;
    o->mutation_probability = -1.0;
    o->sbx_eta = 20.0;
    o->pm_eta = 20.0;
    o->chunk = 0;
    return p;
}

void rg_problem_free(rg_problem *p)
{
    if (!p)
        return;
    for (size_t r = 0; r < RG_MAX_REGIMENS; r++)
        for (size_t j = 0; j < RG_MAX_DRUGS; j++)
            free(p->regimens[r].doses[j]);
    free(p->path);
    free(p->text);
    rg_cohort_free(p->cohort);
    free(p);
}

rg_cohort *rg_cohort_alloc(size_t n_patients, size_t n_params)
{
    rg_cohort *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->n_patients = n_patients;
    c->n_params = n_params;
    c->params = calloc(n_params ? n_params : 1, sizeof *c->params);
    c->names = calloc(n_patients ? n_patients : 1, sizeof *c->names);
    c->values = calloc(n_patients * n_params + 1, sizeof *c->values);
    c->patients = calloc(n_patients ? n_patients : 1, sizeof *c->patients);
    for (size_t j = 0; j < RG_MAX_OBJ; j++)
        c->aggregate[j] = (rg_aggregate){RG_AGG_QUANTILE, 0.5};
    c->feasible_fraction = 1.0;
    if (!c->params || !c->names || !c->values || !c->patients) {
        rg_cohort_free(c);
        return NULL;
    }
    return c;
}

void rg_cohort_free(rg_cohort *c)
{
    if (!c)
        return;
    if (c->patients)
        for (size_t i = 0; i < c->n_patients; i++)
            rg_problem_free(c->patients[i]);
    free(c->patients);
    free(c->params);
    free(c->names);
    free(c->values);
    free(c);
}

size_t rg_problem_n_patients(const rg_problem *p)
{
    return p->cohort ? p->cohort->n_patients : 1;
}

const rg_problem *rg_problem_patient(const rg_problem *p, size_t i)
{
    return p->cohort ? p->cohort->patients[i] : p;
}

double rg_problem_initial_burden(const rg_problem *p)
{
    double b = 0.0;
    for (size_t i = 0; i < p->n_clones; i++)
        b += p->clones[i].cells;
    return b;
}

/* Grid counts are whole numbers by the loader's checks; rounding absorbs the last ulp. */
size_t rg_problem_n_intervals(const rg_problem *p)
{
    if (!(p->decision_days > 0.0))
        return 0;
    return (size_t)llround(p->horizon_days / p->decision_days);
}

size_t rg_problem_n_visits(const rg_problem *p)
{
    if (!(p->visit_days > 0.0))
        return 0;
    return (size_t)llround(p->horizon_days / p->visit_days) + 1;
}

int rg_problem_drug_index(const rg_problem *p, const char *name)
{
    for (size_t d = 0; d < p->n_drugs; d++)
        if (!strcmp(p->drugs[d].name, name))
            return (int)d;
    return -1;
}

int rg_problem_clone_index(const rg_problem *p, const char *name)
{
    for (size_t i = 0; i < p->n_clones; i++)
        if (!strcmp(p->clones[i].name, name))
            return (int)i;
    return -1;
}

int rg_problem_regimen_index(const rg_problem *p, const char *name)
{
    for (size_t r = 0; r < p->n_regimens; r++)
        if (!strcmp(p->regimens[r].name, name))
            return (int)r;
    return -1;
}

const char *rg_mech_kind_name(rg_mech_kind k)
{
    static const char *const names[RG_MECH_NKINDS] = {"efflux", "detox",     "target",
                                                      "repair", "apoptosis", "autophagy"};
    return (unsigned)k < RG_MECH_NKINDS ? names[k] : "unknown";
}

const char *rg_policy_kind_name(rg_policy_kind k)
{
    switch (k) {
    case RG_POLICY_MTD: return "mtd";
    case RG_POLICY_METRONOMIC: return "metronomic";
    case RG_POLICY_ADAPTIVE: return "adaptive";
    case RG_POLICY_DOSE_MODULATION: return "dose_modulation";
    case RG_POLICY_FIXED: return "fixed";
    case RG_POLICY_SCHEDULE: return "schedule";
    case RG_POLICY_ADAPTIVE_RULE: return "adaptive_rule";
    }
    return "unknown";
}

const char *rg_objective_name(int objective)
{
    static const char *const names[RG_OBJ_NKINDS] = {"ttp",
                                                     "resistant_burden",
                                                     "emergence_hazard",
                                                     "resistance_probability",
                                                     "final_burden",
                                                     "dose_intensity",
                                                     "time_to_emergence",
                                                     "neutrophil_nadir",
                                                     "resistant_fraction"};
    static const char *const bench[] = {"f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8"};
    if (objective >= 0 && objective < RG_OBJ_NKINDS)
        return names[objective];
    if (objective >= RG_OBJ_BENCH_F1 && objective < RG_OBJ_BENCH_F1 + RG_MAX_OBJ)
        return bench[objective - RG_OBJ_BENCH_F1];
    return "unknown";
}

bool rg_objective_maximised(int objective)
{
    return objective == RG_OBJ_TTP || objective == RG_OBJ_TIME_TO_EMERGENCE ||
           objective == RG_OBJ_NEUTROPHIL_NADIR;
}
