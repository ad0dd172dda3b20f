/* Policies of docs/regimens.md on synthetic burden histories (no kernel): each rule's
 * decisions computed by hand. The kernel-driven tests (closed-form switching times, hidden
 * clones, adaptive versus MTD) are in test_compare.c. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/policy.h"
#include "regimen/regimens.h"

typedef int (*decide_fn)(rg_policy *, const rg_policy_view *, double *);

/* Three drugs; regimen r gives drugs 2 and 0 (a combination). */
static rg_problem *three_drugs(void)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->n_drugs = 3;
    strcpy(p->drugs[0].name, "a");
    strcpy(p->drugs[1].name, "b");
    strcpy(p->drugs[2].name, "c");
    p->n_regimens = 1;
    rg_regimen *r = &p->regimens[0];
    strcpy(r->name, "r");
    r->n_drugs = 2;
    r->drugs[0] = 2;
    r->drugs[1] = 0;
    return p;
}

static void setup_policy(rg_policy *pol, const rg_problem *p, rg_policy_kind kind)
{
    memset(pol, 0, sizeof *pol);
    pol->kind = kind;
    pol->problem = p;
    pol->regimen = &p->regimens[0];
}

/* Runs decide over a burden path (relative to b0 = 2.5e9) and records u[] per interval. */
static void run_path(rg_policy *pol, decide_fn decide, const double *rel, size_t n,
                     double *u_out)
{
    const double b0 = 2.5e9;
    double vb[64], vt[64];
    assert_true(n <= 64);
    for (size_t k = 0; k < n; k++) {
        vb[k] = rel[k] * b0;
        vt[k] = 7.0 * (double)k;
        rg_policy_view v = {.k = k,
                            .n_intervals = n,
                            .t = vt[k],
                            .b0 = b0,
                            .burden = vb[k],
                            .n_visits = k + 1,
                            .visit_t = vt,
                            .visit_burden = vb};
        assert_int_equal(decide(pol, &v, u_out + 3 * k), RG_OK);
    }
}

static void test_metronomic(void **state)
{
    (void)state;
    rg_problem *p = three_drugs();
    p->regimens[0].level = 0.37;
    assert_int_equal(rg_metronomic_check(p, &p->regimens[0]), RG_OK);
    rg_policy pol;
    setup_policy(&pol, p, RG_POLICY_METRONOMIC);
    rg_metronomic_reset(&pol);
    const double rel[] = {1.0, 0.5, 2.0, 0.01};
    double u[12];
    run_path(&pol, rg_metronomic_decide, rel, 4, u);
    for (size_t k = 0; k < 4; k++) {
        assert_close(u[3 * k + 0], 0.37, 0, 0);
        assert_close(u[3 * k + 1], 0.0, 0, 0);
        assert_close(u[3 * k + 2], 0.37, 0, 0);
    }
    p->regimens[0].level = 1.2;
    assert_int_equal(rg_metronomic_check(p, &p->regimens[0]), RG_EINVAL);
    p->regimens[0].level = NAN;
    assert_int_equal(rg_metronomic_check(p, &p->regimens[0]), RG_EINVAL);
    p->regimens[0].level = 0.3;
    p->regimens[0].drugs[1] = 3;
    assert_int_equal(rg_metronomic_check(p, &p->regimens[0]), RG_EINVAL);
    rg_problem_free(p);
}

static void test_adaptive(void **state)
{
    (void)state;
    rg_problem *p = three_drugs();
    rg_regimen *r = &p->regimens[0];
    r->dose = 0.85;
    r->stop_below = 0.5;
    r->resume_above = 1.0;
    assert_int_equal(rg_adaptive_check(p, r), RG_OK);
    rg_policy pol;
    setup_policy(&pol, p, RG_POLICY_ADAPTIVE);
    rg_adaptive_reset(&pol);
    /* k:      0    1    2     3    4    5     6     7    8    9 */
    const double rel[] = {1.0, 0.7, 0.5, 0.45, 0.8, 0.99, 1.0, 0.6, 0.49, 0.3};
    /* treat at 0; stop at k = 2 (0.5 <= 0.5); hold 2-5; resume at 6 (1.0 >= 1.0); stop at 8 */
    const int treat[] = {1, 1, 0, 0, 0, 0, 1, 1, 0, 0};
    double u[30];
    run_path(&pol, rg_adaptive_decide, rel, 10, u);
    for (size_t k = 0; k < 10; k++) {
        assert_close(u[3 * k + 0], treat[k] ? 0.85 : 0.0, 0, 0);
        assert_close(u[3 * k + 1], 0.0, 0, 0);
        assert_close(u[3 * k + 2], treat[k] ? 0.85 : 0.0, 0, 0);
    }
    /* reset restores the start: a second run gives the same doses */
    double u2[30];
    rg_adaptive_reset(&pol);
    run_path(&pol, rg_adaptive_decide, rel, 10, u2);
    assert_memory_equal(u, u2, sizeof u);
    /* interval 0 is treated even when B(0) is already below the stop threshold */
    r->stop_below = 1.5;
    rg_adaptive_reset(&pol);
    const double rel2[] = {1.0, 1.0};
    run_path(&pol, rg_adaptive_decide, rel2, 2, u);
    assert_close(u[0], 0.85, 0, 0);
    assert_close(u[3], 0.0, 0, 0);
    r->stop_below = -0.1;
    assert_int_equal(rg_adaptive_check(p, r), RG_EINVAL);
    r->stop_below = 0.5;
    r->dose = 1.01;
    assert_int_equal(rg_adaptive_check(p, r), RG_EINVAL);
    r->dose = 1.0;
    r->resume_above = INFINITY;
    assert_int_equal(rg_adaptive_check(p, r), RG_EINVAL);
    r->resume_above = 1.0;
    r->n_drugs = 0;
    assert_int_equal(rg_adaptive_check(p, r), RG_EINVAL);
    rg_problem_free(p);
}

static void test_dose_modulation(void **state)
{
    (void)state;
    rg_problem *p = three_drugs();
    rg_regimen *r = &p->regimens[0];
    r->dose = 0.6;
    r->rise = 0.2;
    r->fall = 0.1;
    r->step = 0.5;
    r->min_dose = 0.1;
    r->skip_below = 0.3;
    assert_int_equal(rg_dose_modulation_check(p, r), RG_OK);
    rg_policy pol;
    setup_policy(&pol, p, RG_POLICY_DOSE_MODULATION);
    rg_dose_modulation_reset(&pol);
    /* B/B(0) per decision and D by hand:
     * k0 1.0   D = 0.6
     * k1 1.25  rose 25% > 20%:   D = 0.9
     * k2 1.45  rose 16%, not > 20%: D = 0.9
     * k3 1.9   rose 31%:         D = 1.35 -> clipped 1.0
     * k4 1.6   fell 15.8% > 10%: D = 0.5
     * k5 1.5   fell 6.25%:       D = 0.5
     * k6 1.0   fell 33%:         D = 0.25
     * k7 0.8   fell 20%:         D = 0.125
     * k8 0.5   fell 37.5%:       D = 0.0625 < min_dose 0.1 -> 0
     * k9 0.25  fell 50%:         D = 0, and B < 0.3 B(0): skipped anyway
     * k10 0.29 rose 16%:         D = 0 (no rise), skipped (0.29 < 0.3)
     * k11 0.4  rose 37.9%:       D was 0: restart at dose 0.6
     * k12 0.2  fell 50%:         D = 0.3 but B < 0.3 B(0): u = 0
     * k13 0.2  no change:        D = 0.3, skipped
     * k14 0.5  rose 150%:        D = 0.45, given */
    const double rel[] = {1.0, 1.25, 1.45, 1.9, 1.6, 1.5, 1.0, 0.8,
                          0.5, 0.25, 0.29, 0.4, 0.2, 0.2, 0.5};
    const double D[] = {0.6, 0.9, 0.9, 1.0, 0.5, 0.5, 0.25, 0.125,
                        0.0, 0.0, 0.0, 0.6, 0.3, 0.3, 0.45};
    const int given[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1};
    double u[45];
    run_path(&pol, rg_dose_modulation_decide, rel, 15, u);
    for (size_t k = 0; k < 15; k++) {
        double want = given[k] ? D[k] : 0.0;
        assert_close(u[3 * k + 0], want, 1e-15, 0);
        assert_close(u[3 * k + 1], 0.0, 0, 0);
        assert_close(u[3 * k + 2], want, 1e-15, 0);
    }
    assert_close(pol.remembered, 0.45, 1e-15, 0);
    r->fall = 1.5; /* never lowers the dose: allowed (docs/model.md section 8) */
    assert_int_equal(rg_dose_modulation_check(p, r), RG_OK);
    r->fall = -0.1;
    assert_int_equal(rg_dose_modulation_check(p, r), RG_EINVAL);
    r->fall = 0.1;
    r->step = -0.5;
    assert_int_equal(rg_dose_modulation_check(p, r), RG_EINVAL);
    r->step = 0.5;
    r->min_dose = 2.0;
    assert_int_equal(rg_dose_modulation_check(p, r), RG_EINVAL);
    rg_problem_free(p);
}

static void test_rule_switching(void **state)
{
    (void)state;
    rg_problem *p = three_drugs();
    rg_rule_params q = {.dose = 0.75,
                        .stop_below = 0.4,
                        .resume_above = 0.9,
                        .switch_rise = 0.1,
                        .min_dose = 0.05,
                        .n_drugs = 3,
                        .order = {1, 2, 0}};
    rg_policy pol;
    assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_OK);
    assert_int_equal(pol.kind, RG_POLICY_ADAPTIVE_RULE);
    /* k0 1.0  treat drug 1
     * k1 1.05 rose 5% (< 10%): drug 1
     * k2 1.2  rose 14.3% under drug 1: switch to drug 2
     * k3 0.8  drug 2
     * k4 0.4  <= 0.4: stop
     * k5 0.6  holding (rose 50% but nothing given: no switch)
     * k6 0.95 >= 0.9: resume with drug 2
     * k7 1.1  rose 15.8% under drug 2: switch to drug 0
     * k8 1.3  rose 18%: switch to drug 1 (wraps around the order)
     * k9 1.3  no rise: drug 1 */
    const double rel[] = {1.0, 1.05, 1.2, 0.8, 0.4, 0.6, 0.95, 1.1, 1.3, 1.3};
    const int drug[] = {1, 1, 2, 2, -1, -1, 2, 0, 1, 1};
    double u[30];
    run_path(&pol, rg_rule_decide, rel, 10, u);
    for (size_t k = 0; k < 10; k++)
        for (int d = 0; d < 3; d++)
            assert_close(u[3 * k + (size_t)d], d == drug[k] ? 0.75 : 0.0, 0, 0);
    /* one drug: never switches */
    q.n_drugs = 1;
    q.order[0] = 2;
    assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_OK);
    run_path(&pol, rg_rule_decide, rel, 10, u);
    for (size_t k = 0; k < 10; k++)
        assert_close(u[3 * k + 2], drug[k] >= 0 ? 0.75 : 0.0, 0, 0);
    /* a dose below min_dose is given as 0 */
    q.dose = 0.3;
    q.min_dose = 0.35;
    assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_OK);
    run_path(&pol, rg_rule_decide, rel, 3, u);
    for (size_t i = 0; i < 9; i++)
        assert_close(u[i], 0.0, 0, 0);
    rg_problem_free(p);
}

static void test_rule_bounds(void **state)
{
    (void)state;
    rg_problem *p = three_drugs();
    rg_rule_params ok = {.dose = 1.0,
                         .stop_below = 0.5,
                         .resume_above = 1.0,
                         .switch_rise = 0.2,
                         .min_dose = 0.05,
                         .n_drugs = 2,
                         .order = {0, 2}};
    rg_policy pol;
    assert_int_equal(rg_rule_check(p, &ok), RG_OK);
    /* every real parameter at both bounds is accepted, just past them rejected */
    for (size_t i = 0; i < RG_RULE_NPARAM_BASE; i++) {
        for (int side = 0; side < 2; side++) {
            rg_rule_params q = ok;
            double *x[RG_RULE_NPARAM_BASE] = {&q.dose, &q.stop_below, &q.resume_above,
                                              &q.switch_rise, &q.min_dose};
            double b = side ? rg_rule_upper[i] : rg_rule_lower[i];
            *x[i] = b;
            assert_int_equal(rg_rule_check(p, &q), RG_OK);
            *x[i] = side ? b + 1e-9 : b - 1e-9;
            assert_int_equal(rg_rule_check(p, &q), RG_EINVAL);
            *x[i] = NAN;
            assert_int_equal(rg_policy_init_rule(&pol, p, &q), RG_EINVAL);
        }
    }
    rg_rule_params q = ok;
    q.order[1] = 0; /* repeated drug */
    assert_int_equal(rg_rule_check(p, &q), RG_EINVAL);
    q.order[1] = 3; /* no such drug */
    assert_int_equal(rg_rule_check(p, &q), RG_EINVAL);
    q = ok;
    q.n_drugs = 0;
    assert_int_equal(rg_rule_check(p, &q), RG_EINVAL);
    q.n_drugs = 4;
    assert_int_equal(rg_rule_check(p, &q), RG_EINVAL);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metronomic),      cmocka_unit_test(test_adaptive),
        cmocka_unit_test(test_dose_modulation), cmocka_unit_test(test_rule_switching),
        cmocka_unit_test(test_rule_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
