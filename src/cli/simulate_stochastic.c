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

#include "regimen/safefile.h"
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

static void print_proportion(const char *what, size_t k, size_t n)
{
    double l95, h95, l99, h99;
    rg_stoch_wilson(k, n, Z95, &l95, &h95);
    rg_stoch_wilson(k, n, Z99, &l99, &h99);
    printf("%s: %.4f (%zu of %zu); 95%% [%.4f, %.4f]; 99%% [%.4f, %.4f]", what,
           (double)k / (double)n, k, n, l95, h95, l99, h99);
}

/* The summary of the n replicates on stdout. */
static void print_report(const rg_problem *p, const rg_stoch_result *res, size_t n,
                         uint64_t seed, const rg_sim_summary *det, double *ttp)
{
    double H = p->horizon_days;
    size_t alive = 0, cured = 0, censored = 0, failed = 0;
    for (size_t r = 0; r < n; r++) {
        alive += res[r].de_novo_alive;
        cured += res[r].cured;
        censored += !res[r].progressed;
        failed += res[r].status != RG_OK;
        ttp[r] = res[r].progressed ? res[r].ttp : INFINITY;
    }
    qsort(ttp, n, sizeof *ttp, cmp_double);
    printf("stochastic mode: %zu replicates, seed %llu, threshold %g cells, step <= %g days "
           "(Wilson score intervals)\n",
           n, (unsigned long long)seed, RG_STOCH_THRESHOLD, RG_STOCH_MAX_STEP);
    if (failed)
        printf("replicates stopped at a non-finite burden: %zu\n", failed);
    print_proportion("de novo resistant lineage alive at t_end", alive, n);
    printf("; deterministic resistance_probability %.6g\n", det->resistance_probability);
    print_proportion("cure (every clone extinct at t_end)", cured, n);
    printf("; deterministic final burden %.6g cells\n", det->final_burden);
    print_proportion("TTP censored (no progression by the horizon)", censored, n);
    printf("; deterministic %s\n", det->progressed ? "progressed" : "censored");
    printf("TTP quartiles (days): ");
    print_quantile(ttp, n, 0.25, H);
    printf(", median ");
    print_quantile(ttp, n, 0.5, H);
    printf(", ");
    print_quantile(ttp, n, 0.75, H);
    if (det->progressed)
        printf("; deterministic TTP %g\n", det->ttp);
    else
        printf("; deterministic TTP >%g (censored)\n", H);
}

static void write_csv(FILE *f, const rg_problem *p, const rg_stoch_result *res, size_t n)
{
    fprintf(f, "replicate,ttp,ttp_censored,de_novo_alive,cured");
    for (size_t i = 0; i < p->n_clones; i++)
        fprintf(f, ",final_%s", p->clones[i].name);
    fprintf(f, "\n");
    for (size_t r = 0; r < n; r++) {
        fprintf(f, "%zu,%.10g,%d,%d,%d", r, res[r].ttp, !res[r].progressed,
                res[r].de_novo_alive, res[r].cured);
        for (size_t i = 0; i < p->n_clones; i++)
            fprintf(f, ",%.10g", res[r].clones[i]);
        fprintf(f, "\n");
    }
}

int rg_simulate_stochastic(const rg_problem *p, const char *file, const rg_dosing *dosing,
                           const rg_stoch_options *o, const rg_sim_summary *det, rg_diag *diag)
{
    if (!(p->extinction_cells > 0.0)) {
        fprintf(stderr,
                "%s: extinction_cells: the stochastic mode needs cell counts, and "
                "extinction_cells = 0 marks a problem in normalised units\n",
                file);
        return 2;
    }
    rg_safefile sf = {0};
    if (o->csv) {
        int st = rg_safefile_open(&sf, o->csv, o->force, diag);
        if (st != RG_OK) {
            rg_diag_print(diag, stderr);
            return rg_status_exit_code(st);
        }
    }
    int code = 0;
    rg_stoch_result *res = calloc(o->n, sizeof *res);
    double *ttp = calloc(o->n, sizeof *ttp);
    rg_stoch_workspace *w = rg_stoch_alloc(p, NULL);
    if (!res || !ttp || !w) {
        fprintf(stderr, "regimen simulate: out of memory\n");
        code = 1;
        goto done;
    }
    for (size_t r = 0; r < o->n; r++) {
        int st = rg_stoch_run(w, p, dosing, o->seed, r, &res[r]);
        if (st != RG_OK) {
            fprintf(stderr, "%s: stochastic replicate %zu failed: %s\n", file, r,
                    rg_strerror(st));
            code = st == RG_EINVAL ? 2 : 1;
            goto done;
        }
    }
    if (o->csv)
        write_csv(sf.f, p, res, o->n);
    if (!o->csv || strcmp(o->csv, "-") != 0) {
        print_report(p, res, o->n, o->seed, det, ttp);
        if (o->csv)
            printf("replicates: %s (%zu rows)\n", o->csv, o->n);
    }
done:
    rg_stoch_free(w);
    free(res);
    free(ttp);
    if (o->csv && rg_safefile_close(&sf, code == 0, o->force, diag) != RG_OK) {
        rg_diag_print(diag, stderr);
        code = 1;
    }
    return code;
}
