/* bench/nsga2: the optimiser's own time per generation, evaluations excluded, at
 * populations 100, 1,000 and 10,000 with 2, 3 and 5 objectives.
 *
 * The problem is DTLZ2 (n = M + 9 variables), whose populations spread over a front in any
 * number of objectives. Each configuration runs init and then G generations; the batch
 * function is timed and subtracted, leaving sort + crowding + selection + variation +
 * hypervolume. Separately timed on the final population: the constrained non-dominated sort
 * with crowding of 2N results (rank), and the exact hypervolume of the first front (hv).
 *
 * A second table gives the worst case for sort and hypervolume (a whole population of
 * mutually non-dominated points) and the variation operators' time for N children.
 *
 * usage: nsga2 [MAX_POPULATION]   (default 10000), or nsga2 N M for one real-run line */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_rng.h>

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/hypervolume.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

typedef struct {
    rg_evaluator *ev;
    double seconds;
} timed_ctx;

static int timed_batch(void *ctx, size_t n, size_t length, const double genomes[],
                       rg_eval_result out[])
{
    timed_ctx *t = ctx;
    double t0 = now_s();
    int rc = rg_evaluator_eval_batch(t->ev, n, length, genomes, out);
    t->seconds += now_s() - t0;
    return rc;
}

static void bench(size_t pop, size_t m)
{
    rg_problem *p = rg_problem_alloc();
    p->bench.kind = RG_BENCH_DTLZ2;
    p->bench.n_vars = m + 9;
    p->bench.n_obj = m;
    p->optimize.encoding = RG_ENC_BENCHMARK;
    p->optimize.n_objectives = m;
    for (size_t j = 0; j < m; j++)
        p->optimize.objectives[j] = RG_OBJ_BENCH_F1 + (int)j;
    p->optimize.population = pop;
    p->optimize.seed = 2002;
    p->optimize.has_reference_point = true;
    for (size_t j = 0; j < m; j++)
        p->optimize.reference_point[j] = 2.5;
    size_t gens = pop <= 100 ? 100 : pop <= 1000 ? 20 : 3;
    p->optimize.generations = gens;
    rg_diag d;
    rg_diag_init(&d);
    timed_ctx t = {rg_evaluator_alloc(p, &d), 0.0};
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(p, m, &s);
    rg_nsga2 *g = rg_nsga2_alloc(rg_evaluator_encoding(t.ev), &s);
    if (!t.ev || !g) {
        fprintf(stderr, "allocation failed\n");
        exit(1);
    }
    rg_nsga2_init(g, timed_batch, &t, NULL, 0);
    t.seconds = 0.0;
    double t0 = now_s();
    while (!rg_nsga2_done(g))
        rg_nsga2_step(g);
    double total = now_s() - t0, own = (total - t.seconds) / (double)gens;
    double eval_per = t.seconds / (double)gens;

    /* sort + crowding of 2N results: the final population twice over */
    size_t n = rg_nsga2_population(g);
    rg_eval_result *two = malloc(2 * n * sizeof *two);
    size_t *rank = malloc(2 * n * sizeof *rank);
    double *crowd = malloc(2 * n * sizeof *crowd);
    memcpy(two, rg_nsga2_results(g), n * sizeof *two);
    memcpy(two + n, rg_nsga2_results(g), n * sizeof *two);
    double r0 = now_s();
    rg_nsga2_rank(two, 2 * n, m, rank, crowd);
    double rank_s = now_s() - r0;

    size_t *idx = malloc(n * sizeof *idx), k = rg_nsga2_front(g, idx);
    double *pts = malloc(k * m * sizeof *pts), v = 0.0;
    for (size_t i = 0; i < k; i++)
        memcpy(pts + i * m, rg_nsga2_results(g)[idx[i]].fitness, m * sizeof(double));
    double h0 = now_s();
    rg_hypervolume(pts, k, m, rg_nsga2_reference(g), &v);
    double hv_s = now_s() - h0;

    printf("| %6zu | %zu | %5zu | %11.3f | %11.3f | %11.3f | %11.3f |\n", n, m, k, own * 1e3,
           rank_s * 1e3, hv_s * 1e3, eval_per * 1e3);
    fflush(stdout);
    free(two);
    free(rank);
    free(crowd);
    free(idx);
    free(pts);
    rg_nsga2_free(g);
    rg_evaluator_free(t.ev);
    rg_problem_free(p);
}

/* Worst case for sort and hypervolume: N points spread on DTLZ2's front (the unit sphere's
 * positive orthant; all mutually non-dominated), and N copies pushed outwards by 0.1% (a
 * second front); variation: N children from random parents with SBX and PM. */
static void worst_case(size_t n, size_t m)
{
    rg_eval_result *r = calloc(2 * n, sizeof *r);
    size_t *rank = malloc(2 * n * sizeof *rank);
    double *crowd = malloc(2 * n * sizeof *crowd), *pts = malloc(n * m * sizeof *pts);
    uint64_t st = 88172645463325252ull;
    for (size_t i = 0; i < n; i++) {
        double norm = 0.0;
        for (size_t j = 0; j < m; j++) {
            st ^= st << 13;
            st ^= st >> 7;
            st ^= st << 17;
            double u = 1e-3 + (double)(st >> 11) / 9007199254740992.0;
            pts[i * m + j] = u;
            norm += u * u;
        }
        for (size_t j = 0; j < m; j++) {
            pts[i * m + j] /= sqrt(norm);
            r[i].fitness[j] = pts[i * m + j];
            r[n + i].fitness[j] = 1.001 * pts[i * m + j];
        }
    }
    double t0 = now_s();
    rg_nsga2_rank(r, 2 * n, m, rank, crowd);
    double rank_s = now_s() - t0;
    double ref[RG_MAX_OBJ], v;
    for (size_t j = 0; j < m; j++)
        ref[j] = 1.1;
    t0 = now_s();
    rg_hypervolume(pts, n, m, ref, &v);
    double hv_s = now_s() - t0;

    rg_problem *p = rg_problem_alloc();
    p->bench.kind = RG_BENCH_DTLZ2;
    p->bench.n_vars = m + 9;
    p->bench.n_obj = m;
    p->optimize.encoding = RG_ENC_BENCHMARK;
    rg_diag d;
    rg_diag_init(&d);
    rg_encoding *e = rg_encoding_alloc(p, &d);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    size_t len = e->length;
    double *par = malloc(2 * len * sizeof *par), *kid = malloc(n * len * sizeof *kid);
    rg_encoding_random(e, rng, par);
    rg_encoding_random(e, rng, par + len);
    t0 = now_s();
    for (size_t i = 0; i + 1 < n; i += 2) {
        rg_encoding_crossover(e, rng, par, par + len, kid + i * len, kid + (i + 1) * len);
        rg_encoding_mutate(e, rng, kid + i * len);
        rg_encoding_mutate(e, rng, kid + (i + 1) * len);
    }
    double var_s = now_s() - t0;
    printf("| %6zu | %zu | %11.3f | %11.3f | %11.3f |\n", n, m, rank_s * 1e3, hv_s * 1e3,
           var_s * 1e3);
    fflush(stdout);
    gsl_rng_free(rng);
    free(par);
    free(kid);
    rg_encoding_free(e);
    rg_problem_free(p);
    free(r);
    free(rank);
    free(crowd);
    free(pts);
}

int main(int argc, char **argv)
{
    size_t maxpop = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 10000;
    if (argc > 2) { /* one configuration: nsga2 N M */
        bench(maxpop, (size_t)strtoul(argv[2], NULL, 10));
        return 0;
    }
    printf("NSGA-II on DTLZ2, CPU ms per generation (evaluations excluded)\n\n");
    printf("| N      | M | front | own/gen     | rank 2N     | hv front    | DTLZ2 evals |\n");
    printf("|--------|---|-------|-------------|-------------|-------------|-------------|\n");
    const size_t pops[3] = {100, 1000, 10000}, objs[3] = {2, 3, 5};
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++)
            if (pops[a] <= maxpop)
                bench(pops[a], objs[b]);
    printf("\nWorst case: N mutually non-dominated points (DTLZ2 front), CPU ms\n\n");
    printf("| N      | M | rank 2N     | hv N points | variation N |\n");
    printf("|--------|---|-------------|-------------|-------------|\n");
    for (size_t a = 0; a < 3; a++)
        for (size_t b = 0; b < 3; b++)
            if (pops[a] <= maxpop)
                worst_case(pops[a], objs[b]);
    return 0;
}
