/* regimen check PROBLEM.cfg [--json]: validates a problem file and prints the resolved
 * model (defaults filled in, fold table, grid, regimens, optimisation settings).
 * regimen check --doc-keys: prints the generated key reference of docs/problem-format.md.
 * Exit 0 when the file is valid, 2 on bad input or usage (messages on stderr, nothing on
 * stdout), 1 when the file cannot be read or stdout cannot be written. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "regimen/keys.h"
#include "regimen/problem.h"

/* ---------------------------------------------------------------- folds and grid */

/* Fold factors of clone i on drug d at zero hypoxia and no inhibitor (model.md 5): exposure
 * divisor (efflux, detox), EC50 factor (target), Emax divisor (repair, apoptosis,
 * autophagy); folds of the same kind multiply. */
static void fold_factors(const rg_problem *p, size_t i, size_t d, double *expo, double *ec50,
                         double *emax)
{
    *expo = *ec50 = *emax = 1.0;
    const rg_clone *c = &p->clones[i];
    for (size_t m = 0; m < p->n_mechs; m++) {
        if (!c->carries[m] || !p->mechs[m].affects[d])
            continue;
        switch (p->mechs[m].kind) {
        case RG_MECH_EFFLUX:
        case RG_MECH_DETOX: *expo *= c->fold[m]; break;
        case RG_MECH_TARGET: *ec50 *= c->fold[m]; break;
        default: *emax *= c->fold[m]; break;
        }
    }
}

/* Bolus times m * interval < horizon, m = 0, 1, ... */
static size_t n_boluses(const rg_problem *p, const rg_drug *d)
{
    if (d->administration != RG_ADMIN_BOLUS || !(d->dosing_interval_days > 0))
        return 0;
    size_t n = 0;
    while ((double)n * d->dosing_interval_days < p->horizon_days - 1e-9 * p->horizon_days)
        n++;
    return n;
}

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

static const char *growth_name(rg_growth g) { return g == RG_GROWTH_GOMPERTZ ? "gompertz" : "logistic"; }
static const char *admin_name(rg_admin a) { return a == RG_ADMIN_BOLUS ? "bolus" : "continuous"; }
static const char *effect_name(rg_effect e) { return e == RG_EFFECT_LINEAR ? "linear" : "hill"; }
static const char *combine_name(rg_combine c) { return c == RG_COMBINE_ALL ? "all" : "any"; }
static const char *encoding_name(rg_encoding_kind e)
{
    return e == RG_ENC_ADAPTIVE_RULE ? "adaptive_rule" : e == RG_ENC_BENCHMARK ? "benchmark" : "schedule";
}
static const char *bench_name(rg_benchmark b)
{
    static const char *const n[] = {"none", "zdt1", "zdt2", "zdt3", "zdt4", "zdt6", "dtlz1", "dtlz2"};
    return (unsigned)b <= RG_BENCH_DTLZ2 ? n[b] : "unknown";
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
    j_str(w, "encoding", encoding_name(o->encoding));
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

static void print_json(FILE *f, const rg_problem *p)
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
        j_str(&w, "problem", bench_name(p->bench.kind));
        j_size(&w, "variables", p->bench.n_vars);
        j_size(&w, "objectives", p->bench.n_obj);
        j_close(&w, '}');
        j_optimize(&w, p);
        j_close(&w, '}');
        fputc('\n', f);
        return;
    }
    j_str(&w, "kind", "tumour");

    j_open(&w, "grid", '{');
    j_num(&w, "horizon_days", p->horizon_days);
    j_num(&w, "decision_days", p->decision_days);
    j_num(&w, "visit_days", p->visit_days);
    j_size(&w, "intervals", rg_problem_n_intervals(p));
    j_size(&w, "visits", rg_problem_n_visits(p));
    j_open(&w, "bolus_times", '{');
    for (size_t d = 0; d < p->n_drugs; d++) {
        if (p->drugs[d].administration != RG_ADMIN_BOLUS)
            continue;
        size_t nb = n_boluses(p, &p->drugs[d]);
        j_open(&w, p->drugs[d].name, '[');
        for (size_t m = 0; m < nb; m++)
            j_num(&w, NULL, (double)m * p->drugs[d].dosing_interval_days);
        j_close(&w, ']');
    }
    j_close(&w, '}');
    j_close(&w, '}');

    j_open(&w, "model", '{');
    j_str(&w, "growth", growth_name(p->growth));
    j_num(&w, "carrying_capacity", p->carrying_capacity);
    j_num(&w, "extinction_cells", p->extinction_cells);
    j_num(&w, "emergence_cells", p->emergence_cells);
    j_num(&w, "initial_burden", rg_problem_initial_burden(p));
    j_close(&w, '}');

    j_open(&w, "drugs", '[');
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *x = &p->drugs[d];
        j_open(&w, NULL, '{');
        j_str(&w, "name", x->name);
        j_num(&w, "half_life_days", x->half_life_days);
        j_str(&w, "administration", admin_name(x->administration));
        if (x->administration == RG_ADMIN_BOLUS)
            j_num(&w, "dosing_interval_days", x->dosing_interval_days);
        j_str(&w, "effect", effect_name(x->effect));
        j_num(&w, "emax", x->emax);
        j_num(&w, "ec50", x->ec50);
        j_num(&w, "hill", x->hill);
        j_bool(&w, "cycle_specific", x->cycle_specific);
        j_num(&w, "toxicity_weight", x->toxicity_weight);
        j_num(&w, "hypoxia_penetration_loss", x->hypoxia_penetration_loss);
        j_bool(&w, "stroma_sensitive", x->stroma_sensitive);
        j_num(&w, "myelotoxicity_slope", x->myelotoxicity_slope);
        j_limit(&w, "max_cumulative_dose", x->max_cumulative_dose);
        j_close(&w, '}');
    }
    j_close(&w, ']');

    j_open(&w, "mechanisms", '[');
    for (size_t m = 0; m < p->n_mechs; m++) {
        const rg_mechanism *x = &p->mechs[m];
        j_open(&w, NULL, '{');
        j_str(&w, "name", x->name);
        j_str(&w, "kind", rg_mech_kind_name(x->kind));
        j_open(&w, "affects", '[');
        for (size_t d = 0; d < p->n_drugs; d++)
            if (x->affects[d])
                j_str(&w, NULL, p->drugs[d].name);
        j_close(&w, ']');
        j_num(&w, "hypoxia_induction", x->hypoxia_induction);
        j_inhibitors(&w, p, "inhibitors", x->inhibitors, x->n_inhibitors);
        j_str(&w, "inhibitors_combine", combine_name(x->combine));
        j_close(&w, '}');
    }
    j_close(&w, ']');

    j_open(&w, "clones", '[');
    for (size_t i = 0; i < p->n_clones; i++) {
        const rg_clone *c = &p->clones[i];
        j_open(&w, NULL, '{');
        j_str(&w, "name", c->name);
        j_num(&w, "cells", c->cells);
        j_num(&w, "growth_rate", c->growth_rate);
        j_num(&w, "death_rate", c->death_rate);
        j_num(&w, "carrying_capacity", c->carrying_capacity);
        j_bool(&w, "resistant", c->resistant);
        j_open(&w, "competition", '{');
        for (size_t j = 0; j < p->n_clones; j++)
            j_num(&w, p->clones[j].name, c->competition[j]);
        j_close(&w, '}');
        j_open(&w, "capacity_effect", '{');
        for (size_t d = 0; d < p->n_drugs; d++)
            j_num(&w, p->drugs[d].name, c->capacity_effect[d]);
        j_close(&w, '}');
        j_open(&w, "mechanisms", '{');
        for (size_t m = 0; m < p->n_mechs; m++)
            if (c->carries[m])
                j_num(&w, p->mechs[m].name, c->fold[m]);
        j_close(&w, '}');
        j_close(&w, '}');
    }
    j_close(&w, ']');

    j_open(&w, "fold_table", '[');
    for (size_t i = 0; i < p->n_clones; i++)
        for (size_t d = 0; d < p->n_drugs; d++) {
            double e, c50, em;
            fold_factors(p, i, d, &e, &c50, &em);
            j_open(&w, NULL, '{');
            j_str(&w, "clone", p->clones[i].name);
            j_str(&w, "drug", p->drugs[d].name);
            j_num(&w, "exposure_divisor", e);
            j_num(&w, "ec50_factor", c50);
            j_num(&w, "emax_divisor", em);
            j_close(&w, '}');
        }
    j_close(&w, ']');

    j_open(&w, "mutations", '[');
    for (size_t k = 0; k < p->n_mutations; k++) {
        const rg_mutation *m = &p->mutations[k];
        j_open(&w, NULL, '{');
        j_str(&w, "from", p->clones[m->from].name);
        j_str(&w, "to", p->clones[m->to].name);
        j_num(&w, "rate", m->rate);
        j_open(&w, "induced_by", '[');
        for (size_t q = 0; q < m->n_induced; q++) {
            j_open(&w, NULL, '{');
            j_str(&w, "drug", p->drugs[m->induced_drug[q]].name);
            j_num(&w, "rate", m->induced_rate[q]);
            j_close(&w, '}');
        }
        j_close(&w, ']');
        j_close(&w, '}');
    }
    j_close(&w, ']');

    j_open(&w, "interactions", '[');
    for (size_t k = 0; k < p->n_interactions; k++) {
        const rg_interaction *x = &p->interactions[k];
        j_open(&w, NULL, '{');
        j_open(&w, "drugs", '[');
        j_str(&w, NULL, p->drugs[x->drug_a].name);
        j_str(&w, NULL, p->drugs[x->drug_b].name);
        j_close(&w, ']');
        j_num(&w, "psi", x->psi);
        j_close(&w, '}');
    }
    j_close(&w, ']');

    j_open(&w, "tme", '{');
    j_open(&w, "hypoxia", '{');
    j_num(&w, "max_fraction", p->hypoxia_max_fraction);
    j_num(&w, "half_burden", p->hypoxia_half_burden);
    j_num(&w, "quiescence", p->hypoxia_quiescence);
    j_close(&w, '}');
    j_open(&w, "stroma", '{');
    j_num(&w, "protection", p->stroma_protection);
    j_inhibitors(&w, p, "inhibitors", p->stroma_inhibitors, p->n_stroma_inhibitors);
    j_str(&w, "inhibitors_combine", combine_name(p->stroma_combine));
    j_close(&w, '}');
    j_close(&w, '}');

    if (p->neutrophils) {
        j_open(&w, "neutrophils", '{');
        j_num(&w, "mtt_days", p->mtt_days);
        j_num(&w, "circ0", p->circ0);
        j_num(&w, "gamma", p->gamma);
        j_close(&w, '}');
    } else {
        j_sep(&w, "neutrophils");
        fputs("null", f);
    }

    j_open(&w, "constraints", '{');
    j_limit(&w, "max_daily_toxicity", p->max_daily_toxicity);
    j_limit(&w, "anc_min", p->anc_min);
    j_open(&w, "max_cumulative_dose", '{');
    for (size_t d = 0; d < p->n_drugs; d++)
        if (p->drugs[d].max_cumulative_dose >= 0)
            j_num(&w, p->drugs[d].name, p->drugs[d].max_cumulative_dose);
    j_close(&w, '}');
    j_close(&w, '}');

    j_open(&w, "progression", '{');
    j_str(&w, "reference", p->progression_reference == RG_REF_NADIR ? "nadir" : "initial");
    j_num(&w, "factor", p->progression_factor);
    j_num(&w, "min_cells", p->progression_min_cells);
    j_close(&w, '}');

    j_open(&w, "regimens", '[');
    for (size_t r = 0; r < p->n_regimens; r++) {
        const rg_regimen *x = &p->regimens[r];
        j_open(&w, NULL, '{');
        j_str(&w, "name", x->name);
        j_str(&w, "policy", rg_policy_kind_name(x->policy));
        j_open(&w, "drugs", '[');
        for (size_t k = 0; k < x->n_drugs; k++)
            j_str(&w, NULL, p->drugs[x->drugs[k]].name);
        j_close(&w, ']');
        switch (x->policy) {
        case RG_POLICY_MTD:
            j_num(&w, "cycle_days", x->cycle_days);
            j_num(&w, "on_days", x->on_days);
            break;
        case RG_POLICY_METRONOMIC: j_num(&w, "level", x->level); break;
        case RG_POLICY_ADAPTIVE:
            j_num(&w, "dose", x->dose);
            j_num(&w, "stop_below", x->stop_below);
            j_num(&w, "resume_above", x->resume_above);
            break;
        case RG_POLICY_DOSE_MODULATION:
            j_num(&w, "dose", x->dose);
            j_num(&w, "rise", x->rise);
            j_num(&w, "fall", x->fall);
            j_num(&w, "step", x->step);
            j_num(&w, "min_dose", x->min_dose);
            j_num(&w, "skip_below", x->skip_below);
            break;
        case RG_POLICY_FIXED:
            j_open(&w, "doses", '[');
            for (size_t k = 0; k < x->n_drugs; k++) {
                j_open(&w, NULL, '[');
                for (size_t q = 0; q < x->n_doses[k]; q++)
                    j_num(&w, NULL, x->doses[k][q]);
                j_close(&w, ']');
            }
            j_close(&w, ']');
            break;
        default: break;
        }
        j_close(&w, '}');
    }
    j_close(&w, ']');

    j_optimize(&w, p);
    j_close(&w, '}');
    fputc('\n', f);
}

/* ---------------------------------------------------------------- text */

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
            encoding_name(o->encoding), o->population, o->generations, o->seed);
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
    fprintf(f, ", inhibitors (%s):", combine_name(c));
    for (size_t k = 0; k < n; k++)
        fprintf(f, " %s ic50 %g", p->drugs[in[k].drug].name, in[k].ic50);
}

static void print_text(FILE *f, const rg_problem *p)
{
    fprintf(f, "problem: %s\nfile: %s\n", p->name[0] ? p->name : "(unnamed)",
            p->path ? p->path : "");
    if (p->bench.kind != RG_BENCH_NONE) {
        fprintf(f, "benchmark: %s, %zu variables, %zu objectives\n", bench_name(p->bench.kind),
                p->bench.n_vars, p->bench.n_obj);
        fprintf(f, "step_budget: %zu\n", p->step_budget);
        print_optimize_text(f, p);
        return;
    }
    fprintf(f, "grid: horizon %g days, decisions every %g days (%zu intervals), visits every "
               "%g days (%zu visits, t = 0 included)\n",
            p->horizon_days, p->decision_days, rg_problem_n_intervals(p), p->visit_days,
            rg_problem_n_visits(p));
    for (size_t d = 0; d < p->n_drugs; d++) {
        size_t nb = n_boluses(p, &p->drugs[d]);
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
    fprintf(f, "model: %s growth, carrying_capacity %g, extinction_cells %g, emergence_cells "
               "%g, B(0) %g, step_budget %zu\n",
            growth_name(p->growth), p->carrying_capacity, p->extinction_cells,
            p->emergence_cells, rg_problem_initial_burden(p), p->step_budget);

    fprintf(f, "drugs (%zu):\n", p->n_drugs);
    for (size_t d = 0; d < p->n_drugs; d++) {
        const rg_drug *x = &p->drugs[d];
        fprintf(f, "  %s: half_life_days %g, %s", x->name, x->half_life_days,
                admin_name(x->administration));
        if (x->administration == RG_ADMIN_BOLUS)
            fprintf(f, " every %g days", x->dosing_interval_days);
        fprintf(f, ", %s emax %g ec50 %g hill %g, cycle_specific %s, toxicity_weight %g, "
                   "hypoxia_penetration_loss %g, stroma_sensitive %s, myelotoxicity_slope %g, ",
                effect_name(x->effect), x->emax, x->ec50, x->hill,
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
    fprintf(f, "clones (%zu):\n", p->n_clones);
    for (size_t i = 0; i < p->n_clones; i++) {
        const rg_clone *c = &p->clones[i];
        fprintf(f, "  %s: cells %g, growth_rate %g, death_rate %g, carrying_capacity %g%s", c->name,
                c->cells, c->growth_rate, c->death_rate, c->carrying_capacity,
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
        fprintf(f, "fold table (exposure divisor / EC50 factor / Emax divisor; no hypoxia, no "
                   "inhibitor):\n  %-20s", "clone \\ drug");
        for (size_t d = 0; d < p->n_drugs; d++)
            fprintf(f, " %22s", p->drugs[d].name);
        fprintf(f, "\n");
        for (size_t i = 0; i < p->n_clones; i++) {
            fprintf(f, "  %-20s", p->clones[i].name);
            for (size_t d = 0; d < p->n_drugs; d++) {
                double e, c50, em;
                fold_factors(p, i, d, &e, &c50, &em);
                char cell[64];
                snprintf(cell, sizeof cell, "%g / %g / %g", e, c50, em);
                fprintf(f, " %22s", cell);
            }
            fprintf(f, "\n");
        }
    }
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
    fprintf(f, "tme: hypoxia max_fraction %g, half_burden %g, quiescence %g; stroma protection %g",
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
            break;
        default: break;
        }
        fprintf(f, "\n");
    }
    print_optimize_text(f, p);
}

/* ---------------------------------------------------------------- command */

static void check_usage(FILE *f)
{
    fprintf(f, "usage: regimen check PROBLEM.cfg [--json]\n");
}

int rg_cmd_check(int argc, char **argv)
{
    const char *file = NULL;
    bool json = false, doc_keys = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--doc-keys"))
            doc_keys = true;
        else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            check_usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "regimen check: unknown option '%s'\n", argv[i]);
            check_usage(stderr);
            return 2;
        } else if (file) {
            fprintf(stderr, "regimen check: more than one problem file ('%s', '%s')\n", file,
                    argv[i]);
            check_usage(stderr);
            return 2;
        } else
            file = argv[i];
    }
    if (doc_keys) {
        if (file || json) {
            fprintf(stderr, "regimen check: --doc-keys takes no other argument\n");
            return 2;
        }
        if (rg_keys_write_markdown(stdout) != 0 || fflush(stdout) != 0) {
            fprintf(stderr, "regimen check: cannot write to standard output\n");
            return 1;
        }
        return 0;
    }
    if (!file) {
        fprintf(stderr, "regimen check: missing problem file\n");
        check_usage(stderr);
        return 2;
    }
    rg_problem *p = NULL;
    int code = rg_cli_load_problem("check", file, &p);
    if (code != 0)
        return code;
    if (json)
        print_json(stdout, p);
    else
        print_text(stdout, p);
    rg_problem_free(p);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "regimen check: cannot write to standard output\n");
        return 1;
    }
    return 0;
}
