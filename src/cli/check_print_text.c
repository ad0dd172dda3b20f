/* `regimen check`: the resolved problem as text, one line per drug, mechanism, clone,
 * mutation, interaction and regimen. */
#include <math.h>
#include <stdio.h>

#include "check_print.h"

static void print_limit(FILE *f, const char *label, double v)
{
    if (v < 0)
        fprintf(f, "%s none", label);
    else
        fprintf(f, "%s %g", label, v);
}

static void print_optimize_text(FILE *f, const rg_problem *p)
{
    const rg_optimize *o = &p->optimize;
    fprintf(f, "optimize: encoding %s, population %zu, generations %zu, seed %lu\n",
            rg_check_encoding_name(o->encoding), o->population, o->generations, o->seed);
    if (o->encoding != RG_ENC_BENCHMARK) {
        fprintf(f, "  drugs:");
        for (size_t k = 0; k < o->n_drugs; k++)
            fprintf(f, " %s", p->drugs[o->drugs[k]].name);
        fprintf(f, "\n  dose levels:");
        for (size_t k = 0; k < o->n_levels; k++)
            fprintf(f, " %g", o->dose_levels[k]);
        fprintf(f, "\n");
    }
    fprintf(f, "  objectives:");
    for (size_t k = 0; k < o->n_objectives; k++)
        fprintf(f, " %s%s", rg_objective_name(o->objectives[k]),
                rg_objective_maximised(o->objectives[k]) ? " (max)" : "");
    fprintf(f, "\n  reference point:");
    if (o->has_reference_point)
        for (size_t k = 0; k < o->n_objectives; k++)
            fprintf(f, " %g", o->reference_point[k]);
    else
        fprintf(f, " from the run");
    fprintf(f, "\n  crossover_probability %g, ", o->crossover_probability);
    if (o->mutation_probability < 0)
        fprintf(f, "mutation_probability 1/genome length, ");
    else
        fprintf(f, "mutation_probability %g, ", o->mutation_probability);
    fprintf(f, "sbx_eta %g, pm_eta %g, chunk %zu%s\n", o->sbx_eta, o->pm_eta, o->chunk,
            o->chunk ? "" : " (automatic)");
}

static void print_inhib_text(FILE *f, const rg_problem *p, const rg_inhibitor *in, size_t n,
                             rg_combine c)
{
    if (!n)
        return;
    fprintf(f, ", inhibitors (%s):", rg_check_combine_name(c));
    for (size_t k = 0; k < n; k++)
        fprintf(f, " %s ic50 %g", p->drugs[in[k].drug].name, in[k].ic50);
}

/* The time grid (at most 13 bolus times a drug, then the last) and the growth model. */
static void text_grid_model(FILE *f, const rg_problem *p)
{
    fprintf(f,
            "grid: horizon %g days, decisions every %g days (%zu intervals), visits every "
            "%g days (%zu visits, t = 0 included)\n",
            p->horizon_days, p->decision_days, rg_problem_n_intervals(p), p->visit_days,
            rg_problem_n_visits(p));
    for (size_t d = 0; d < p->n_drugs; d++) {
        size_t nb = rg_check_n_boluses(p, &p->drugs[d]);
        if (!nb)
            continue;
        fprintf(f, "  bolus times of %s (%zu):", p->drugs[d].name, nb);
        for (size_t m = 0; m < nb; m++) {
            if (m == 12 && nb > 14) {
                fprintf(f, " ... %g", (double)(nb - 1) * p->drugs[d].dosing_interval_days);
                break;
            }
            fprintf(f, " %g", (double)m * p->drugs[d].dosing_interval_days);
        }
        fprintf(f, "\n");
    }
    fprintf(f,
            "model: %s growth, carrying_capacity %g, extinction_cells %g, emergence_cells "
            "%g, B(0) %g, step_budget %zu\n",
            rg_check_growth_name(p->growth), p->carrying_capacity, p->extinction_cells,
            p->emergence_cells, rg_problem_initial_burden(p), p->step_budget);
}

static void text_drugs_mechanisms(FILE *f, const rg_problem *p)
{
    fprintf(f, "drugs (%zu):\n", p->n_drugs);
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *x = &p->drugs[d];
        fprintf(f, "  %s: half_life_days %g, %s", x->name, x->half_life_days,
                rg_check_admin_name(x->administration));
        if (x->administration == RG_ADMIN_BOLUS)
            fprintf(f, " every %g days", x->dosing_interval_days);
        fprintf(f,
                ", %s emax %g ec50 %g hill %g, cycle_specific %s, toxicity_weight %g, "
                "hypoxia_penetration_loss %g, stroma_sensitive %s, myelotoxicity_slope %g, ",
                rg_check_effect_name(x->effect), x->emax, x->ec50, x->hill,
                x->cycle_specific ? "true" : "false", x->toxicity_weight,
                x->hypoxia_penetration_loss, x->stroma_sensitive ? "true" : "false",
                x->myelotoxicity_slope);
        print_limit(f, "max_cumulative_dose", x->max_cumulative_dose);
        fprintf(f, "\n");
    }
    fprintf(f, "mechanisms (%zu):\n", p->n_mechs);
    for (size_t m = 0; m < p->n_mechs; m++) {
        const rg_mechanism *x = &p->mechs[m];
        fprintf(f, "  %s: %s on", x->name, rg_mech_kind_name(x->kind));
        for (size_t d = 0; d < p->n_drugs; d++)
            if (x->affects[d])
                fprintf(f, " %s", p->drugs[d].name);
        fprintf(f, ", hypoxia_induction %g", x->hypoxia_induction);
        print_inhib_text(f, p, x->inhibitors, x->n_inhibitors, x->combine);
        fprintf(f, "\n");
    }
}

/* The clones and their fold table. */
static void text_clones(FILE *f, const rg_problem *p)
{
    fprintf(f, "clones (%zu):\n", p->n_clones);
    for (size_t i = 0; i < p->n_clones; i++) {
        const rg_clone *c = &p->clones[i];
        fprintf(f, "  %s: cells %g, growth_rate %g, death_rate %g, carrying_capacity %g%s",
                c->name, c->cells, c->growth_rate, c->death_rate, c->carrying_capacity,
                c->resistant ? ", resistant" : "");
        for (size_t j = 0; j < p->n_clones; j++)
            if (j != i && c->competition[j] != 1.0)
                fprintf(f, ", competition %s %g", p->clones[j].name, c->competition[j]);
        for (size_t d = 0; d < p->n_drugs; d++)
            if (c->capacity_effect[d] != 0.0)
                fprintf(f, ", capacity_effect %s %g", p->drugs[d].name, c->capacity_effect[d]);
        for (size_t m = 0; m < p->n_mechs; m++)
            if (c->carries[m])
                fprintf(f, ", %s fold %g", p->mechs[m].name, c->fold[m]);
        fprintf(f, "\n");
    }
    if (p->n_drugs) {
        fprintf(f,
                "fold table (exposure divisor / EC50 factor / Emax divisor; no hypoxia, no "
                "inhibitor):\n  %-20s",
                "clone \\ drug");
        for (size_t d = 0; d < p->n_drugs; d++)
            fprintf(f, " %22s", p->drugs[d].name);
        fprintf(f, "\n");
        for (size_t i = 0; i < p->n_clones; i++) {
            fprintf(f, "  %-20s", p->clones[i].name);
            for (size_t d = 0; d < p->n_drugs; d++) {
                double e, c50, em;
                rg_check_fold_factors(p, i, d, &e, &c50, &em);
                char cell[64];
                snprintf(cell, sizeof cell, "%g / %g / %g", e, c50, em);
                fprintf(f, " %22s", cell);
            }
            fprintf(f, "\n");
        }
    }
}

/* Mutations, interactions, micro-environment, neutrophils, constraints, progression. */
static void text_host(FILE *f, const rg_problem *p)
{
    fprintf(f, "mutations (%zu):\n", p->n_mutations);
    for (size_t k = 0; k < p->n_mutations; k++) {
        const rg_mutation *m = &p->mutations[k];
        fprintf(f, "  %s -> %s: rate %g per division", p->clones[m->from].name,
                p->clones[m->to].name, m->rate);
        for (size_t q = 0; q < m->n_induced; q++)
            fprintf(f, ", induced by %s %g per day", p->drugs[m->induced_drug[q]].name,
                    m->induced_rate[q]);
        fprintf(f, "\n");
    }
    fprintf(f, "interactions (%zu):\n", p->n_interactions);
    for (size_t k = 0; k < p->n_interactions; k++)
        fprintf(f, "  %s + %s: psi %g\n", p->drugs[p->interactions[k].drug_a].name,
                p->drugs[p->interactions[k].drug_b].name, p->interactions[k].psi);
    fprintf(f,
            "tme: hypoxia max_fraction %g, half_burden %g, quiescence %g; stroma protection %g",
            p->hypoxia_max_fraction, p->hypoxia_half_burden, p->hypoxia_quiescence,
            p->stroma_protection);
    print_inhib_text(f, p, p->stroma_inhibitors, p->n_stroma_inhibitors, p->stroma_combine);
    fprintf(f, "\n");
    if (p->neutrophils)
        fprintf(f, "neutrophils: mtt_days %g, circ0 %g, gamma %g\n", p->mtt_days, p->circ0,
                p->gamma);
    else
        fprintf(f, "neutrophils: off\n");
    fprintf(f, "constraints: ");
    print_limit(f, "max_daily_toxicity", p->max_daily_toxicity);
    print_limit(f, ", anc_min", p->anc_min);
    fprintf(f, "\nprogression: reference %s, factor %g, min_cells %g\n",
            p->progression_reference == RG_REF_NADIR ? "nadir" : "initial",
            p->progression_factor, p->progression_min_cells);
}

static void text_regimens(FILE *f, const rg_problem *p)
{
    fprintf(f, "regimens (%zu):\n", p->n_regimens);
    for (size_t r = 0; r < p->n_regimens; r++) {
        const rg_regimen *x = &p->regimens[r];
        fprintf(f, "  %s: %s of", x->name, rg_policy_kind_name(x->policy));
        for (size_t k = 0; k < x->n_drugs; k++)
            fprintf(f, " %s", p->drugs[x->drugs[k]].name);
        switch (x->policy) {
        case RG_POLICY_MTD:
            if (x->cycle_days > 0)
                fprintf(f, ", cycle %g days, on %g days", x->cycle_days, x->on_days);
            else
                fprintf(f, ", every interval (no cycle)");
            break;
        case RG_POLICY_METRONOMIC: fprintf(f, ", level %g", x->level); break;
        case RG_POLICY_ADAPTIVE:
            fprintf(f, ", dose %g, stop_below %g, resume_above %g", x->dose, x->stop_below,
                    x->resume_above);
            break;
        case RG_POLICY_DOSE_MODULATION:
            fprintf(f, ", dose %g, rise %g, fall %g, step %g, min_dose %g, skip_below %g",
                    x->dose, x->rise, x->fall, x->step, x->min_dose, x->skip_below);
            break;
        case RG_POLICY_FIXED:
            for (size_t k = 0; k < x->n_drugs; k++) {
                fprintf(f, "; %s:", p->drugs[x->drugs[k]].name);
                for (size_t q = 0; q < x->n_doses[k]; q++)
                    fprintf(f, " %g", x->doses[k][q]);
            }
            if (x->dosing_interval_days != 0.0)
                fprintf(f, "; bolus drugs every %g days", x->dosing_interval_days);
            break;
        default: break;
        }
        fprintf(f, "\n");
    }
}

/* The cohort (docs/model.md section 13): its size, the statistic of each objective and
 * each parameter's range over the patients. */
static void text_cohort(FILE *f, const rg_problem *p)
{
    const rg_cohort *c = p->cohort;
    if (!c)
        return;
    fprintf(f, "cohort: %zu patients (%s ... %s), %zu parameters; feasible_fraction %g\n",
            c->n_patients, c->names[0], c->names[c->n_patients - 1], c->n_params,
            c->feasible_fraction);
    fprintf(f, "  statistics:");
    for (size_t j = 0; j < p->optimize.n_objectives; j++) {
        const rg_aggregate *a = &c->aggregate[j];
        const char *obj = rg_objective_name(p->optimize.objectives[j]);
        if (a->kind == RG_AGG_QUANTILE && a->arg == 0.5)
            fprintf(f, " %s median;", obj);
        else if (a->kind == RG_AGG_QUANTILE)
            fprintf(f, " %s q%g;", obj, 100.0 * a->arg);
        else if (a->kind == RG_AGG_CVAR)
            fprintf(f, " %s cvar%g;", obj, 100.0 * a->arg);
        else if (a->kind == RG_AGG_PFS)
            fprintf(f, " %s pfs%g;", obj, a->arg);
        else
            fprintf(f, " %s %s;", obj,
                    p->optimize.objectives[j] == RG_OBJ_TTP ? "rmst" : "mean");
    }
    fprintf(f, "\n");
    for (size_t j = 0; j < c->n_params; j++) {
        double lo = HUGE_VAL, hi = -HUGE_VAL;
        for (size_t i = 0; i < c->n_patients; i++) {
            double v = c->values[i * c->n_params + j];
            lo = v < lo ? v : lo;
            hi = v > hi ? v : hi;
        }
        fprintf(f, "  %s: %g to %g\n", c->params[j], lo, hi);
    }
}

void rg_check_print_text(FILE *f, const rg_problem *p)
{
    fprintf(f, "problem: %s\nfile: %s\n", p->name[0] ? p->name : "(unnamed)",
            p->path ? p->path : "");
    if (p->bench.kind != RG_BENCH_NONE) {
        fprintf(f, "benchmark: %s, %zu variables, %zu objectives\n",
                rg_check_bench_name(p->bench.kind), p->bench.n_vars, p->bench.n_obj);
        fprintf(f, "step_budget: %zu\n", p->step_budget);
        print_optimize_text(f, p);
        return;
    }
    text_grid_model(f, p);
    text_drugs_mechanisms(f, p);
    text_clones(f, p);
    text_host(f, p);
    text_regimens(f, p);
    print_optimize_text(f, p);
    text_cohort(f, p);
}
