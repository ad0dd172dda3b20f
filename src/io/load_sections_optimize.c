/* The problem loader's pass 2, the optimisation: the optimize group (encoding, drugs, dose
 * levels, objectives, GA settings), the hypervolume reference point and the benchmark
 * problems (ZDT, DTLZ). */
#include <string.h>

#include "load_internal.h"

/* The drugs the optimiser doses (all drugs of the problem when the list is absent). */
static void read_opt_drugs(rg_loader *L, config_setting_t *g)
{
    const rg_problem *p = L->p;
    rg_optimize *o = &L->p->optimize;
    config_setting_t *ds = rg_load_get_seq(g, "drugs");
    o->n_drugs = 0;
    if (!ds) {
        for (size_t d = 0; d < p->n_drugs; d++)
            o->drugs[o->n_drugs++] = (int)d;
    }
    rg_load_drug_list(L, ds, o->drugs, &o->n_drugs);
    if (ds && config_setting_length(ds) == 0)
        rg_load_err(L, ds, "at least one drug is required");
}

static void read_dose_levels(rg_loader *L, config_setting_t *g)
{
    rg_optimize *o = &L->p->optimize;
    config_setting_t *lv = rg_load_get_seq(g, "dose_levels");
    if (lv) {
        size_t n = rg_load_count_of(lv, RG_MAX_LEVELS);
        if (config_setting_length(lv) < 2)
            rg_load_err(L, lv, "at least two levels are required, found %d",
                        config_setting_length(lv));
        o->n_levels = n;
        for (size_t j = 0; j < n; j++) {
            config_setting_t *x = config_setting_get_elem(lv, (unsigned)j);
            o->dose_levels[j] = rg_load_is_number(x) ? rg_load_num_value(x) : 0.0;
            if (j > 0 && rg_load_is_number(x) && !(o->dose_levels[j] > o->dose_levels[j - 1]))
                rg_load_err(L, x,
                            "%.17g does not exceed the previous level %.17g (levels must "
                            "increase strictly)",
                            o->dose_levels[j], o->dose_levels[j - 1]);
        }
    }
}

static void read_objectives(rg_loader *L, config_setting_t *g)
{
    const rg_problem *p = L->p;
    rg_optimize *o = &L->p->optimize;
    config_setting_t *ob = rg_load_get_seq(g, "objectives");
    if (ob) {
        size_t n = rg_load_count_of(ob, RG_MAX_OBJ);
        if (config_setting_length(ob) == 0)
            rg_load_err(L, ob, "at least one objective is required");
        o->n_objectives = 0;
        for (size_t j = 0; j < n; j++) {
            const char *on = rg_load_elem_str(ob, (int)j);
            if (!on)
                continue;
            config_setting_t *at = config_setting_get_elem(ob, (unsigned)j);
            int k = -1;
            for (int q = 0; q < RG_OBJ_NKINDS; q++)
                if (!strcmp(on, rg_objective_name(q)))
                    k = q;
            if (k < 0) {
                rg_load_err(L, at,
                            "unknown objective '%s' (objectives: ttp, resistant_fraction, "
                            "resistant_burden, emergence_hazard, resistance_probability, "
                            "final_burden, dose_intensity, time_to_emergence, "
                            "neutrophil_nadir)",
                            on);
                continue;
            }
            bool dup = false;
            for (size_t q = 0; q < o->n_objectives; q++)
                dup |= o->objectives[q] == k;
            if (dup) {
                rg_load_err(L, at, "objective '%s' is listed twice", on);
                continue;
            }
            if (k == RG_OBJ_NEUTROPHIL_NADIR && !p->neutrophils)
                rg_load_err(L, at, "neutrophil_nadir needs the neutrophils group");
            o->objectives[o->n_objectives++] = k;
        }
    }
}

void rg_load_optimize(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    rg_optimize *o = &p->optimize;
    config_setting_t *g = rg_load_get_group(root, "optimize");
    static const char *const enc[] = {"schedule", "adaptive_rule", "benchmark"};
    const char *es = rg_load_get_str(g, "encoding");
    int ek = rg_load_parse_enum(es, enc, 3, -1);
    if (ek >= 0)
        o->encoding = (rg_encoding_kind)ek;
    else if (L->bench)
        o->encoding = RG_ENC_BENCHMARK;
    if (ek >= 0 && L->bench && o->encoding != RG_ENC_BENCHMARK)
        rg_load_err_key(L, g, "encoding",
                        "a benchmark problem needs encoding \"benchmark\", found \"%s\"", es);
    if (ek >= 0 && !L->bench && o->encoding == RG_ENC_BENCHMARK)
        rg_load_err_key(
            L, g, "encoding",
            "\"benchmark\" needs a benchmark problem (top-level 'problem = \"zdt1\"' etc.)");

    if (!L->bench) {
        read_opt_drugs(L, g);
        read_dose_levels(L, g);
        read_objectives(L, g);
    }

    long long v;
    if (rg_load_get_int(g, "population", &v) && v >= 4 && v <= 1000000)
        o->population = (size_t)(v + (v & 1));
    if (rg_load_get_int(g, "generations", &v) && v >= 1)
        o->generations = (size_t)v;
    if (rg_load_get_int(g, "seed", &v) && v >= 0)
        o->seed = (unsigned long)v;
    rg_load_get_real(g, "crossover_probability", &o->crossover_probability);
    rg_load_get_real(g, "mutation_probability", &o->mutation_probability);
    rg_load_get_real(g, "sbx_eta", &o->sbx_eta);
    rg_load_get_real(g, "pm_eta", &o->pm_eta);
    if (rg_load_get_int(g, "chunk", &v) && v >= 0)
        o->chunk = (size_t)v;
    if (rg_load_get_int(g, "history_every", &v) && v >= 0)
        o->history_every = (size_t)v;
    /* a bound below the population could not hold one population's front */
    if (rg_load_get_int(g, "archive_size", &v) && v >= 0) {
        o->archive_size = (size_t)v;
        if (v > 0 && (size_t)v < o->population)
            rg_load_err_key(L, g, "archive_size",
                            "%lld is below the population (%zu): use 0 (unbounded) or at "
                            "least the population",
                            v, o->population);
    }
}

/* The reference point is read once the number of objectives is known. */
void rg_load_reference_point(rg_loader *L, config_setting_t *root)
{
    rg_optimize *o = &L->p->optimize;
    config_setting_t *rp =
        rg_load_get_seq(rg_load_get_group(root, "optimize"), "reference_point");
    if (!rp)
        return;
    size_t n = (size_t)config_setting_length(rp);
    if (n != o->n_objectives) {
        rg_load_err(L, rp, "%zu values for %zu objectives (one per objective, in order)", n,
                    o->n_objectives);
        return;
    }
    for (size_t j = 0; j < n; j++) {
        config_setting_t *x = config_setting_get_elem(rp, (unsigned)j);
        o->reference_point[j] = rg_load_is_number(x) ? rg_load_num_value(x) : 0.0;
    }
    o->has_reference_point = true;
}

void rg_load_benchmark(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    static const char *const names[] = {"zdt1", "zdt2",  "zdt3", "zdt4",
                                        "zdt6", "dtlz1", "dtlz2"};
    static const rg_benchmark kinds[] = {RG_BENCH_ZDT1, RG_BENCH_ZDT2, RG_BENCH_ZDT3,
                                         RG_BENCH_ZDT4, RG_BENCH_ZDT6, RG_BENCH_DTLZ1,
                                         RG_BENCH_DTLZ2};
    int k = rg_load_parse_enum(rg_load_get_str(root, "problem"), names, 7, -1);
    if (k < 0)
        return; /* pass 1 reported it */
    p->bench.kind = kinds[k];
    bool dtlz = p->bench.kind == RG_BENCH_DTLZ1 || p->bench.kind == RG_BENCH_DTLZ2;
    long long m = dtlz ? 3 : 2, n;
    bool has_m = rg_load_get_int(root, "objectives", &m);
    if (!dtlz && has_m && m != 2) {
        rg_load_err_key(L, root, "objectives", "%s has exactly 2 objectives, found %lld",
                        names[k], m);
        m = 2;
    }
    if (m < 2 || m > RG_MAX_OBJ)
        return; /* pass 1 reported it */
    switch (p->bench.kind) {
    case RG_BENCH_ZDT4:
    case RG_BENCH_ZDT6: n = 10; break;
    case RG_BENCH_DTLZ1: n = m + 4; break;
    case RG_BENCH_DTLZ2: n = m + 9; break;
    default: n = 30; break;
    }
    if (rg_load_get_int(root, "variables", &n)) {
        long long min = dtlz ? m : 2;
        if (n < min)
            rg_load_err_key(L, root, "variables",
                            "%s with %lld objectives needs at least %lld variables, "
                            "found %lld",
                            names[k], m, min, n);
        if (n > RG_MAX_BENCH_VARS)
            return;
    }
    p->bench.n_vars = (size_t)n;
    p->bench.n_obj = (size_t)m;
    p->optimize.n_objectives = (size_t)m;
    for (long long j = 0; j < m; j++)
        p->optimize.objectives[j] = RG_OBJ_BENCH_F1 + (int)j;
    p->optimize.n_drugs = 0;
    p->optimize.n_levels = 0;
}
