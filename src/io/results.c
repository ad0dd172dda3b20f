/* rg_results in memory: allocation, provenance from a problem, history rows, lookups. */
#include "regimen/results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "regimen/evaluate.h"
#include "regimen/problem_load.h"

#include "results_spool.h"

#ifndef RG_VERSION
#define RG_VERSION "unknown"
#endif

rg_results *rg_results_alloc(void)
{
    rg_results *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    snprintf(r->version, sizeof r->version, "%s", RG_VERSION);
    r->n_ranks = 1;
    r->reference_rule = -1;
    return r;
}

static void traj_free(rg_traj_set *t)
{
    free(t->burden);
    free(t->resistant);
    free(t->clones);
    free(t->conc);
    free(t->levels);
    free(t->anc);
    free(t->t_end);
    memset(t, 0, sizeof *t);
}

void rg_results_free(rg_results *r)
{
    if (!r)
        return;
    free(r->problem_text);
    free(r->command_line);
    free(r->history_generation);
    free(r->history_evaluations);
    free(r->hypervolume);
    free(r->archive_hypervolume);
    free(r->history_genomes);
    free(r->history_objectives);
    free(r->history_violation);
    rg_results_spool_free(r->history_spool);
    free(r->cohort_params);
    free(r->patient_values);
    free(r->front_genomes);
    free(r->front_objectives);
    free(r->front_violation);
    free(r->front_flags);
    free(r->front_doses);
    free(r->gene_drug);
    free(r->gene_day);
    free(r->front_rule);
    free(r->regimen_objectives);
    free(r->regimen_violation);
    free(r->regimen_flags);
    free(r->patient_names);
    free(r->patient_front_objectives);
    free(r->patient_front_violation);
    free(r->patient_front_flags);
    free(r->patient_regimen_objectives);
    free(r->patient_regimen_violation);
    free(r->patient_regimen_flags);
    free(r->traj_t);
    traj_free(&r->traj_front);
    traj_free(&r->traj_regimens);
    free(r);
}

static int set_string(char **dst, const char *s)
{
    char *c = strdup(s ? s : "");
    if (!c)
        return RG_ENOMEM;
    free(*dst);
    *dst = c;
    return RG_OK;
}

int rg_results_set_command_line(rg_results *r, const char *s)
{
    return set_string(&r->command_line, s);
}

/* Quotes an argument for a POSIX shell when it holds anything beyond a safe set. */
static size_t quote_arg(char *out, const char *a)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "0123456789-_./=:,+@%";
    size_t n = 0;
    int plain = *a != '\0';
    for (const char *c = a; *c; c++)
        if (!strchr(safe, *c))
            plain = 0;
    if (plain) {
        for (const char *c = a; *c; c++)
            if (out)
                out[n++] = *c;
            else
                n++;
        return n;
    }
    if (out)
        out[n] = '\'';
    n++;
    for (const char *c = a; *c; c++) {
        if (*c == '\'') {
            if (out)
                memcpy(out + n, "'\\''", 4);
            n += 4;
        } else {
            if (out)
                out[n] = *c;
            n++;
        }
    }
    if (out)
        out[n] = '\'';
    return n + 1;
}

int rg_results_set_argv(rg_results *r, int argc, char *const argv[])
{
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += quote_arg(NULL, argv[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return RG_ENOMEM;
    size_t n = 0;
    for (int i = 0; i < argc; i++) {
        if (i)
            s[n++] = ' ';
        n += quote_arg(s + n, argv[i]);
    }
    s[n] = '\0';
    free(r->command_line);
    r->command_line = s;
    return RG_OK;
}

void rg_results_now(char buf[RG_RESULTS_TIME_MAX])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, RG_RESULTS_TIME_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* The resolved cohort: patient names, parameter paths, values (none without a cohort). */
static int set_cohort(rg_results *r, const rg_cohort *c)
{
    if (!c)
        return RG_OK;
    if (rg_results_alloc_patients(r, c->n_patients) != RG_OK)
        return RG_ENOMEM;
    memcpy(r->patient_names, c->names, c->n_patients * sizeof *r->patient_names);
    free(r->cohort_params);
    free(r->patient_values);
    r->n_cohort_params = c->n_params;
    r->cohort_params = malloc((c->n_params ? c->n_params : 1) * sizeof *r->cohort_params);
    r->patient_values = malloc((c->n_patients * c->n_params + 1) * sizeof(double));
    if (!r->cohort_params || !r->patient_values)
        return RG_ENOMEM;
    memcpy(r->cohort_params, c->params, c->n_params * sizeof *r->cohort_params);
    memcpy(r->patient_values, c->values, c->n_patients * c->n_params * sizeof(double));
    return RG_OK;
}

int rg_results_set_problem(rg_results *r, const rg_problem *p)
{
    if (set_string(&r->problem_text, p->text) != RG_OK)
        return RG_ENOMEM;
    snprintf(r->problem_name, sizeof r->problem_name, "%s", p->name);
    const rg_optimize *o = &p->optimize;
    r->encoding = o->encoding;
    r->seed = o->seed;
    r->population = o->population;
    r->n_obj = o->n_objectives;
    for (size_t m = 0; m < r->n_obj && m < RG_MAX_OBJ; m++) {
        snprintf(r->objective_names[m], RG_NAME_MAX, "%s", rg_objective_name(o->objectives[m]));
        r->maximised[m] = rg_objective_maximised(o->objectives[m]);
        r->reference_point[m] = o->has_reference_point ? o->reference_point[m] : 0.0;
    }
    r->has_reference_point = o->has_reference_point;
    r->n_drugs = 0;
    r->n_intervals = 0;
    r->n_visits = 0;
    r->n_clones = 0;
    r->n_drugs_all = 0;
    if (p->bench.kind != RG_BENCH_NONE)
        return RG_OK;
    r->decision_days = p->decision_days;
    if (o->encoding == RG_ENC_SCHEDULE || o->encoding == RG_ENC_ADAPTIVE_RULE) {
        r->n_intervals = rg_problem_n_intervals(p);
        size_t nd = o->n_drugs ? o->n_drugs : p->n_drugs;
        for (size_t j = 0; j < nd; j++) {
            size_t d = o->n_drugs ? (size_t)o->drugs[j] : j;
            snprintf(r->drug_names[j], RG_NAME_MAX, "%s", p->drugs[d].name);
        }
        r->n_drugs = nd;
    }
    r->n_visits = rg_problem_n_visits(p);
    r->n_clones = p->n_clones;
    r->n_drugs_all = p->n_drugs;
    /* the clone and drug names: rg_results_fill_model, with the trajectories */
    return set_cohort(r, p->cohort);
}

int rg_results_load_problem(const rg_results *r, const char *name, rg_problem **out,
                            rg_diag *diag)
{
    const char *text = r->problem_text ? r->problem_text : "";
    if (r->n_patients == 0 || r->n_cohort_params == 0 || !r->patient_values)
        return rg_problem_load_string(text, name, out, diag);
    rg_cohort stored = {.n_params = r->n_cohort_params,
                        .n_patients = r->n_patients,
                        .params = r->cohort_params,
                        .names = r->patient_names,
                        .values = r->patient_values};
    return rg_problem_load_string_cohort(text, name, &stored, out, diag);
}

static int grow(void **p, size_t cap, size_t esize)
{
    size_t bytes = cap * esize;
    void *q = realloc(*p, bytes ? bytes : 1);
    if (!q)
        return RG_ENOMEM;
    *p = q;
    return RG_OK;
}

int rg_results_add_generation(rg_results *r, uint64_t generation, uint64_t evaluations,
                              double hypervolume, const double genomes[],
                              const double objectives[], const double violation[])
{
    size_t N = r->population, L = r->genome_length, M = r->n_obj;
    /* spooled: only the per-row scalars are held in memory */
    size_t rows = r->history_spool ? 0 : 1;
    if (r->n_history == r->history_cap) {
        size_t cap = r->history_cap ? 2 * r->history_cap : 16;
        if (grow((void **)&r->history_generation, cap, sizeof(uint64_t)) ||
            grow((void **)&r->history_evaluations, cap, sizeof(uint64_t)) ||
            grow((void **)&r->hypervolume, cap, sizeof(double)) ||
            grow((void **)&r->archive_hypervolume, cap, sizeof(double)) ||
            (rows && grow((void **)&r->history_genomes, cap * N * L, sizeof(double))) ||
            (rows && grow((void **)&r->history_objectives, cap * N * M, sizeof(double))) ||
            (rows && grow((void **)&r->history_violation, cap * N, sizeof(double))))
            return RG_ENOMEM;
        r->history_cap = cap;
    }
    size_t g = r->n_history;
    if (r->history_spool) {
        int rc = rg_results_spool_put(r, g, genomes, objectives, violation);
        if (rc != RG_OK)
            return rc;
    }
    r->history_generation[g] = generation;
    r->history_evaluations[g] = evaluations;
    r->hypervolume[g] = hypervolume;
    r->archive_hypervolume[g] = NAN;
    if (!rows) {
        r->n_history++;
        return RG_OK;
    }
    if (N * L > 0)
        memcpy(r->history_genomes + g * N * L, genomes, N * L * sizeof(double));
    if (N * M > 0)
        memcpy(r->history_objectives + g * N * M, objectives, N * M * sizeof(double));
    if (N)
        memcpy(r->history_violation + g * N, violation, N * sizeof(double));
    r->n_history++;
    return RG_OK;
}

int rg_results_set_archive_hv(rg_results *r, double hypervolume)
{
    if (r->n_history == 0 || !r->archive_hypervolume)
        return RG_EINVAL;
    r->archive_hypervolume[r->n_history - 1] = hypervolume;
    return RG_OK;
}

static int zalloc(void **p, size_t n, size_t esize)
{
    free(*p);
    *p = NULL;
    if (n == 0)
        return RG_OK;
    *p = calloc(n, esize);
    return *p ? RG_OK : RG_ENOMEM;
}

int rg_results_alloc_front(rg_results *r, size_t n)
{
    r->front_size = n;
    if (zalloc((void **)&r->front_genomes, n * r->genome_length, sizeof(double)) ||
        zalloc((void **)&r->front_objectives, n * r->n_obj, sizeof(double)) ||
        zalloc((void **)&r->front_violation, n, sizeof(double)) ||
        zalloc((void **)&r->front_flags, n, sizeof(uint32_t)) ||
        zalloc((void **)&r->front_doses,
               r->encoding == RG_ENC_SCHEDULE || r->encoding == RG_ENC_ADAPTIVE_RULE
                   ? n * r->n_drugs * r->n_intervals
                   : 0,
               sizeof(double)) ||
        zalloc((void **)&r->front_rule, n * r->n_rule_params, sizeof(double)))
        return RG_ENOMEM;
    return RG_OK;
}

int rg_results_alloc_regimens(rg_results *r, size_t n)
{
    if (n > RG_MAX_REGIMENS)
        return RG_ELIMIT;
    r->n_regimens = n;
    if (zalloc((void **)&r->regimen_objectives, n * r->n_obj, sizeof(double)) ||
        zalloc((void **)&r->regimen_violation, n, sizeof(double)) ||
        zalloc((void **)&r->regimen_flags, n, sizeof(uint32_t)))
        return RG_ENOMEM;
    return RG_OK;
}

static int traj_alloc(rg_traj_set *t, size_t n, const rg_results *r)
{
    size_t V = r->n_visits, C = r->n_clones, D = r->n_drugs_all, K = r->n_traj_intervals;
    traj_free(t);
    t->n = n;
    if (zalloc((void **)&t->burden, n * V, sizeof(double)) ||
        zalloc((void **)&t->resistant, n * V, sizeof(double)) ||
        zalloc((void **)&t->clones, n * C * V, sizeof(double)) ||
        zalloc((void **)&t->conc, n * D * V, sizeof(double)) ||
        zalloc((void **)&t->levels, n * D * K, sizeof(double)) ||
        (r->traj_anc && zalloc((void **)&t->anc, n * V, sizeof(double))) ||
        zalloc((void **)&t->t_end, n, sizeof(double)))
        return RG_ENOMEM;
    return RG_OK;
}

int rg_results_alloc_patients(rg_results *r, size_t n_patients)
{
    size_t P = n_patients, F = r->front_size, R = r->n_regimens, M = r->n_obj;
    r->n_patients = P;
    if (zalloc((void **)&r->patient_names, P, RG_NAME_MAX) ||
        zalloc((void **)&r->patient_front_objectives, F * P * M, sizeof(double)) ||
        zalloc((void **)&r->patient_front_violation, F * P, sizeof(double)) ||
        zalloc((void **)&r->patient_front_flags, F * P, sizeof(uint32_t)) ||
        zalloc((void **)&r->patient_regimen_objectives, R * P * M, sizeof(double)) ||
        zalloc((void **)&r->patient_regimen_violation, R * P, sizeof(double)) ||
        zalloc((void **)&r->patient_regimen_flags, R * P, sizeof(uint32_t)))
        return RG_ENOMEM;
    return RG_OK;
}

int rg_results_alloc_trajectories(rg_results *r, size_t n_front, size_t n_reg)
{
    if (zalloc((void **)&r->traj_t, r->n_visits, sizeof(double)) ||
        traj_alloc(&r->traj_front, n_front, r) || traj_alloc(&r->traj_regimens, n_reg, r))
        return RG_ENOMEM;
    return RG_OK;
}

bool rg_results_feasible(double violation, uint32_t flags)
{
    return rg_eval_result_feasible(violation, flags);
}

void rg_results_text_hash(const char *text, char out[17])
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a offset basis */
    for (const unsigned char *c = (const unsigned char *)(text ? text : ""); *c; c++) {
        h ^= *c;
        h *= 1099511628211ULL;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
}

long rg_results_best(const double table[], size_t n, size_t n_obj, size_t m,
                     const bool maximised[], const double violation[], const uint32_t flags[])
{
    long best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!rg_results_feasible(violation ? violation[i] : 0.0, flags ? flags[i] : 0))
            continue;
        double v = table[i * n_obj + m];
        if (best < 0)
            best = (long)i;
        else {
            double b = table[(size_t)best * n_obj + m];
            if (maximised[m] ? v > b : v < b)
                best = (long)i;
        }
    }
    return best;
}
