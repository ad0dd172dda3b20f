/* regimen simulate PROBLEM.cfg --stochastic N [--seed S] [--csv FILE]: N replicates of the
 * stochastic mode (docs/model.md section 12) beside the deterministic run.
 *
 * Prints, with Wilson score intervals (95% and 99%), the probability that a de novo
 * resistant lineage is alive at the replicate's t_end, the probability of cure (every clone
 * extinct at t_end) and the censored fraction, and the TTP distribution (quartiles of the
 * replicates' TTP, censored ones counting as beyond the horizon), each beside the
 * deterministic kernel's figure. --csv writes one row per replicate through the atomic
 * writer (safefile.h). */
#include "simulate_stochastic.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "regimen/status.h"
#include "regimen/stochastic.h"

#define Z95 1.959963984540054
#define Z99 2.5758293035489004

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of the n sorted TTPs (censored ones sorted as +inf), by the nearest rank:
 * printed as a day, or as ">H" when it falls among the censored. */
static void print_quantile(const double *sorted, size_t n, double q, double H)
{
    size_t idx = (size_t)ceil(q * (double)n);
    idx = idx == 0 ? 0 : idx - 1;
    if (isinf(sorted[idx]))
        printf(">%g", H);
    else
        printf("%g", sorted[idx]);
}

/* One row of the report: k of n, its 95% and 99% Wilson intervals, and the deterministic
 * figure beside it. */
static void print_proportion(const char *what, size_t k, size_t n, const char *det)
{
    double l95, h95, l99, h99;
    rg_stoch_wilson(k, n, Z95, &l95, &h95);
    rg_stoch_wilson(k, n, Z99, &l99, &h99);
    printf("  %-34s %.4f (%zu of %zu)  95%% [%.4f, %.4f]  99%% [%.4f, %.4f]\n", what,
           (double)k / (double)n, k, n, l95, h95, l99, h99);
    printf("  %-34s %s\n", "", det);
}

/* What the replicates add up to. */
typedef struct {
    size_t n, alive, cured, censored, failed;
    double *ttp; /* n: the progression day, +inf when censored */
} tally;

static void tally_add(tally *t, const rg_stoch_result *res)
{
    t->alive += res->de_novo_alive;
    t->cured += res->cured;
    t->censored += !res->progressed;
    t->failed += res->status != RG_OK;
    t->ttp[t->n++] = res->progressed ? res->ttp : INFINITY;
}

/* The summary of the replicates on stdout. */
static void print_report(const rg_problem *p, tally *t, uint64_t seed,
                         const rg_sim_summary *det)
{
    const double H = p->horizon_days;
    const size_t n = t->n;
    char line[160];
    qsort(t->ttp, n, sizeof *t->ttp, cmp_double);
    printf("stochastic mode (docs/model.md section 12): %zu replicates, seed %llu\n", n,
           (unsigned long long)seed);
    printf("  populations below %g cells as birth-death processes, step %.4g days; "
           "Wilson score intervals\n",
           RG_STOCH_THRESHOLD, rg_stoch_step(p, NULL));
    if (t->failed)
        printf("  replicates stopped at a non-finite burden: %zu\n", t->failed);
    snprintf(line, sizeof line, "deterministic: resistance_probability %.6g (L %.6g)",
             det->resistance_probability, det->hazard);
    print_proportion("de novo resistant lineage alive", t->alive, n, line);
    snprintf(line, sizeof line, "deterministic: final burden %.6g cells", det->final_burden);
    print_proportion("cure (every clone extinct)", t->cured, n, line);
    snprintf(line, sizeof line, "deterministic: %s",
             det->progressed ? "progressed" : "censored");
    print_proportion("TTP censored at the horizon", t->censored, n, line);
    printf("  %-34s ", "TTP quartiles (days)");
    print_quantile(t->ttp, n, 0.25, H);
    printf(", median ");
    print_quantile(t->ttp, n, 0.5, H);
    printf(", ");
    print_quantile(t->ttp, n, 0.75, H);
    if (det->progressed)
        printf("; deterministic %g\n", det->ttp);
    else
        printf("; deterministic >%g (censored)\n", H);
}

static void csv_header(FILE *f, const rg_problem *p)
{
    fprintf(f, "replicate,ttp,ttp_censored,de_novo_alive,cured,final_burden");
    for (size_t i = 0; i < p->n_clones; i++)
        fprintf(f, ",final_%s", p->clones[i].name);
    fprintf(f, "\n");
}

static void csv_row(FILE *f, const rg_problem *p, size_t r, const rg_stoch_result *res)
{
    fprintf(f, "%zu,%.10g,%d,%d,%d,%.10g", r, res->ttp, !res->progressed, res->de_novo_alive,
            res->cured, res->final_burden);
    for (size_t i = 0; i < p->n_clones; i++)
        fprintf(f, ",%.10g", res->clones[i]);
    fprintf(f, "\n");
}

int rg_simulate_stochastic_check(const rg_problem *p, const char *file)
{
    if (!(p->extinction_cells > 0.0)) {
        fprintf(stderr,
                "%s: extinction_cells: the stochastic mode needs cell counts, and "
                "extinction_cells = 0 marks a problem in normalised units\n",
                file);
        return 2;
    }
    double h = rg_stoch_step(p, NULL);
    if (!(h > 0.0) || p->horizon_days / h > RG_STOCH_MAX_STEPS) {
        fprintf(stderr,
                "%s: half_life_days: the stochastic mode's step (%g days, at most a quarter of "
                "the shortest drug half-life) would take %.3g steps per replicate, more than "
                "%g\n",
                file, h, p->horizon_days / h, RG_STOCH_MAX_STEPS);
        return 2;
    }
    return 0;
}

int rg_simulate_stochastic(const rg_problem *p, const char *file, const rg_dosing *dosing,
                           const rg_stoch_options *o, const rg_sim_summary *det)
{
    int code = 0;
    tally t = {.ttp = malloc(o->n * sizeof(double))};
    rg_stoch_workspace *w = rg_stoch_alloc(p, NULL);
    if (!t.ttp || !w) {
        fprintf(stderr, "regimen simulate: out of memory\n");
        code = 1;
        goto done;
    }
    if (o->csv)
        csv_header(o->csv, p);
    for (size_t r = 0; r < o->n; r++) {
        rg_stoch_result res;
        int st = rg_stoch_run(w, p, dosing, o->seed, r, &res);
        if (st != RG_OK) {
            fprintf(stderr, "%s: stochastic replicate %zu failed: %s\n", file, r,
                    rg_strerror(st));
            code = st == RG_EINVAL ? 2 : 1;
            goto done;
        }
        tally_add(&t, &res);
        if (o->csv)
            csv_row(o->csv, p, r, &res);
    }
    if (o->report) {
        print_report(p, &t, o->seed, det);
        if (o->csv)
            printf("replicates: %s (%zu rows)\n", o->csv_name, o->n);
    }
done:
    rg_stoch_free(w);
    free(t.ttp);
    return code;
}
