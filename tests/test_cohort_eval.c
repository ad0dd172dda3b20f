/* A cohort evaluation equals separate evaluations (docs/model.md section 13): five patients
 * of an inline cohort run through the batch entry point (rg_sim_run_batch) under three
 * built-in regimens give the same summaries, bit for bit, as five problem files with the
 * patients' values written in; the evaluator's cohort record is the hand-computed statistic
 * of those five separate evaluations; evaluated in blocks of patients and combined, it is
 * the same record. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/cohort_stats.h"
#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

enum { NP = 5 };

/* ec50 of cyto, growth rate of s, cells of r, switching rate s -> r */
static const double vals[NP][4] = {{0.35, 0.045, 1e4, 1e-7},
                                   {0.2, 0.06, 1e5, 1e-6},
                                   {1.0, 0.03, 1e3, 0.0},
                                   {0.5, 0.08, 5e4, 1e-5},
                                   {0.1, 0.02, 1e2, 1e-8}};

#define TEXT                                                                                  \
    "horizon_days = 140.0; decision_days = 14.0; visit_days = 7.0;\n"                         \
    "carrying_capacity = 1.0e10;\n"                                                           \
    "drugs = ( { name = \"cyto\"; half_life_days = 0.5; emax = 0.09; ec50 = %.17g; },\n"      \
    "  { name = \"second\"; half_life_days = 1.5; emax = 0.045; ec50 = 0.5; } );\n"           \
    "clones = ( { name = \"s\"; cells = 1.0e8; growth_rate = %.17g; death_rate = 0.005; },\n" \
    "  { name = \"r\"; cells = %.17g; growth_rate = 0.036; resistant = true; } );\n"          \
    "mutations = ( { from = \"s\"; to = \"r\"; rate = %.17g; } );\n"                          \
    "regimens = ( { name = \"MTD\"; policy = \"mtd\"; drugs = [\"cyto\"]; },\n"               \
    "  { name = \"low\"; policy = \"metronomic\"; drugs = [\"cyto\", \"second\"]; level = "   \
    "0.5; },\n"                                                                               \
    "  { name = \"adaptive\"; policy = \"adaptive\"; drugs = [\"cyto\"]; dose = 1.0;\n"       \
    "    stop_below = 0.5; resume_above = 0.9; } );\n"                                        \
    "optimize = { objectives = [\"ttp\", \"resistant_fraction\", \"dose_intensity\"]; };\n"

static rg_problem *load(const char *text)
{
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int rc = rg_problem_load_string(text, "cohort.cfg", &p, &d);
    if (rc != RG_OK)
        rg_diag_print(&d, stderr);
    assert_int_equal(rc, RG_OK);
    return p;
}

static rg_problem *single(size_t i)
{
    char text[4096];
    snprintf(text, sizeof text, TEXT, vals[i][0], vals[i][1], vals[i][2], vals[i][3]);
    return load(text);
}

static rg_problem *cohort(const char *aggregate)
{
    char text[8192];
    int n = snprintf(text, sizeof text, TEXT, 9.0, 0.01, 1.0, 0.0);
    n += snprintf(text + n, sizeof text - (size_t)n,
                  "cohort = { parameters = [\"drugs.cyto.ec50\", \"clones.s.growth_rate\", "
                  "\"clones.r.cells\", \"mutations.s.r.rate\"];\n%s patients = (\n",
                  aggregate);
    for (size_t i = 0; i < NP; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "{ name = \"P%zu\"; values = [%.17e, %.17e, %.17e, %.17e]; }%s\n", i,
                      vals[i][0], vals[i][1], vals[i][2], vals[i][3], i + 1 < NP ? "," : "");
    snprintf(text + n, sizeof text - (size_t)n, "); };\n");
    return load(text);
}

static void same_summary(const rg_sim_summary *a, const rg_sim_summary *b)
{
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->progressed, b->progressed);
    assert_memory_equal(&a->ttp, &b->ttp, sizeof a->ttp);
    assert_memory_equal(&a->final_burden, &b->final_burden, sizeof(double));
    assert_memory_equal(&a->resistant_fraction, &b->resistant_fraction, sizeof(double));
    assert_memory_equal(&a->hazard, &b->hazard, sizeof(double));
    assert_memory_equal(a->cumulative_dose, b->cumulative_dose, sizeof a->cumulative_dose);
    assert_int_equal(a->steps, b->steps);
}

static void test_batch_equals_singles(void **state)
{
    (void)state;
    rg_problem *c = cohort("");
    rg_problem *s[NP];
    for (size_t i = 0; i < NP; i++)
        s[i] = single(i);
    rg_sim_workspace *w = rg_sim_alloc(c);
    assert_non_null(w);
    const rg_problem *pts[NP];
    for (size_t i = 0; i < NP; i++)
        pts[i] = c->cohort->patients[i];
    size_t n_prog = 0;
    for (size_t r = 0; r < 3; r++) {
        rg_policy pol;
        assert_int_equal(rg_policy_init_regimen(&pol, c, &c->regimens[r]), RG_OK);
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary batch[NP], one;
        assert_int_equal(rg_sim_run_batch(w, NP, pts, &dose, rg_policy_bind, NULL, batch),
                         RG_OK);
        for (size_t i = 0; i < NP; i++) {
            rg_policy sp;
            assert_int_equal(rg_policy_init_regimen(&sp, s[i], &s[i]->regimens[r]), RG_OK);
            rg_dosing sd = rg_policy_dosing(&sp);
            assert_int_equal(rg_sim_run(w, s[i], &sd, NULL, &one, NULL), RG_OK);
            same_summary(&batch[i], &one);
            n_prog += one.progressed;
        }
    }
    /* the cohort is not degenerate: some runs progress, some do not */
    assert_true(n_prog > 0 && n_prog < 3 * NP);
    rg_sim_free(w);
    for (size_t i = 0; i < NP; i++)
        rg_problem_free(s[i]);
    rg_problem_free(c);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The evaluator's record on a few genomes against the hand-computed statistics of five
 * single evaluations: median TTP (3rd of 5), mean resistant fraction, the 40% CVaR of dose
 * intensity (mean of the 2 highest). */
static void test_evaluator(void **state)
{
    (void)state;
    rg_problem *c = cohort("aggregate = [\"median\", \"mean\", \"cvar40\"];\n");
    rg_evaluator *ec = rg_evaluator_alloc(c, NULL);
    assert_non_null(ec);
    rg_problem *s[NP];
    rg_evaluator *es[NP];
    for (size_t i = 0; i < NP; i++) {
        s[i] = single(i);
        es[i] = rg_evaluator_alloc(s[i], NULL);
        assert_non_null(es[i]);
    }
    size_t len = rg_evaluator_genome_length(ec);
    double *g = malloc(len * sizeof *g);
    assert_non_null(g);
    for (int k = 0; k < 4; k++) {
        for (size_t j = 0; j < len; j++)
            g[j] = (double)((j * 7 + (size_t)k * 3) % 5); /* dose level indices 0..4 */
        rg_eval_result rc, ri[NP];
        assert_int_equal(rg_evaluator_eval(ec, g, len, &rc), RG_OK);
        double ttp[NP], rf = 0, di[NP];
        size_t censored = 0;
        for (size_t i = 0; i < NP; i++) {
            assert_int_equal(rg_evaluator_eval(es[i], g, len, &ri[i]), RG_OK);
            ttp[i] = ri[i].value[0];
            rf += ri[i].value[1] / NP;
            di[i] = ri[i].value[2];
            censored += (ri[i].flags & RG_RES_CENSORED) != 0;
        }
        qsort(ttp, NP, sizeof *ttp, cmp);
        qsort(di, NP, sizeof *di, cmp);
        assert_close(rc.value[0], ttp[2], 0, 0);
        assert_close(rc.fitness[0], -ttp[2], 0, 0);
        assert_int_equal((rc.flags & RG_RES_CENSORED) != 0, censored > NP / 2);
        assert_close(rc.value[1], rf, 1e-15, 0);
        assert_close(rc.value[2], (di[3] + di[4]) / 2, 1e-15, 0);
    }
    free(g);
    for (size_t i = 0; i < NP; i++) {
        rg_evaluator_free(es[i]);
        rg_problem_free(s[i]);
    }
    rg_evaluator_free(ec);
    rg_problem_free(c);
}

/* A cohort genome's parts (evaluate.h: what the farm spreads over workers): evaluated in
 * blocks of 1, 2 and 5 patients, in any order, and combined, they give rg_evaluator_eval's
 * record byte for byte, also for a genome out of range and one of the wrong length. */
static void test_parts(void **state)
{
    (void)state;
    rg_problem *c = cohort("aggregate = [\"median\", \"mean\", \"cvar40\"];\n");
    rg_evaluator *e = rg_evaluator_alloc(c, NULL);
    assert_non_null(e);
    size_t bytes = 0, len = rg_evaluator_genome_length(e);
    assert_int_equal(rg_evaluator_parts(e, &bytes), NP);
    assert_true(bytes > sizeof(rg_eval_result));
    unsigned char *rec = malloc(NP * bytes);
    double *g = malloc((len + 1) * sizeof *g);
    assert_non_null(rec);
    assert_non_null(g);
    static const size_t blocks[3] = {1, 2, NP};
    for (int k = 0; k < 4; k++) {
        for (size_t j = 0; j < len; j++)
            g[j] = (double)((j * 3 + (size_t)k) % 5);
        if (k == 2)
            g[0] = 99.0; /* no such dose level: a bad genome */
        size_t glen = k == 3 ? len + 1 : len;
        rg_eval_result whole, split;
        assert_int_equal(rg_evaluator_eval(e, g, glen, &whole), RG_OK);
        for (size_t b = 0; b < 3; b++) {
            memset(rec, 0xa5, NP * bytes);
            /* blocks from the last patient backwards: the order of evaluation is free */
            for (size_t end = NP; end > 0;) {
                size_t first = end > blocks[b] ? end - blocks[b] : 0;
                assert_int_equal(rg_evaluator_eval_parts(e, g, glen, first, end - first,
                                                         rec + first * bytes),
                                 RG_OK);
                end = first;
            }
            rg_evaluator_combine(e, rec, &split);
            assert_memory_equal(&split, &whole, sizeof whole);
        }
        if (k >= 2)
            assert_true(whole.flags & RG_RES_BADGENOME);
        else
            assert_false(whole.flags & (RG_RES_FAILED | RG_RES_BADGENOME));
    }
    assert_int_equal(rg_evaluator_eval_parts(e, g, len, NP - 1, 2, rec), RG_EINVAL);
    free(g);
    free(rec);
    rg_evaluator_free(e);
    rg_problem_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_equals_singles),
        cmocka_unit_test(test_evaluator),
        cmocka_unit_test(test_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
