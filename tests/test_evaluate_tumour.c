/* Tumour evaluation through the evaluator: schedules and adaptive rules decode, run the
 * kernel and give objectives; bad genomes are flagged; a short NSGA-II run on a small
 * schedule problem ends with a front that weakly dominates every seeded baseline. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/hypervolume.h"
#include "regimen/nsga2.h"
#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

/* Two clones (one resistant), one cytotoxic drug and an inhibitor-like second drug, ten
 * two-week decision intervals. */
static const char *problem_text(const char *encoding)
{
    static char buf[4096];
    snprintf(
        buf, sizeof buf,
        "name = \"optimiser test\";\n"
        "horizon_days = 140.0; decision_days = 14.0; visit_days = 7.0;\n"
        "carrying_capacity = 1.0e10; extinction_cells = 1.0;\n"
        "drugs = (\n"
        "  { name = \"cyto\"; half_life_days = 0.5; emax = 0.09; ec50 = 0.35;\n"
        "    toxicity_weight = 1.0; max_cumulative_dose = 84.0; },\n"
        "  { name = \"second\"; half_life_days = 1.5; emax = 0.045; ec50 = 0.5;\n"
        "    toxicity_weight = 0.4; }\n"
        ");\n"
        "mechanisms = ( { name = \"pump\"; kind = \"efflux\"; affects = [\"cyto\"]; } );\n"
        "clones = (\n"
        "  { name = \"s\"; cells = 1.0e8; growth_rate = 0.045; death_rate = 0.005; },\n"
        "  { name = \"r\"; cells = 1.0e4; growth_rate = 0.036; death_rate = 0.005;\n"
        "    resistant = true; mechanisms = { pump = 15.0; }; }\n"
        ");\n"
        "regimens = (\n"
        "  { name = \"MTD\"; policy = \"mtd\"; drugs = [\"cyto\"]; },\n"
        "  { name = \"cycles\"; policy = \"mtd\"; drugs = [\"cyto\", \"second\"];\n"
        "    cycle_days = 42; on_days = 14; },\n"
        "  { name = \"low\"; policy = \"metronomic\"; drugs = [\"second\"]; level = 0.6; },\n"
        "  { name = \"adaptive\"; policy = \"adaptive\"; drugs = [\"cyto\"];\n"
        "    dose = 1.0; stop_below = 0.5; resume_above = 0.9; }\n"
        ");\n"
        "optimize = { encoding = \"%s\";\n"
        "  objectives = [\"ttp\", \"resistant_burden\", \"dose_intensity\"];\n"
        "  population = 24; generations = 12; seed = 31; };\n",
        encoding);
    return buf;
}

static rg_evaluator *make(const char *encoding, rg_problem **pp)
{
    rg_diag d;
    rg_diag_init(&d);
    rg_problem *p = NULL;
    int rc = rg_problem_load_string(problem_text(encoding), "test.cfg", &p, &d);
    if (rc != RG_OK)
        rg_diag_print(&d, stderr);
    assert_int_equal(rc, RG_OK);
    rg_evaluator *e = rg_evaluator_alloc(p, &d);
    if (!e)
        rg_diag_print(&d, stderr);
    assert_non_null(e);
    *pp = p;
    return e;
}

/* The schedule path equals running the kernel by hand on the decoded levels. */
static void test_schedule_matches_kernel(void **state)
{
    (void)state;
    rg_problem *p;
    rg_evaluator *e = make("schedule", &p);
    const rg_encoding *enc = rg_evaluator_encoding(e);
    assert_int_equal(enc->length, 20);
    double g[20], lv[20];
    for (size_t i = 0; i < 20; i++)
        g[i] = (double)((i * 3) % 5);
    rg_eval_result r;
    assert_int_equal(rg_evaluator_eval(e, g, 20, &r), RG_OK);

    for (size_t i = 0; i < 20; i++)
        lv[i] = 0.25 * g[i];
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, enc->n_drugs, enc->drugs, lv), RG_OK);
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_sim_summary s;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
    rg_eval_result want;
    rg_objectives_compute(p, &s, &want);
    assert_memory_equal(&r, &want, sizeof r);
    assert_close(r.value[0], s.ttp, 0, 0);
    assert_close(r.fitness[0], -s.ttp, 0, 0);
    rg_sim_free(w);

    g[7] = 2.5;
    assert_int_equal(rg_evaluator_eval(e, g, 20, &r), RG_OK);
    assert_true(r.flags & RG_RES_BADGENOME);
    assert_non_null(strstr(r.reason, "gene 7"));
    assert_true(r.violation >= 1e300);
    rg_evaluator_free(e);
    rg_problem_free(p);
}

static void test_rule_path(void **state)
{
    (void)state;
    rg_problem *p;
    rg_evaluator *e = make("adaptive_rule", &p);
    const rg_encoding *enc = rg_evaluator_encoding(e);
    assert_int_equal(enc->length, RG_RULE_NPARAM_BASE + 2);
    double g[7];
    int adaptive = rg_problem_regimen_index(p, "adaptive");
    assert_int_equal(rg_encoding_from_regimen(enc, p, &p->regimens[adaptive], g), RG_OK);
    rg_eval_result r;
    assert_int_equal(rg_evaluator_eval(e, g, 7, &r), RG_OK);
    assert_false(r.flags & RG_RES_BADGENOME);
    assert_true(r.value[0] > 0.0);
    g[2] = 2.5; /* resume_above above its bound 2 */
    assert_int_equal(rg_evaluator_eval(e, g, 7, &r), RG_OK);
    assert_true(r.flags & RG_RES_BADGENOME);
    assert_non_null(strstr(r.reason, "resume_above"));
    rg_evaluator_free(e);
    rg_problem_free(p);
}

/* b weakly dominated by a under constrained domination */
static bool weakly_dominates(const rg_eval_result *a, const rg_eval_result *b, size_t m)
{
    bool fa = a->violation <= 0.0, fb = b->violation <= 0.0;
    if (!fb)
        return fa || a->violation <= b->violation;
    if (!fa)
        return false;
    for (size_t j = 0; j < m; j++)
        if (a->fitness[j] > b->fitness[j])
            return false;
    return true;
}

static void run_and_check_baselines(const char *encoding, size_t want_seeds)
{
    rg_problem *p;
    rg_evaluator *e = make(encoding, &p);
    const rg_encoding *enc = rg_evaluator_encoding(e);
    size_t len = enc->length, m = rg_evaluator_n_objectives(e), n_seeds = 0;
    double *seeds = malloc(p->n_regimens * len * sizeof *seeds);
    for (size_t r = 0; r < p->n_regimens; r++)
        if (rg_encoding_from_regimen(enc, p, &p->regimens[r], seeds + n_seeds * len) == RG_OK)
            n_seeds++;
    assert_int_equal(n_seeds, want_seeds);
    rg_nsga2_settings s;
    rg_nsga2_settings_from_problem(p, m, &s);
    rg_nsga2 *g = rg_nsga2_alloc(enc, &s);
    assert_int_equal(rg_nsga2_init(g, rg_evaluator_eval_batch, e, seeds, n_seeds), RG_OK);
    rg_eval_result base[RG_MAX_REGIMENS];
    memcpy(base, rg_nsga2_results(g), n_seeds * sizeof *base);
    assert_memory_equal(rg_nsga2_genomes(g), seeds, n_seeds * len * sizeof(double));
    while (!rg_nsga2_done(g))
        assert_int_equal(rg_nsga2_step(g), RG_OK);
    size_t idx[64], k = rg_nsga2_front(g, idx);
    const rg_eval_result *res = rg_nsga2_results(g);
    for (size_t b = 0; b < n_seeds; b++) {
        bool covered = false;
        for (size_t t = 0; t < k && !covered; t++)
            covered = weakly_dominates(&res[idx[t]], &base[b], m);
        if (!covered) {
            print_message("baseline %zu: %g %g %g viol %g flags %u front %zu\n", b,
                          base[b].value[0], base[b].value[1], base[b].value[2],
                          base[b].violation, base[b].flags, k);
            for (size_t t = 0; t < k; t++)
                print_message("  front %g %g %g viol %g rank %zu\n", res[idx[t]].value[0],
                              res[idx[t]].value[1], res[idx[t]].value[2], res[idx[t]].violation,
                              rg_nsga2_ranks(g)[idx[t]]);
        }
        assert_true(covered);
    }
    size_t nh;
    const double *h = rg_nsga2_hv_history(g, &nh);
    assert_int_equal(nh, 13);
    /* covering every baseline, the front's hypervolume is at least the baselines' own */
    double pts[RG_MAX_REGIMENS * RG_MAX_OBJ], hb = 0.0;
    size_t nf = 0;
    for (size_t b = 0; b < n_seeds; b++)
        if (base[b].violation <= 0.0)
            memcpy(pts + m * nf++, base[b].fitness, m * sizeof(double));
    assert_int_equal(rg_hypervolume(pts, nf, m, rg_nsga2_reference(g), &hb), RG_OK);
    assert_true(h[nh - 1] >= hb);
    rg_nsga2_free(g);
    free(seeds);
    rg_evaluator_free(e);
    rg_problem_free(p);
}

static void test_front_covers_baselines(void **state)
{
    (void)state;
    run_and_check_baselines("schedule", 3);      /* MTD, cycles, low */
    run_and_check_baselines("adaptive_rule", 1); /* adaptive */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_matches_kernel),
        cmocka_unit_test(test_rule_path),
        cmocka_unit_test(test_front_covers_baselines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
