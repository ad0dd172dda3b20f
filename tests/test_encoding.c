/* Encodings: layout (one gene per admissible dose), decoding, seeding from built-in
 * regimens and the invariants of every variation operator (schedule crossovers move the
 * doses of whole intervals, structural mutations touch one drug; real operators stay within
 * bounds). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"

#include <gsl/gsl_rng.h>

#include "regimen/encoding.h"
#include "regimen/evaluate.h"
#include "regimen/problem.h"

/* Two optimised drugs on 12 decision intervals of 7 days: dox a bolus every 21 days (slots
 * at intervals 0, 3, 6, 9: genes 0-3), tq continuous (genes 4-15); regimens of every kind. */
static rg_problem *problem(rg_encoding_kind kind)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = 84;
    p->decision_days = 7;
    p->n_drugs = 3;
    strcpy(p->drugs[0].name, "dox");
    strcpy(p->drugs[1].name, "tq");
    strcpy(p->drugs[2].name, "other");
    p->drugs[0].administration = RG_ADMIN_BOLUS;
    p->drugs[0].dosing_interval_days = 21;
    p->drugs[0].half_life_days = 1.5;
    p->optimize.encoding = kind;
    p->optimize.n_drugs = 2;
    p->optimize.drugs[0] = 0;
    p->optimize.drugs[1] = 1;
    p->n_regimens = 6;
    rg_regimen *r = p->regimens;
    strcpy(r[0].name, "MTD_cycles");
    r[0].policy = RG_POLICY_MTD;
    r[0].n_drugs = 2;
    r[0].drugs[0] = 0;
    r[0].drugs[1] = 1;
    r[0].cycle_days = 21;
    r[0].on_days = 7;
    strcpy(r[1].name, "low");
    r[1].policy = RG_POLICY_METRONOMIC;
    r[1].n_drugs = 1;
    r[1].drugs[0] = 1;
    r[1].level = 0.3;
    strcpy(r[2].name, "adaptive");
    r[2].policy = RG_POLICY_ADAPTIVE;
    r[2].n_drugs = 1;
    r[2].drugs[0] = 1;
    r[2].dose = 0.8;
    r[2].stop_below = 0.5;
    r[2].resume_above = 1.0;
    strcpy(r[3].name, "fixed");
    r[3].policy = RG_POLICY_FIXED;
    r[3].n_drugs = 1;
    r[3].drugs[0] = 0;
    r[3].n_doses[0] = 3;
    r[3].doses[0] = malloc(3 * sizeof(double));
    r[3].doses[0][0] = 1.0;
    r[3].doses[0][1] = 0.6;
    r[3].doses[0][2] = 0.0;
    strcpy(r[4].name, "other_drug");
    r[4].policy = RG_POLICY_MTD;
    r[4].n_drugs = 1;
    r[4].drugs[0] = 2;
    strcpy(r[5].name, "modulation");
    r[5].policy = RG_POLICY_DOSE_MODULATION;
    r[5].n_drugs = 1;
    r[5].drugs[0] = 0;
    r[5].dose = 1.0;
    return p;
}

static rg_encoding *enc_of(const rg_problem *p)
{
    rg_diag d;
    rg_diag_init(&d);
    rg_encoding *e = rg_encoding_alloc(p, &d);
    assert_non_null(e);
    return e;
}

static void test_schedule_layout_and_decode(void **state)
{
    (void)state;
    rg_problem *p = problem(RG_ENC_SCHEDULE);
    rg_encoding *e = enc_of(p);
    assert_int_equal(e->length, 16);
    assert_int_equal(e->n_intervals, 12);
    assert_close(e->mutation_probability, 1.0 / 16.0, 1e-15, 0);
    /* no gene without an admissible dose, and every admissible dose has exactly one gene:
     * dox at the bolus slots 0, 3, 6, 9, tq at every interval */
    int seen[2][12] = {{0}};
    for (size_t g = 0; g < e->length; g++) {
        size_t j, k = rg_encoding_gene_interval(e, g, &j);
        assert_true(j < 2 && k < 12);
        if (j == 0)
            assert_int_equal(k % 3, 0);
        seen[j][k]++;
    }
    for (size_t k = 0; k < 12; k++) {
        assert_int_equal(seen[0][k], k % 3 == 0 ? 1 : 0);
        assert_int_equal(seen[1][k], 1);
    }
    double g[16], lv[24];
    char why[RG_REASON_MAX];
    for (size_t i = 0; i < 16; i++)
        g[i] = (double)(i % 5);
    assert_int_equal(rg_encoding_decode_schedule(e, g, lv, why, sizeof why), RG_OK);
    for (size_t k = 0; k < 12; k++) {
        /* dox: gene k / 3 at its slots, 0 elsewhere; tq: gene 4 + k */
        assert_close(lv[k], k % 3 == 0 ? 0.25 * (double)(k / 3 % 5) : 0.0, 0, 0);
        assert_close(lv[12 + k], 0.25 * (double)((4 + k) % 5), 0, 0);
    }
    const double bad[] = {1.5, -1.0, 5.0, NAN};
    for (size_t b = 0; b < 4; b++) {
        g[2] = bad[b];
        assert_int_equal(rg_encoding_decode_schedule(e, g, lv, why, sizeof why), RG_EINVAL);
        assert_non_null(strstr(why, "gene 2 (drug 0, interval 6)"));
    }
    g[2] = 1.0;
    g[13] = NAN;
    assert_int_equal(rg_encoding_decode_schedule(e, g, lv, why, sizeof why), RG_EINVAL);
    assert_non_null(strstr(why, "gene 13 (drug 1, interval 9)"));
    char name[64];
    rg_encoding_column_name(e, p, 3, name, sizeof name);
    assert_string_equal(name, "dose_dox_d63");
    rg_encoding_column_name(e, p, 14, name, sizeof name);
    assert_string_equal(name, "dose_tq_d70");
    assert_int_equal(rg_encoding_n_columns(e), 16);
    /* a bolus grid off the decision grid cannot be encoded */
    p->drugs[0].dosing_interval_days = 3.0;
    rg_diag d;
    rg_diag_init(&d);
    assert_null(rg_encoding_alloc(p, &d));
    assert_int_equal(rg_diag_total(&d), 1);
    rg_encoding_free(e);
    rg_problem_free(p);
}

static void test_schedule_from_regimens(void **state)
{
    (void)state;
    rg_problem *p = problem(RG_ENC_SCHEDULE);
    rg_encoding *e = enc_of(p);
    double g[16];
    /* mtd 21/7 on 7-day intervals: on, off, off, ... for both drugs (level index 4): dox
     * on at every slot, tq on every third interval */
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[0], g), RG_OK);
    for (size_t s = 0; s < 4; s++)
        assert_close(g[s], 4.0, 0, 0);
    for (size_t k = 0; k < 12; k++)
        assert_close(g[4 + k], k % 3 == 0 ? 4.0 : 0.0, 0, 0);
    /* metronomic 0.3 -> nearest level 0.25 (index 1) on tq, dox at 0 */
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[1], g), RG_OK);
    for (size_t s = 0; s < 4; s++)
        assert_close(g[s], 0.0, 0, 0);
    for (size_t k = 0; k < 12; k++)
        assert_close(g[4 + k], 1.0, 0, 0);
    /* fixed dox [1, 0.6, 0] repeated: only its slots (intervals 0, 3, 6, 9: level 1) */
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[3], g), RG_OK);
    for (size_t s = 0; s < 4; s++)
        assert_close(g[s], 4.0, 0, 0);
    /* a fixed dox calendar [0, 0.6, 1] puts 0 on every slot */
    p->regimens[3].doses[0][0] = 0.0;
    p->regimens[3].doses[0][2] = 1.0;
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[3], g), RG_OK);
    for (size_t s = 0; s < 4; s++)
        assert_close(g[s], 0.0, 0, 0);
    /* a drug outside optimize.drugs, and feedback regimens, cannot be expressed */
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[4], g), RG_EINVAL);
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[2], g), RG_EINVAL);
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[5], g), RG_EINVAL);
    rg_encoding_free(e);
    rg_problem_free(p);
}

static bool valid_schedule(const rg_encoding *e, const double *g)
{
    for (size_t i = 0; i < e->length; i++)
        if (g[i] != floor(g[i]) || g[i] < 0 || g[i] > (double)(e->n_levels - 1))
            return false;
    return true;
}

/* Gene of drug j at interval k, or -1 when drug j has no dose there. */
static int gene_at(const rg_encoding *e, size_t j, size_t k)
{
    if (k % e->every[j] != 0)
        return -1;
    return (int)(e->first_gene[j] + k / e->every[j]);
}

static void test_schedule_operators(void **state)
{
    (void)state;
    rg_problem *p = problem(RG_ENC_SCHEDULE);
    p->optimize.crossover_probability = 1.0;
    rg_encoding *e = enc_of(p);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 3);
    double a[16], b[16], c1[16], c2[16];
    size_t swapped_total = 0, swapped_dox = 0;
    for (int t = 0; t < 500; t++) {
        rg_encoding_random(e, r, a);
        rg_encoding_random(e, r, b);
        assert_true(valid_schedule(e, a));
        rg_encoding_crossover(e, r, a, b, c1, c2);
        /* every interval's doses come whole from one parent (both drugs together), the
         * other child gets the other parent's */
        for (size_t k = 0; k < 12; k++) {
            bool from_a = true, from_b = true;
            for (size_t j = 0; j < 2; j++) {
                int q = gene_at(e, j, k);
                if (q < 0)
                    continue;
                from_a = from_a && c1[q] == a[q] && c2[q] == b[q];
                from_b = from_b && c1[q] == b[q] && c2[q] == a[q];
            }
            assert_true(from_a || from_b);
            swapped_total += !from_a;
            swapped_dox += !from_a && k % 3 == 0;
        }
    }
    assert_true(swapped_total > 500); /* crossover does exchange intervals */
    assert_true(swapped_dox > 100);   /* the bolus drug's doses move too */

    /* mutation with no gene resets: only structural moves, on one drug's own genes, either
     * a block shifted by one dose (its two end cells swap) or one dose changed (holiday) */
    e->mutation_probability = 0.0;
    size_t changed_any = 0, changed_dox = 0;
    for (int t = 0; t < 2000; t++) {
        rg_encoding_random(e, r, a);
        memcpy(b, a, sizeof a);
        rg_encoding_mutate(e, r, b);
        assert_true(valid_schedule(e, b));
        size_t diff[16], nd = 0;
        for (size_t i = 0; i < 16; i++)
            if (a[i] != b[i])
                diff[nd++] = i;
        assert_true(nd <= 2);
        if (nd == 2) {
            assert_int_equal(diff[0] < 4, diff[1] < 4); /* one drug */
            assert_true(a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]);
        }
        if (nd == 1)
            assert_true(a[diff[0]] == 0.0 || b[diff[0]] == 0.0); /* holiday edge moved */
        changed_any += nd > 0;
        changed_dox += nd > 0 && diff[0] < 4;
    }
    assert_true(changed_any > 300);
    assert_true(changed_dox > 100);
    gsl_rng_free(r);
    rg_encoding_free(e);
    rg_problem_free(p);
}

static void test_rule(void **state)
{
    (void)state;
    rg_problem *p = problem(RG_ENC_ADAPTIVE_RULE);
    rg_encoding *e = enc_of(p);
    assert_int_equal(e->length, RG_RULE_NPARAM_BASE + 2);
    double g[7] = {0.7, 0.4, 0.9, 0.25, 0.1, 0.8, 0.3};
    rg_rule_params rule;
    char why[RG_REASON_MAX];
    assert_int_equal(rg_encoding_decode_rule(e, g, &rule, why, sizeof why), RG_OK);
    assert_close(rule.dose, 0.7, 0, 0);
    assert_close(rule.resume_above, 0.9, 0, 0);
    assert_int_equal(rule.n_drugs, 2);
    assert_int_equal(rule.order[0], 1); /* key 0.3 < 0.8 */
    assert_int_equal(rule.order[1], 0);
    g[6] = 0.8; /* tie: position decides */
    assert_int_equal(rg_encoding_decode_rule(e, g, &rule, why, sizeof why), RG_OK);
    assert_int_equal(rule.order[0], 0);
    g[0] = 0.01; /* below the dose bound 0.05 */
    assert_int_equal(rg_encoding_decode_rule(e, g, &rule, why, sizeof why), RG_EINVAL);
    assert_non_null(strstr(why, "dose"));
    /* the single-drug adaptive regimen: dose 0.8, thresholds 0.5 / 1.0, tq first */
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[2], g), RG_OK);
    assert_int_equal(rg_encoding_decode_rule(e, g, &rule, why, sizeof why), RG_OK);
    assert_close(rule.dose, 0.8, 0, 0);
    assert_close(rule.stop_below, 0.5, 0, 0);
    assert_close(rule.resume_above, 1.0, 0, 0);
    assert_int_equal(rule.order[0], 1);
    assert_int_equal(rg_encoding_from_regimen(e, p, &p->regimens[0], g), RG_EINVAL);
    char buf[64];
    /* the front's columns: the decoded parameters, then each drug's line (tq first) */
    assert_int_equal(rg_encoding_n_columns(e), RG_RULE_NPARAM_BASE + 2);
    rg_encoding_column_text(e, p, g, 0, buf, sizeof buf);
    assert_string_equal(buf, "0.80000000000000004");
    rg_encoding_column_text(e, p, g, RG_RULE_NPARAM_BASE, buf, sizeof buf);
    assert_string_equal(buf, "2");
    rg_encoding_column_text(e, p, g, RG_RULE_NPARAM_BASE + 1, buf, sizeof buf);
    assert_string_equal(buf, "1");
    rg_encoding_column_name(e, p, 1, buf, sizeof buf);
    assert_string_equal(buf, "rule_stop_below");
    rg_encoding_column_name(e, p, RG_RULE_NPARAM_BASE + 1, buf, sizeof buf);
    assert_string_equal(buf, "rule_line_of_tq");

    /* SBX and polynomial mutation stay within the bounds */
    p->optimize.mutation_probability = 1.0;
    rg_encoding *e2 = enc_of(p);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double a[7], b[7], c1[7], c2[7];
    size_t moved = 0;
    for (int t = 0; t < 2000; t++) {
        rg_encoding_random(e2, r, a);
        rg_encoding_random(e2, r, b);
        rg_encoding_crossover(e2, r, a, b, c1, c2);
        rg_encoding_mutate(e2, r, c1);
        rg_encoding_mutate(e2, r, c2);
        for (size_t i = 0; i < 7; i++) {
            assert_true(c1[i] >= e2->lower[i] && c1[i] <= e2->upper[i]);
            assert_true(c2[i] >= e2->lower[i] && c2[i] <= e2->upper[i]);
            moved += c1[i] != a[i] && c1[i] != b[i];
        }
        assert_int_equal(rg_encoding_decode_rule(e2, c1, &rule, why, sizeof why), RG_OK);
    }
    assert_true(moved > 1000);
    gsl_rng_free(r);
    rg_encoding_free(e2);
    rg_encoding_free(e);
    rg_problem_free(p);
}

static void test_alloc_errors(void **state)
{
    (void)state;
    rg_problem *p = problem(RG_ENC_SCHEDULE);
    rg_diag d;
    rg_diag_init(&d);
    p->optimize.n_levels = 0;
    assert_null(rg_encoding_alloc(p, &d));
    assert_true(rg_diag_total(&d) == 1);
    p->optimize.n_levels = 5;
    p->optimize.crossover_probability = 1.5;
    assert_null(rg_encoding_alloc(p, &d));
    p->optimize.crossover_probability = 0.9;
    p->optimize.drugs[1] = 7;
    assert_null(rg_encoding_alloc(p, &d));
    p->optimize.drugs[1] = 1;
    p->bench.kind = RG_BENCH_ZDT1;
    p->bench.n_vars = 30;
    p->bench.n_obj = 3;
    assert_null(rg_encoding_alloc(p, &d));
    assert_int_equal(rg_diag_total(&d), 4);
    rg_encoding_free(NULL);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_schedule_layout_and_decode),
        cmocka_unit_test(test_schedule_from_regimens),
        cmocka_unit_test(test_schedule_operators),
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_alloc_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
