/* `regimen check --json`: the resolved problem as one JSON object (numbers with 17
 * significant digits, so that they read back exactly; limits that are off are null). */
#include <stdbool.h>
#include <stdio.h>

#include "check_print.h"

/* ---------------------------------------------------------------- JSON writer */

typedef struct {
    FILE *f;
    int depth;
    bool first[64];
} jw;

static void j_sep(jw *w, const char *key)
{
    if (w->depth > 0) {
        if (!w->first[w->depth])
            fputc(',', w->f);
        w->first[w->depth] = false;
    }
    fputc('\n', w->f);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->f);
    if (key) {
        fprintf(w->f, "\"%s\": ", key);
    }
}

static void j_raw_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void j_open(jw *w, const char *key, char c)
{
    j_sep(w, key);
    fputc(c, w->f);
    w->depth++;
    w->first[w->depth] = true;
}

static void j_close(jw *w, char c)
{
    bool empty = w->first[w->depth];
    w->depth--;
    if (!empty) {
        fputc('\n', w->f);
        for (int i = 0; i < w->depth; i++)
            fputs("  ", w->f);
    }
    fputc(c, w->f);
}

static void j_num(jw *w, const char *key, double v)
{
    j_sep(w, key);
    fprintf(w->f, "%.17g", v);
}

/* A limit that is "none" when negative. */
static void j_limit(jw *w, const char *key, double v)
{
    j_sep(w, key);
    if (v < 0)
        fputs("null", w->f);
    else
        fprintf(w->f, "%.17g", v);
}

static void j_size(jw *w, const char *key, size_t v)
{
    j_sep(w, key);
    fprintf(w->f, "%zu", v);
}

static void j_str(jw *w, const char *key, const char *v)
{
    j_sep(w, key);
    j_raw_str(w->f, v);
}

static void j_bool(jw *w, const char *key, bool v)
{
    j_sep(w, key);
    fputs(v ? "true" : "false", w->f);
}

static void j_inhibitors(jw *w, const rg_problem *p, const char *key, const rg_inhibitor *in,
                         size_t n)
{
    j_open(w, key, '[');
    for (size_t k = 0; k < n; k++) {
        j_open(w, NULL, '{');
        j_str(w, "drug", p->drugs[in[k].drug].name);
        j_num(w, "ic50", in[k].ic50);
        j_close(w, '}');
    }
    j_close(w, ']');
}

static void j_optimize(jw *w, const rg_problem *p)
{
    const rg_optimize *o = &p->optimize;
    j_open(w, "optimize", '{');
    j_str(w, "encoding", rg_check_encoding_name(o->encoding));
    j_open(w, "drugs", '[');
    for (size_t k = 0; k < o->n_drugs; k++)
        j_str(w, NULL, p->drugs[o->drugs[k]].name);
    j_close(w, ']');
    j_open(w, "dose_levels", '[');
    for (size_t k = 0; k < o->n_levels; k++)
        j_num(w, NULL, o->dose_levels[k]);
    j_close(w, ']');
    j_open(w, "objectives", '[');
    for (size_t k = 0; k < o->n_objectives; k++)
        j_str(w, NULL, rg_objective_name(o->objectives[k]));
    j_close(w, ']');
    j_size(w, "population", o->population);
    j_size(w, "generations", o->generations);
    j_sep(w, "seed");
    fprintf(w->f, "%lu", o->seed);
    if (o->has_reference_point) {
        j_open(w, "reference_point", '[');
        for (size_t k = 0; k < o->n_objectives; k++)
            j_num(w, NULL, o->reference_point[k]);
        j_close(w, ']');
    } else {
        j_sep(w, "reference_point");
        fputs("null", w->f);
    }
    j_num(w, "crossover_probability", o->crossover_probability);
    j_limit(w, "mutation_probability", o->mutation_probability);
    j_num(w, "sbx_eta", o->sbx_eta);
    j_num(w, "pm_eta", o->pm_eta);
    j_size(w, "chunk", o->chunk);
    j_close(w, '}');
}

/* The time grid with each bolus drug's dosing times, and the growth model. */
static void j_grid_model(jw *w, const rg_problem *p)
{
    j_open(w, "grid", '{');
    j_num(w, "horizon_days", p->horizon_days);
    j_num(w, "decision_days", p->decision_days);
    j_num(w, "visit_days", p->visit_days);
    j_size(w, "intervals", rg_problem_n_intervals(p));
    j_size(w, "visits", rg_problem_n_visits(p));
    j_open(w, "bolus_times", '{');
    for (size_t d = 0; d < p->n_drugs; d++) {
        if (p->drugs[d].administration != RG_ADMIN_BOLUS)
            continue;
        size_t nb = rg_check_n_boluses(p, &p->drugs[d]);
        j_open(w, p->drugs[d].name, '[');
        for (size_t m = 0; m < nb; m++)
            j_num(w, NULL, (double)m * p->drugs[d].dosing_interval_days);
        j_close(w, ']');
    }
    j_close(w, '}');
    j_close(w, '}');

    j_open(w, "model", '{');
    j_str(w, "growth", rg_check_growth_name(p->growth));
    j_num(w, "carrying_capacity", p->carrying_capacity);
    j_num(w, "extinction_cells", p->extinction_cells);
    j_num(w, "emergence_cells", p->emergence_cells);
    j_num(w, "initial_burden", rg_problem_initial_burden(p));
    j_close(w, '}');
}

static void j_drugs_mechanisms(jw *w, const rg_problem *p)
{
    j_open(w, "drugs", '[');
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *x = &p->drugs[d];
        j_open(w, NULL, '{');
        j_str(w, "name", x->name);
        j_num(w, "half_life_days", x->half_life_days);
        j_str(w, "administration", rg_check_admin_name(x->administration));
        if (x->administration == RG_ADMIN_BOLUS)
            j_num(w, "dosing_interval_days", x->dosing_interval_days);
        j_str(w, "effect", rg_check_effect_name(x->effect));
        j_num(w, "emax", x->emax);
        j_num(w, "ec50", x->ec50);
        j_num(w, "hill", x->hill);
        j_bool(w, "cycle_specific", x->cycle_specific);
        j_num(w, "toxicity_weight", x->toxicity_weight);
        j_num(w, "hypoxia_penetration_loss", x->hypoxia_penetration_loss);
        j_bool(w, "stroma_sensitive", x->stroma_sensitive);
        j_num(w, "myelotoxicity_slope", x->myelotoxicity_slope);
        j_limit(w, "max_cumulative_dose", x->max_cumulative_dose);
        j_close(w, '}');
    }
    j_close(w, ']');

    j_open(w, "mechanisms", '[');
    for (size_t m = 0; m < p->n_mechs; m++) {
        const rg_mechanism *x = &p->mechs[m];
        j_open(w, NULL, '{');
        j_str(w, "name", x->name);
        j_str(w, "kind", rg_mech_kind_name(x->kind));
        j_open(w, "affects", '[');
        for (size_t d = 0; d < p->n_drugs; d++)
            if (x->affects[d])
                j_str(w, NULL, p->drugs[d].name);
        j_close(w, ']');
        j_num(w, "hypoxia_induction", x->hypoxia_induction);
        j_inhibitors(w, p, "inhibitors", x->inhibitors, x->n_inhibitors);
        j_str(w, "inhibitors_combine", rg_check_combine_name(x->combine));
        j_close(w, '}');
    }
    j_close(w, ']');
}

/* The clones and the fold factors of each clone on each drug. */
static void j_clones(jw *w, const rg_problem *p)
{
    j_open(w, "clones", '[');
    for (size_t i = 0; i < p->n_clones; i++) {
        const rg_clone *c = &p->clones[i];
        j_open(w, NULL, '{');
        j_str(w, "name", c->name);
        j_num(w, "cells", c->cells);
        j_num(w, "growth_rate", c->growth_rate);
        j_num(w, "death_rate", c->death_rate);
        j_num(w, "carrying_capacity", c->carrying_capacity);
        j_bool(w, "resistant", c->resistant);
        j_open(w, "competition", '{');
        for (size_t j = 0; j < p->n_clones; j++)
            j_num(w, p->clones[j].name, c->competition[j]);
        j_close(w, '}');
        j_open(w, "capacity_effect", '{');
        for (size_t d = 0; d < p->n_drugs; d++)
            j_num(w, p->drugs[d].name, c->capacity_effect[d]);
        j_close(w, '}');
        j_open(w, "mechanisms", '{');
        for (size_t m = 0; m < p->n_mechs; m++)
            if (c->carries[m])
                j_num(w, p->mechs[m].name, c->fold[m]);
        j_close(w, '}');
        j_close(w, '}');
    }
    j_close(w, ']');

    j_open(w, "fold_table", '[');
    for (size_t i = 0; i < p->n_clones; i++)
        for (size_t d = 0; d < p->n_drugs; d++) {
            double e, c50, em;
            rg_check_fold_factors(p, i, d, &e, &c50, &em);
            j_open(w, NULL, '{');
            j_str(w, "clone", p->clones[i].name);
            j_str(w, "drug", p->drugs[d].name);
            j_num(w, "exposure_divisor", e);
            j_num(w, "ec50_factor", c50);
            j_num(w, "emax_divisor", em);
            j_close(w, '}');
        }
    j_close(w, ']');
}

static void j_mutations_interactions(jw *w, const rg_problem *p)
{
    j_open(w, "mutations", '[');
    for (size_t k = 0; k < p->n_mutations; k++) {
        const rg_mutation *m = &p->mutations[k];
        j_open(w, NULL, '{');
        j_str(w, "from", p->clones[m->from].name);
        j_str(w, "to", p->clones[m->to].name);
        j_num(w, "rate", m->rate);
        j_open(w, "induced_by", '[');
        for (size_t q = 0; q < m->n_induced; q++) {
            j_open(w, NULL, '{');
            j_str(w, "drug", p->drugs[m->induced_drug[q]].name);
            j_num(w, "rate", m->induced_rate[q]);
            j_close(w, '}');
        }
        j_close(w, ']');
        j_close(w, '}');
    }
    j_close(w, ']');

    j_open(w, "interactions", '[');
    for (size_t k = 0; k < p->n_interactions; k++) {
        const rg_interaction *x = &p->interactions[k];
        j_open(w, NULL, '{');
        j_open(w, "drugs", '[');
        j_str(w, NULL, p->drugs[x->drug_a].name);
        j_str(w, NULL, p->drugs[x->drug_b].name);
        j_close(w, ']');
        j_num(w, "psi", x->psi);
        j_close(w, '}');
    }
    j_close(w, ']');
}

/* Micro-environment, neutrophils, constraints and the progression rule. */
static void j_host(jw *w, const rg_problem *p)
{
    j_open(w, "tme", '{');
    j_open(w, "hypoxia", '{');
    j_num(w, "max_fraction", p->hypoxia_max_fraction);
    j_num(w, "half_burden", p->hypoxia_half_burden);
    j_num(w, "quiescence", p->hypoxia_quiescence);
    j_close(w, '}');
    j_open(w, "stroma", '{');
    j_num(w, "protection", p->stroma_protection);
    j_inhibitors(w, p, "inhibitors", p->stroma_inhibitors, p->n_stroma_inhibitors);
    j_str(w, "inhibitors_combine", rg_check_combine_name(p->stroma_combine));
    j_close(w, '}');
    j_close(w, '}');

    if (p->neutrophils) {
        j_open(w, "neutrophils", '{');
        j_num(w, "mtt_days", p->mtt_days);
        j_num(w, "circ0", p->circ0);
        j_num(w, "gamma", p->gamma);
        j_close(w, '}');
    } else {
        j_sep(w, "neutrophils");
        fputs("null", w->f);
    }

    j_open(w, "constraints", '{');
    j_limit(w, "max_daily_toxicity", p->max_daily_toxicity);
    j_limit(w, "anc_min", p->anc_min);
    j_open(w, "max_cumulative_dose", '{');
    for (size_t d = 0; d < p->n_drugs; d++)
        if (p->drugs[d].max_cumulative_dose >= 0)
            j_num(w, p->drugs[d].name, p->drugs[d].max_cumulative_dose);
    j_close(w, '}');
    j_close(w, '}');

    j_open(w, "progression", '{');
    j_str(w, "reference", p->progression_reference == RG_REF_NADIR ? "nadir" : "initial");
    j_num(w, "factor", p->progression_factor);
    j_num(w, "min_cells", p->progression_min_cells);
    j_close(w, '}');
}

static void j_regimens(jw *w, const rg_problem *p)
{
    j_open(w, "regimens", '[');
    for (size_t r = 0; r < p->n_regimens; r++) {
        const rg_regimen *x = &p->regimens[r];
        j_open(w, NULL, '{');
        j_str(w, "name", x->name);
        j_str(w, "policy", rg_policy_kind_name(x->policy));
        j_open(w, "drugs", '[');
        for (size_t k = 0; k < x->n_drugs; k++)
            j_str(w, NULL, p->drugs[x->drugs[k]].name);
        j_close(w, ']');
        switch (x->policy) {
        case RG_POLICY_MTD:
            j_num(w, "cycle_days", x->cycle_days);
            j_num(w, "on_days", x->on_days);
            break;
        case RG_POLICY_METRONOMIC: j_num(w, "level", x->level); break;
        case RG_POLICY_ADAPTIVE:
            j_num(w, "dose", x->dose);
            j_num(w, "stop_below", x->stop_below);
            j_num(w, "resume_above", x->resume_above);
            break;
        case RG_POLICY_DOSE_MODULATION:
            j_num(w, "dose", x->dose);
            j_num(w, "rise", x->rise);
            j_num(w, "fall", x->fall);
            j_num(w, "step", x->step);
            j_num(w, "min_dose", x->min_dose);
            j_num(w, "skip_below", x->skip_below);
            break;
        case RG_POLICY_FIXED:
            j_open(w, "doses", '[');
            for (size_t k = 0; k < x->n_drugs; k++) {
                j_open(w, NULL, '[');
                for (size_t q = 0; q < x->n_doses[k]; q++)
                    j_num(w, NULL, x->doses[k][q]);
                j_close(w, ']');
            }
            j_close(w, ']');
            j_num(w, "dosing_interval_days", x->dosing_interval_days);
            break;
        default: break;
        }
        j_close(w, '}');
    }
    j_close(w, ']');
}

/* The resolved cohort (docs/model.md section 13): every patient's values, so that a tool
 * reading the JSON needs neither the table nor the sampler. */
static void j_cohort(jw *w, const rg_problem *p)
{
    const rg_cohort *c = p->cohort;
    if (!c)
        return;
    static const char *const kinds[] = {"quantile", "mean", "cvar", "pfs"};
    j_open(w, "cohort", '{');
    j_num(w, "feasible_fraction", c->feasible_fraction);
    j_open(w, "aggregate", '[');
    for (size_t j = 0; j < p->optimize.n_objectives; j++) {
        j_open(w, NULL, '{');
        j_str(w, "objective", rg_objective_name(p->optimize.objectives[j]));
        j_str(w, "statistic", kinds[c->aggregate[j].kind]);
        j_num(w, "arg", c->aggregate[j].arg);
        j_close(w, '}');
    }
    j_close(w, ']');
    j_open(w, "parameters", '[');
    for (size_t j = 0; j < c->n_params; j++)
        j_str(w, NULL, c->params[j]);
    j_close(w, ']');
    j_open(w, "patients", '[');
    for (size_t i = 0; i < c->n_patients; i++) {
        j_open(w, NULL, '{');
        j_str(w, "name", c->names[i]);
        j_open(w, "values", '[');
        for (size_t j = 0; j < c->n_params; j++)
            j_num(w, NULL, c->values[i * c->n_params + j]);
        j_close(w, ']');
        j_close(w, '}');
    }
    j_close(w, ']');
    j_close(w, '}');
}

void rg_check_print_json(FILE *f, const rg_problem *p)
{
    jw w = {.f = f, .depth = 0};
    w.first[0] = true;
    fputc('{', f);
    w.depth = 1;
    w.first[1] = true;
    j_str(&w, "name", p->name);
    j_str(&w, "path", p->path ? p->path : "");
    j_size(&w, "step_budget", p->step_budget);
    if (p->bench.kind != RG_BENCH_NONE) {
        j_str(&w, "kind", "benchmark");
        j_open(&w, "benchmark", '{');
        j_str(&w, "problem", rg_check_bench_name(p->bench.kind));
        j_size(&w, "variables", p->bench.n_vars);
        j_size(&w, "objectives", p->bench.n_obj);
        j_close(&w, '}');
        j_optimize(&w, p);
        j_close(&w, '}');
        fputc('\n', f);
        return;
    }
    j_str(&w, "kind", "tumour");
    j_grid_model(&w, p);
    j_drugs_mechanisms(&w, p);
    j_clones(&w, p);
    j_mutations_interactions(&w, p);
    j_host(&w, p);
    j_regimens(&w, p);

    j_optimize(&w, p);
    j_cohort(&w, p);
    j_close(&w, '}');
    fputc('\n', f);
}
