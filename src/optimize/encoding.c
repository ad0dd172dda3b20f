/* Genome encodings: layout, bounds, decoding, seeding from built-in regimens, output
 * columns. The variation operators are in variation.c. */
#include "regimen/encoding.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regimen/benchmarks.h"
#include "regimen/evaluate.h"

/* The bounds of rg_policy_init_rule (docs/regimens.md, adaptive_rule). */
const double rg_encoding_rule_lower[RG_RULE_NPARAM_BASE] = {0.05, 0.0, 0.0, 0.0, 0.0};
const double rg_encoding_rule_upper[RG_RULE_NPARAM_BASE] = {1.0, 1.0, 2.0, 1.0, 0.5};

static const char *const rule_names[RG_RULE_NPARAM_BASE] = {
    "dose", "stop_below", "resume_above", "switch_rise", "min_dose"};

/* One gene per admissible dose (encoding.h): a bolus drug's slots are the intervals
 * 0, e, 2e, ... below n_intervals, e = dosing_interval_days / decision_days (docs/model.md
 * section 2, the day-0 bolus grid); a continuous drug has every interval. */
static int schedule_layout(rg_encoding *e, const rg_problem *p, rg_diag *diag)
{
    size_t n = 0;
    for (size_t j = 0; j < e->n_drugs; j++) {
        if (e->drugs[j] < 0 || (size_t)e->drugs[j] >= p->n_drugs) {
            rg_diag_add(diag, "optimize.drugs: drug index %d out of range", e->drugs[j]);
            return RG_EINVAL;
        }
        const rg_drug *dr = &p->drugs[e->drugs[j]];
        long long every = 1;
        if (dr->administration == RG_ADMIN_BOLUS) {
            every = p->decision_days > 0.0
                        ? llround(dr->dosing_interval_days / p->decision_days)
                        : 0;
            if (every < 1) {
                rg_diag_add(diag,
                            "drug %s: dosing_interval_days must be a whole multiple of "
                            "decision_days for a schedule",
                            dr->name);
                return RG_EINVAL;
            }
        }
        e->every[j] = (size_t)every;
        e->n_genes[j] = (e->n_intervals + e->every[j] - 1) / e->every[j];
        e->first_gene[j] = n;
        n += e->n_genes[j];
    }
    e->length = n;
    return RG_OK;
}

size_t rg_encoding_gene_interval(const rg_encoding *e, size_t g, size_t *drug)
{
    size_t j = 0;
    while (j + 1 < e->n_drugs && g >= e->first_gene[j + 1])
        j++;
    if (drug)
        *drug = j;
    return (g - e->first_gene[j]) * e->every[j];
}

rg_encoding *rg_encoding_alloc(const rg_problem *p, rg_diag *diag)
{
    const rg_optimize *o = &p->optimize;
    rg_encoding *e = calloc(1, sizeof *e);
    if (!e) {
        rg_diag_add(diag, "out of memory");
        return NULL;
    }
    e->kind = p->bench.kind != RG_BENCH_NONE ? RG_ENC_BENCHMARK : o->encoding;
    if (o->n_drugs > 0) {
        e->n_drugs = o->n_drugs;
        memcpy(e->drugs, o->drugs, sizeof e->drugs);
    } else {
        e->n_drugs = p->n_drugs;
        for (size_t d = 0; d < p->n_drugs; d++)
            e->drugs[d] = (int)d;
    }
    e->n_intervals = rg_problem_n_intervals(p);
    e->decision_days = p->decision_days;
    e->n_levels = o->n_levels;
    memcpy(e->levels, o->dose_levels, sizeof e->levels);

    switch (e->kind) {
    case RG_ENC_BENCHMARK:
        if (rg_benchmark_check(p->bench.kind, p->bench.n_vars, p->bench.n_obj) != RG_OK) {
            rg_diag_add(diag, "%s: benchmark %s cannot have %zu variables and %zu objectives",
                        p->path ? p->path : p->name, rg_benchmark_name(p->bench.kind),
                        p->bench.n_vars, p->bench.n_obj);
            goto fail;
        }
        e->bench = p->bench.kind;
        e->bench_obj = p->bench.n_obj;
        e->length = p->bench.n_vars;
        break;
    case RG_ENC_SCHEDULE:
        if (e->n_drugs == 0 || e->n_intervals == 0 || e->n_levels == 0) {
            rg_diag_add(diag, "optimize: a schedule needs drugs, decision intervals and "
                              "dose_levels");
            goto fail;
        }
        if (schedule_layout(e, p, diag) != RG_OK)
            goto fail;
        break;
    case RG_ENC_ADAPTIVE_RULE:
        if (e->n_drugs == 0) {
            rg_diag_add(diag, "optimize: an adaptive rule needs at least one drug");
            goto fail;
        }
        e->length = RG_RULE_NPARAM_BASE + e->n_drugs;
        break;
    default:
        rg_diag_add(diag, "optimize.encoding: unknown encoding %d", (int)e->kind);
        goto fail;
    }
    for (size_t j = 0; j < e->n_drugs; j++)
        if (e->kind != RG_ENC_BENCHMARK &&
            (e->drugs[j] < 0 || (size_t)e->drugs[j] >= p->n_drugs)) {
            rg_diag_add(diag, "optimize.drugs: drug index %d out of range", e->drugs[j]);
            goto fail;
        }
    if (!(o->crossover_probability >= 0.0 && o->crossover_probability <= 1.0) ||
        !(o->mutation_probability <= 1.0) || !(o->sbx_eta >= 0.0) || !(o->pm_eta >= 0.0)) {
        rg_diag_add(diag, "optimize: crossover_probability and mutation_probability must lie "
                          "in [0, 1], sbx_eta and pm_eta must be >= 0");
        goto fail;
    }
    e->crossover_probability = o->crossover_probability;
    e->mutation_probability =
        o->mutation_probability < 0.0 ? 1.0 / (double)e->length : o->mutation_probability;
    e->sbx_eta = o->sbx_eta;
    e->pm_eta = o->pm_eta;

    e->lower = malloc(e->length * sizeof *e->lower);
    e->upper = malloc(e->length * sizeof *e->upper);
    if (!e->lower || !e->upper) {
        rg_diag_add(diag, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < e->length; i++) {
        switch (e->kind) {
        case RG_ENC_BENCHMARK:
            rg_benchmark_bounds(e->bench, i, &e->lower[i], &e->upper[i]);
            break;
        case RG_ENC_SCHEDULE:
            e->lower[i] = 0.0;
            e->upper[i] = (double)(e->n_levels - 1);
            break;
        default:
            e->lower[i] = i < RG_RULE_NPARAM_BASE ? rg_encoding_rule_lower[i] : 0.0;
            e->upper[i] = i < RG_RULE_NPARAM_BASE ? rg_encoding_rule_upper[i] : 1.0;
            break;
        }
    }
    return e;
fail:
    rg_encoding_free(e);
    return NULL;
}

void rg_encoding_free(rg_encoding *e)
{
    if (!e)
        return;
    free(e->lower);
    free(e->upper);
    free(e);
}

int rg_encoding_decode_schedule(const rg_encoding *e, const double genome[], double levels[],
                                char *reason, size_t reason_size)
{
    if (e->kind != RG_ENC_SCHEDULE) {
        snprintf(reason, reason_size, "not a schedule encoding");
        return RG_EINVAL;
    }
    for (size_t q = 0; q < e->n_drugs * e->n_intervals; q++)
        levels[q] = 0.0;
    for (size_t i = 0; i < e->length; i++) {
        double g = genome[i];
        size_t j, k = rg_encoding_gene_interval(e, i, &j);
        if (!isfinite(g) || g < 0.0 || g > (double)(e->n_levels - 1) || g != floor(g)) {
            snprintf(reason, reason_size,
                     "gene %zu (drug %zu, interval %zu) = %.17g is not a "
                     "dose level index in 0..%zu",
                     i, j, k, g, e->n_levels - 1);
            return RG_EINVAL;
        }
        levels[j * e->n_intervals + k] = e->levels[(size_t)g];
    }
    return RG_OK;
}

int rg_encoding_policy(const rg_encoding *e, const rg_problem *p, const double genome[],
                       double levels[], rg_policy *pol, char *reason, size_t reason_size)
{
    int rc;
    if (e->kind == RG_ENC_SCHEDULE) {
        if (rg_encoding_decode_schedule(e, genome, levels, reason, reason_size) != RG_OK)
            return RG_EINVAL;
        rc = rg_policy_init_schedule(pol, p, e->n_drugs, e->drugs, levels);
    } else {
        rg_rule_params rule;
        if (rg_encoding_decode_rule(e, genome, &rule, reason, reason_size) != RG_OK)
            return RG_EINVAL;
        rc = rg_policy_init_rule(pol, p, &rule);
    }
    if (rc != RG_OK)
        snprintf(reason, reason_size, "the policy rejects the decoded genome: %s",
                 rg_strerror(rc));
    return rc;
}

int rg_encoding_decode_rule(const rg_encoding *e, const double genome[], rg_rule_params *out,
                            char *reason, size_t reason_size)
{
    if (e->kind != RG_ENC_ADAPTIVE_RULE) {
        snprintf(reason, reason_size, "not an adaptive_rule encoding");
        return RG_EINVAL;
    }
    for (size_t i = 0; i < e->length; i++) {
        if (!isfinite(genome[i]) || genome[i] < e->lower[i] || genome[i] > e->upper[i]) {
            snprintf(reason, reason_size, "gene %zu (%s) = %.17g outside [%g, %g]", i,
                     i < RG_RULE_NPARAM_BASE ? rule_names[i] : "drug order key", genome[i],
                     e->lower[i], e->upper[i]);
            return RG_EINVAL;
        }
    }
    memset(out, 0, sizeof *out);
    out->dose = genome[0];
    out->stop_below = genome[1];
    out->resume_above = genome[2];
    out->switch_rise = genome[3];
    out->min_dose = genome[4];
    out->n_drugs = e->n_drugs;
    /* argsort of the keys, ascending, ties by position (insertion sort: D <= 16) */
    size_t idx[RG_MAX_DRUGS];
    const double *key = genome + RG_RULE_NPARAM_BASE;
    for (size_t j = 0; j < e->n_drugs; j++) {
        size_t t = j;
        while (t > 0 && key[idx[t - 1]] > key[j]) {
            idx[t] = idx[t - 1];
            t--;
        }
        idx[t] = j;
    }
    for (size_t j = 0; j < e->n_drugs; j++)
        out->order[j] = e->drugs[idx[j]];
    return RG_OK;
}

static size_t nearest_level(const rg_encoding *e, double u)
{
    size_t best = 0;
    for (size_t l = 1; l < e->n_levels; l++)
        if (fabs(e->levels[l] - u) < fabs(e->levels[best] - u))
            best = l;
    return best;
}

/* Position of problem drug d in the encoding's drugs, or -1. */
static int drug_slot(const rg_encoding *e, int d)
{
    for (size_t j = 0; j < e->n_drugs; j++)
        if (e->drugs[j] == d)
            return (int)j;
    return -1;
}

static int schedule_from_regimen(const rg_encoding *e, const rg_problem *p, const rg_regimen *r,
                                 double genome[])
{
    int slot[RG_MAX_DRUGS];
    for (size_t j = 0; j < r->n_drugs; j++) {
        slot[j] = drug_slot(e, r->drugs[j]);
        if (slot[j] < 0)
            return RG_EINVAL;
    }
    if (r->policy == RG_POLICY_FIXED && r->dosing_interval_days != 0.0)
        return RG_EINVAL; /* its boluses are off the drugs' own grids: no genome holds them */
    double zero = (double)nearest_level(e, 0.0);
    for (size_t i = 0; i < e->length; i++)
        genome[i] = zero;
    for (size_t j = 0; j < r->n_drugs; j++) {
        size_t s = (size_t)slot[j];
        double *row = genome + e->first_gene[s];
        for (size_t q = 0; q < e->n_genes[s]; q++) {
            size_t k = q * e->every[s];
            double u;
            switch (r->policy) {
            case RG_POLICY_MTD:
                u = 1.0;
                if (r->cycle_days > 0.0) {
                    long long cyc = llround(r->cycle_days / p->decision_days);
                    long long on = llround(r->on_days / p->decision_days);
                    if (cyc <= 0)
                        return RG_EINVAL;
                    u = (long long)k % cyc < on ? 1.0 : 0.0;
                }
                break;
            case RG_POLICY_METRONOMIC: u = r->level; break;
            case RG_POLICY_FIXED:
                if (r->n_doses[j] == 0 || !r->doses[j])
                    return RG_EINVAL;
                u = r->doses[j][k % r->n_doses[j]];
                break;
            default: return RG_EINVAL;
            }
            row[q] = (double)nearest_level(e, u);
        }
    }
    return RG_OK;
}

static int rule_from_regimen(const rg_encoding *e, const rg_regimen *r, double genome[])
{
    if (r->policy != RG_POLICY_ADAPTIVE || r->n_drugs != 1)
        return RG_EINVAL;
    int s = drug_slot(e, r->drugs[0]);
    if (s < 0)
        return RG_EINVAL;
    double x[RG_RULE_NPARAM_BASE] = {r->dose, r->stop_below, r->resume_above,
                                     rg_encoding_rule_upper[3], 0.0};
    for (size_t i = 0; i < RG_RULE_NPARAM_BASE; i++) {
        if (!(x[i] >= e->lower[i] && x[i] <= e->upper[i]))
            return RG_EINVAL;
        genome[i] = x[i];
    }
    /* the regimen's drug first, the others after it in their listed order */
    size_t next = 1;
    for (size_t j = 0; j < e->n_drugs; j++)
        genome[RG_RULE_NPARAM_BASE + j] =
            (int)j == s ? 0.0 : (double)next++ / (double)e->n_drugs;
    return RG_OK;
}

int rg_encoding_from_regimen(const rg_encoding *e, const rg_problem *p, const rg_regimen *r,
                             double genome[])
{
    switch (e->kind) {
    case RG_ENC_SCHEDULE: return schedule_from_regimen(e, p, r, genome);
    case RG_ENC_ADAPTIVE_RULE: return rule_from_regimen(e, r, genome);
    default: return RG_EINVAL;
    }
}

size_t rg_encoding_rule_values(const rg_encoding *e, const double genome[], double out[])
{
    size_t n = RG_RULE_NPARAM_BASE + e->n_drugs;
    rg_rule_params rp;
    char why[RG_REASON_MAX];
    if (rg_encoding_decode_rule(e, genome, &rp, why, sizeof why) != RG_OK) {
        for (size_t q = 0; q < n; q++)
            out[q] = NAN;
        return n;
    }
    out[0] = rp.dose;
    out[1] = rp.stop_below;
    out[2] = rp.resume_above;
    out[3] = rp.switch_rise;
    out[4] = rp.min_dose;
    for (size_t j = 0; j < e->n_drugs; j++) {
        out[RG_RULE_NPARAM_BASE + j] = NAN;
        for (size_t pos = 0; pos < rp.n_drugs; pos++)
            if (rp.order[pos] == e->drugs[j])
                out[RG_RULE_NPARAM_BASE + j] = (double)(pos + 1);
    }
    return n;
}

void rg_encoding_rule_value_name(const rg_encoding *e, const rg_problem *p, size_t k, char *buf,
                                 size_t size)
{
    if (k < RG_RULE_NPARAM_BASE)
        snprintf(buf, size, "%s", rule_names[k]);
    else
        snprintf(buf, size, "line_of_%.50s", p->drugs[e->drugs[k - RG_RULE_NPARAM_BASE]].name);
}

size_t rg_encoding_n_columns(const rg_encoding *e)
{
    return e->kind == RG_ENC_ADAPTIVE_RULE ? RG_RULE_NPARAM_BASE + e->n_drugs : e->length;
}

void rg_encoding_column_name(const rg_encoding *e, const rg_problem *p, size_t c, char *buf,
                             size_t size)
{
    switch (e->kind) {
    case RG_ENC_SCHEDULE: {
        size_t j, k = rg_encoding_gene_interval(e, c, &j);
        snprintf(buf, size, "dose_%s_d%.15g", p->drugs[e->drugs[j]].name,
                 (double)k * e->decision_days);
        break;
    }
    case RG_ENC_ADAPTIVE_RULE: {
        char name[RG_NAME_MAX + 16];
        rg_encoding_rule_value_name(e, p, c, name, sizeof name);
        snprintf(buf, size, "rule_%s", name);
        break;
    }
    default: snprintf(buf, size, "x%zu", c + 1); break;
    }
}

void rg_encoding_column_text(const rg_encoding *e, const rg_problem *p, const double genome[],
                             size_t c, char *buf, size_t size)
{
    (void)p;
    if (e->kind == RG_ENC_SCHEDULE) {
        double g = genome[c];
        if (isfinite(g) && g >= 0.0 && g <= (double)(e->n_levels - 1) && g == floor(g))
            snprintf(buf, size, "%.17g", e->levels[(size_t)g]);
        else
            snprintf(buf, size, "nan");
        return;
    }
    if (e->kind == RG_ENC_ADAPTIVE_RULE) {
        double v[RG_RULE_NPARAM_BASE + RG_MAX_DRUGS];
        rg_encoding_rule_values(e, genome, v);
        snprintf(buf, size, "%.17g", v[c]);
        return;
    }
    snprintf(buf, size, "%.17g", genome[c]);
}
