/* NSGA-II: constrained domination, non-dominated sort and crowding on hand-made sets and
 * against a brute-force layering; ZDT1 with Deb's settings; reproducibility; checkpoint
 * export/import resumes bit-identically. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/hypervolume.h"
#include "regimen/nsga2.h"
#include "regimen/problem.h"

static rg_eval_result mk(double f0, double f1, double viol)
{
    rg_eval_result r;
    memset(&r, 0, sizeof r);
    r.fitness[0] = f0;
    r.fitness[1] = f1;
    r.violation = viol;
    return r;
}

static void test_constrained_domination(void **state)
{
    (void)state;
    rg_eval_result a = mk(1.0, 2.0, 0.0), b = mk(2.0, 2.0, 0.0), c = mk(0.5, 3.0, 0.0);
    rg_eval_result bad1 = mk(0.0, 0.0, 0.25), bad2 = mk(0.0, 0.0, 0.75);
    assert_int_equal(rg_nsga2_compare(&a, &b, 2), 1);
    assert_int_equal(rg_nsga2_compare(&b, &a, 2), -1);
    assert_int_equal(rg_nsga2_compare(&a, &c, 2), 0);
    assert_int_equal(rg_nsga2_compare(&a, &a, 2), 0);
    /* feasible beats infeasible whatever the objectives */
    assert_int_equal(rg_nsga2_compare(&b, &bad1, 2), 1);
    assert_int_equal(rg_nsga2_compare(&bad1, &b, 2), -1);
    /* two infeasible: the lower total violation wins */
    assert_int_equal(rg_nsga2_compare(&bad1, &bad2, 2), 1);
    assert_int_equal(rg_nsga2_compare(&bad2, &bad1, 2), -1);
    rg_eval_result bad3 = mk(5.0, 5.0, 0.25);
    assert_int_equal(rg_nsga2_compare(&bad1, &bad3, 2), 0);
}

/* Hand-made set: fronts known by construction. */
static void test_sort_hand_made(void **state)
{
    (void)state;
    rg_eval_result r[] = {
        mk(1.5, 7.25, 0),  /* 0: front 0 */
        mk(3.0, 3.0, 0),   /* 1: front 0 */
        mk(6.5, 1.0, 0),   /* 2: front 0 */
        mk(3.5, 4.0, 0),   /* 3: front 1 (dominated by 1) */
        mk(3.0, 3.0, 0),   /* 4: duplicate of 1: front 0 */
        mk(7.0, 7.5, 0),   /* 5: front 2 (dominated by 3) */
        mk(0.1, 0.1, 2.5), /* 6: infeasible, violation 2.5: after every feasible front */
        mk(9.0, 9.0, 0.5), /* 7: infeasible 0.5: before 6 */
        mk(1.0, 1.0, 0.5), /* 8: same violation as 7: same front */
        mk(1.5, 8.0, 0),   /* 9: front 1 (dominated by 0: same f1, larger f2) */
    };
    size_t n = sizeof r / sizeof r[0], rank[10];
    double crowd[10];
    assert_int_equal(rg_nsga2_rank(r, n, 2, rank, crowd), RG_OK);
    const size_t want[10] = {0, 0, 0, 1, 0, 2, 4, 3, 3, 1};
    for (size_t i = 0; i < n; i++)
        assert_int_equal(rank[i], want[i]);
    /* crowding of front 0 = {0, 1, 4, 2}: f1 range 1.5..6.5 (5), f2 range 1..7.25 (6.25).
     * sorted by f1: 0, 1, 4, 2 (1 and 4 tie, input order kept); ends infinite.
     * member 1: f1 neighbours 0 and 4: (3 - 1.5)/5; f2 sorted: 2, 1, 4, 0 -> neighbours 2 and
     * 4: (3 - 1)/6.25. member 4: f1 neighbours 1 and 2: (6.5 - 3)/5; f2 neighbours 1, 0:
     * (7.25 - 3)/6.25. */
    assert_true(crowd[0] == HUGE_VAL && crowd[2] == HUGE_VAL);
    assert_close(crowd[1], 1.5 / 5.0 + 2.0 / 6.25, 1e-15, 0);
    assert_close(crowd[4], 3.5 / 5.0 + 4.25 / 6.25, 1e-15, 0);
    /* fronts of one or two members are all boundary */
    assert_true(crowd[3] == HUGE_VAL && crowd[9] == HUGE_VAL && crowd[5] == HUGE_VAL);
}

static void test_crowding_three_objectives(void **state)
{
    (void)state;
    /* one front of 3 points in 3 objectives: every point is an end in some objective */
    rg_eval_result r[4];
    double f[4][3] = {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}, {2.5, 2.5, 2.5}};
    for (size_t i = 0; i < 4; i++) {
        memset(&r[i], 0, sizeof r[i]);
        memcpy(r[i].fitness, f[i], sizeof f[i]);
    }
    size_t rank[4];
    double crowd[4];
    assert_int_equal(rg_nsga2_rank(r, 4, 3, rank, crowd), RG_OK);
    for (size_t i = 0; i < 4; i++)
        assert_int_equal(rank[i], 0);
    /* point 3: f1 neighbours 2 and 3 -> (3 - 2)/2 ... sorted f1: 0(1) 1(2) 3(2.5) 2(3):
     * (3 - 2)/2; f2: 2(1) 0(2) 3(2.5) 1(3): (3 - 2)/2; f3 likewise: 0.5 each -> 1.5 */
    assert_close(crowd[3], 1.5, 1e-15, 0);
    for (size_t i = 0; i < 3; i++)
        assert_true(crowd[i] == HUGE_VAL);
}

static uint64_t xs(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Brute-force layering: peel the set of members no remaining member dominates. */
static void brute_ranks(const rg_eval_result *r, size_t n, size_t m, size_t *rank)
{
    bool *done = calloc(n, 1), *cur = calloc(n, 1);
    size_t left = n, level = 0;
    while (left) {
        for (size_t i = 0; i < n; i++) {
            cur[i] = false;
            if (done[i])
                continue;
            bool dom = false;
            for (size_t j = 0; j < n && !dom; j++)
                dom = !done[j] && rg_nsga2_compare(&r[j], &r[i], m) == 1;
            cur[i] = !dom;
        }
        for (size_t i = 0; i < n; i++)
            if (cur[i]) {
                done[i] = true;
                rank[i] = level;
                left--;
            }
        level++;
    }
    free(done);
    free(cur);
}

static void test_sort_against_brute_force(void **state)
{
    (void)state;
    uint64_t s = 42;
    enum { N = 300 };
    static rg_eval_result r[N];
    static size_t rank[N], want[N];
    static double crowd[N];
    for (size_t m = 2; m <= 5; m++)
        for (int rep = 0; rep < (m == 3 ? 30 : 6); rep++) { /* 3: the staircase path */
            for (size_t i = 0; i < N; i++) {
                memset(&r[i], 0, sizeof r[i]);
                for (size_t j = 0; j < m; j++)
                    r[i].fitness[j] =
                        (double)(xs(&s) % (rep % 3 == 0 ? 1000 : 3 + rep % 5)) / 7.0;
                r[i].violation = xs(&s) % 5 == 0 ? (double)(xs(&s) % 4) / 3.0 : 0.0;
                if (i > 0 && xs(&s) % 10 == 0)
                    r[i] = r[i - 1];
            }
            assert_int_equal(rg_nsga2_rank(r, N, m, rank, crowd), RG_OK);
            brute_ranks(r, N, m, want);
            for (size_t i = 0; i < N; i++)
                assert_int_equal(rank[i], want[i]);
        }
}

/* ---- runs on ZDT1 ---- */

typedef struct {
    rg_problem *p;
    rg_evaluator *ev;
} zdt;

static zdt zdt1(size_t pop, size_t gens, unsigned long seed)
{
    zdt z;
    z.p = rg_problem_alloc();
    assert_non_null(z.p);
    z.p->bench.kind = RG_BENCH_ZDT1;
    z.p->bench.n_vars = 30;
    z.p->bench.n_obj = 2;
    z.p->optimize.encoding = RG_ENC_BENCHMARK;
    z.p->optimize.n_objectives = 2;
    z.p->optimize.objectives[0] = RG_OBJ_BENCH_F1;
    z.p->optimize.objectives[1] = RG_OBJ_BENCH_F1 + 1;
    z.p->optimize.population = pop;
    z.p->optimize.generations = gens;
    z.p->optimize.seed = seed;
    z.p->optimize.has_reference_point = true;
    z.p->optimize.reference_point[0] = 1.1;
    z.p->optimize.reference_point[1] = 1.1;
    z.p->optimize.crossover_probability = 0.9;
    z.p->optimize.sbx_eta = 20.0;
    z.p->optimize.pm_eta = 20.0;
    z.p->optimize.mutation_probability = -1.0; /* 1/n */
    rg_diag d;
    rg_diag_init(&d);
    z.ev = rg_evaluator_alloc(z.p, &d);
    assert_non_null(z.ev);
    return z;
}

static void zdt_free(zdt *z)
{
    rg_evaluator_free(z->ev);
    rg_problem_free(z->p);
}

static rg_nsga2 *run(zdt *z, size_t gens)
{
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(z->p, 2, &s);
    rg_nsga2 *g = rg_nsga2_alloc(rg_evaluator_encoding(z->ev), &s);
    assert_non_null(g);
    assert_int_equal(rg_nsga2_init(g, rg_evaluator_eval_batch, z->ev, NULL, 0), RG_OK);
    for (size_t k = 0; k < gens; k++)
        assert_int_equal(rg_nsga2_step(g), RG_OK);
    return g;
}

/* Deb et al. 2002 settings: N = 100, 250 generations, SBX eta 20 p 0.9, PM eta 20 p 1/n.
 * Exact front with reference (1.1, 1.1): 0.1 + 2/3 + 0.11 = 0.876667 (test_hypervolume). */
static void test_zdt1_deb_settings(void **state)
{
    (void)state;
    zdt z = zdt1(100, 250, 20021);
    rg_nsga2 *g = run(&z, 250);
    assert_true(rg_nsga2_done(g));
    size_t nh;
    const double *h = rg_nsga2_hv_history(g, &nh);
    assert_int_equal(nh, 251);
    print_message("ZDT1 hypervolume after 250 generations: %.10f\n", h[250]);
    assert_true(h[250] >= 0.868);
    assert_true(h[250] <= 0.1 + 2.0 / 3.0 + 0.11);
    assert_true(h[250] > h[0]);
    assert_int_equal(rg_nsga2_evaluations(g), 100 * 251);
    /* the history is the hypervolume of the feasible first front, recomputed here */
    size_t idx[100], k = rg_nsga2_front(g, idx);
    double pts[200], ref[2] = {1.1, 1.1}, v;
    const rg_eval_result *res = rg_nsga2_results(g);
    for (size_t t = 0; t < k; t++) {
        pts[2 * t] = res[idx[t]].fitness[0];
        pts[2 * t + 1] = res[idx[t]].fitness[1];
    }
    assert_int_equal(rg_hypervolume(pts, k, 2, ref, &v), RG_OK);
    assert_close(v, h[250], 0, 0);
    rg_nsga2_free(g);
    zdt_free(&z);
}

static bool same_population(const rg_nsga2 *a, const rg_nsga2 *b)
{
    size_t n = rg_nsga2_population(a), len = rg_nsga2_genome_length(a);
    return !memcmp(rg_nsga2_genomes(a), rg_nsga2_genomes(b), n * len * sizeof(double)) &&
           !memcmp(rg_nsga2_results(a), rg_nsga2_results(b), n * sizeof(rg_eval_result));
}

static void test_reproducible(void **state)
{
    (void)state;
    zdt z1 = zdt1(40, 30, 7), z2 = zdt1(40, 30, 7), z3 = zdt1(40, 30, 8);
    rg_nsga2 *a = run(&z1, 30), *b = run(&z2, 30), *c = run(&z3, 30);
    assert_true(same_population(a, b));
    assert_false(same_population(a, c));
    size_t na, nb;
    const double *ha = rg_nsga2_hv_history(a, &na), *hb = rg_nsga2_hv_history(b, &nb);
    assert_int_equal(na, nb);
    assert_memory_equal(ha, hb, na * sizeof(double));
    rg_nsga2_free(a);
    rg_nsga2_free(b);
    rg_nsga2_free(c);
    zdt_free(&z1);
    zdt_free(&z2);
    zdt_free(&z3);
}

/* Export after 6 generations, import into a fresh optimiser (copies of the arrays), run
 * both 9 more: identical populations and histories. */
static void test_export_import(void **state)
{
    (void)state;
    zdt z = zdt1(24, 15, 99);
    rg_nsga2 *a = run(&z, 6);
    rg_nsga2_state st;
    assert_int_equal(rg_nsga2_export(a, &st), RG_OK);
    assert_int_equal(st.generation, 6);
    assert_int_equal(st.n_hv, 7);
    size_t n = st.population, len = st.genome_length;
    double *gen = malloc(n * len * sizeof *gen), *hv = malloc(st.n_hv * sizeof *hv);
    rg_eval_result *res = malloc(n * sizeof *res);
    unsigned char *rng = malloc(st.rng_size);
    memcpy(gen, st.genomes, n * len * sizeof *gen);
    memcpy(res, st.results, n * sizeof *res);
    memcpy(rng, st.rng_state, st.rng_size);
    memcpy(hv, st.hv_history, st.n_hv * sizeof *hv);
    rg_nsga2_state copy = st;
    copy.genomes = gen;
    copy.results = res;
    copy.rng_state = rng;
    copy.hv_history = hv;

    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(z.p, 2, &s);
    rg_nsga2 *b = rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s);
    rg_nsga2_state wrong = copy;
    wrong.rng_size--;
    assert_int_equal(rg_nsga2_import(b, &wrong, rg_evaluator_eval_batch, z.ev), RG_EINVAL);
    assert_int_equal(rg_nsga2_step(b), RG_EINVAL); /* neither init nor import yet */
    assert_int_equal(rg_nsga2_import(b, &copy, rg_evaluator_eval_batch, z.ev), RG_OK);
    assert_memory_equal(rg_nsga2_crowding(a), rg_nsga2_crowding(b), n * sizeof(double));
    while (!rg_nsga2_done(a)) {
        assert_int_equal(rg_nsga2_step(a), RG_OK);
        assert_int_equal(rg_nsga2_step(b), RG_OK);
    }
    assert_true(rg_nsga2_done(b));
    assert_true(same_population(a, b));
    size_t na, nb;
    const double *ha = rg_nsga2_hv_history(a, &na), *hb = rg_nsga2_hv_history(b, &nb);
    assert_int_equal(na, 16);
    assert_int_equal(nb, 16);
    assert_memory_equal(ha, hb, na * sizeof(double));
    assert_int_equal(rg_nsga2_evaluations(a), rg_nsga2_evaluations(b));
    free(gen);
    free(hv);
    free(res);
    free(rng);
    rg_nsga2_free(a);
    rg_nsga2_free(b);
    zdt_free(&z);
}

/* A batch function that fails: init and step pass its status on. */
static int failing_batch(void *ctx, size_t n, size_t length, const double genomes[],
                         rg_eval_result out[])
{
    int *calls = ctx;
    (void)n;
    (void)length;
    (void)genomes;
    (void)out;
    return ++*calls > 1 ? RG_EIO : RG_OK;
}

static void test_seeds_and_errors(void **state)
{
    (void)state;
    zdt z = zdt1(10, 3, 5);
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(z.p, 2, &s);
    s.population = 9; /* rounded up to even */
    s.has_reference = false;
    rg_nsga2 *g = rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s);
    assert_int_equal(rg_nsga2_population(g), 10);
    double seeds[2 * 30];
    for (size_t i = 0; i < 60; i++)
        seeds[i] = i < 30 ? 0.0 : 0.5;
    assert_int_equal(rg_nsga2_init(g, rg_evaluator_eval_batch, z.ev, seeds, 2), RG_OK);
    assert_int_equal(rg_nsga2_n_seeds(g), 2);
    assert_memory_equal(rg_nsga2_genomes(g), seeds, sizeof seeds);
    /* default reference from the two feasible seeds: f = (0, 1) and (0.5, 5.5 - sqrt(2.75))
     * r_j = max + max(0.1 range, 0.01 |max|, 1e-6) */
    double f2b = (1.0 + 4.5) * (1.0 - sqrt(0.5 / 5.5));
    const double *ref = rg_nsga2_reference(g);
    assert_close(ref[0], 0.5 + 0.05, 1e-15, 0);
    assert_close(ref[1], f2b + 0.1 * (f2b - 1.0), 1e-14, 0);
    rg_nsga2_free(g);

    int calls = 0;
    g = rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s);
    assert_int_equal(rg_nsga2_init(g, failing_batch, &calls, NULL, 0), RG_OK);
    assert_int_equal(rg_nsga2_step(g), RG_EIO);
    assert_int_equal(rg_nsga2_generation(g), 0);
    rg_nsga2_free(g);
    rg_nsga2_free(NULL);
    s.n_obj = 0;
    assert_null(rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s));
    zdt_free(&z);
}

/* Baseline guard: a seed on ZDT1's Pareto front can only be covered by itself; with a small
 * population whose first front soon outgrows N, crowding alone would be free to drop it. */
static void test_baseline_guard(void **state)
{
    (void)state;
    zdt z = zdt1(8, 80, 11);
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(z.p, 2, &s);
    rg_nsga2 *g = rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s);
    double seeds[2 * 30] = {0};
    seeds[0] = 0.43; /* (0.43, 1 - sqrt(0.43)): Pareto-optimal, mid-front */
    seeds[30] = 0.61;
    assert_int_equal(rg_nsga2_init(g, rg_evaluator_eval_batch, z.ev, seeds, 2), RG_OK);
    bool always = true;
    while (!rg_nsga2_done(g)) {
        assert_int_equal(rg_nsga2_step(g), RG_OK);
        const rg_eval_result *res = rg_nsga2_results(g);
        for (size_t b = 0; b < 2; b++) {
            double f0 = seeds[30 * b], f1 = 1.0 - sqrt(f0);
            bool found = false;
            for (size_t i = 0; i < 8 && !found; i++)
                found = res[i].fitness[0] <= f0 && res[i].fitness[1] <= f1;
            always = always && found;
        }
    }
    assert_true(always);
    rg_nsga2_state st;
    assert_int_equal(rg_nsga2_export(g, &st), RG_OK);
    assert_int_equal(st.n_baselines, 2);
    assert_close(st.baselines[1].fitness[0], 0.61, 0, 0);
    /* a seeded state without its baselines cannot resume identically: refused */
    rg_nsga2 *h = rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s);
    rg_nsga2_state lost = st;
    lost.n_baselines = 0;
    lost.baselines = NULL;
    assert_int_equal(rg_nsga2_import(h, &lost, rg_evaluator_eval_batch, z.ev), RG_EINVAL);
    assert_int_equal(rg_nsga2_import(h, &st, rg_evaluator_eval_batch, z.ev), RG_OK);
    rg_nsga2_free(h);
    rg_nsga2_free(g);
    zdt_free(&z);
}

/* Reference-point rules: a synthetic batch function marks members infeasible or failed. */
static int marked(void *ctx, size_t n, size_t len, const double g[], rg_eval_result out[])
{
    const int *mode = ctx;
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].fitness[0] = g[i * len];
        out[i].fitness[1] = 1.0 - g[i * len];
        bool seedlike = g[i * len + 1] == 0.0; /* the seeds below have x2 = 0 */
        if (*mode == 3 || (*mode == 1 && seedlike) || *mode == 2)
            out[i].violation = 0.5;
        if (*mode == 3)
            rg_eval_result_fail(&out[i], 2, RG_RES_FAILED, "synthetic");
    }
    return RG_OK;
}

static void test_reference_rules(void **state)
{
    (void)state;
    zdt z = zdt1(12, 2, 3);
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(z.p, 2, &s);
    s.has_reference = false;
    double seeds[30] = {0.5};
    const rg_reference_rule want[4] = {RG_HVREF_BASELINES, RG_HVREF_FEASIBLE_FIRST,
                                       RG_HVREF_FIRST, RG_HVREF_UNIT};
    for (int mode = 0; mode < 4; mode++) {
        rg_nsga2 *g = rg_nsga2_alloc(rg_evaluator_encoding(z.ev), &s);
        assert_int_equal(rg_nsga2_init(g, marked, &mode, seeds, 1), RG_OK);
        assert_int_equal(rg_nsga2_reference_rule(g), want[mode]);
        const double *ref = rg_nsga2_reference(g);
        if (mode == 0) { /* one feasible baseline (0.5, 0.5): + 0.01 |0.5| */
            assert_close(ref[0], 0.505, 1e-15, 0);
            assert_close(ref[1], 0.505, 1e-15, 0);
        }
        if (mode == 3)
            assert_true(ref[0] == 1.0 && ref[1] == 1.0);
        assert_non_null(
            strstr(rg_reference_rule_name(rg_nsga2_reference_rule(g)), mode == 3   ? "unit"
                                                                       : mode == 0 ? "baselines"
                                                                                   : "first"));
        assert_int_equal(rg_nsga2_step(g), RG_OK);
        rg_nsga2_free(g);
    }
    zdt_free(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constrained_domination),
        cmocka_unit_test(test_sort_hand_made),
        cmocka_unit_test(test_crowding_three_objectives),
        cmocka_unit_test(test_sort_against_brute_force),
        cmocka_unit_test(test_zdt1_deb_settings),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_export_import),
        cmocka_unit_test(test_seeds_and_errors),
        cmocka_unit_test(test_baseline_guard),
        cmocka_unit_test(test_reference_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
