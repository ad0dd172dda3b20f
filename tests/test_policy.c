/* Policies (src/policy/policy.c): mtd with and without cycles, fixed (repeated), schedule,
 * and the errors of malformed regimens. The levels are what docs/model.md section 8 says,
 * computed by hand here. */
#include "rg_test.h"

#include <string.h>

#include "regimen/policy.h"
#include "regimen/problem.h"

static rg_problem *problem(void)
{
    rg_problem *p = rg_problem_alloc();
    p->horizon_days = 84.0;
    p->decision_days = 7.0;
    p->n_drugs = 3;
    p->n_clones = 1;
    p->clones[0].cells = 1e9;
    p->clones[0].growth_rate = 0.1;
    return p;
}

static void decide_all(rg_policy *pol, const rg_problem *p, size_t ni, double u[][RG_MAX_DRUGS])
{
    double vt[1] = {0.0}, vb[1] = {1e9};
    rg_policy_reset(pol);
    for (size_t k = 0; k < ni; k++) {
        rg_policy_view v = {.k = k,
                            .n_intervals = ni,
                            .t = 7.0 * (double)k,
                            .b0 = 1e9,
                            .burden = 1e9,
                            .n_visits = 1,
                            .visit_t = vt,
                            .visit_burden = vb};
        for (size_t d = 0; d < p->n_drugs; d++)
            u[k][d] = -1.0;
        assert_int_equal(rg_policy_decide(pol, &v, u[k]), RG_OK);
    }
}

static void test_mtd(void **state)
{
    (void)state;
    rg_problem *p = problem();
    rg_regimen *r = &p->regimens[0];
    r->policy = RG_POLICY_MTD;
    r->n_drugs = 2;
    r->drugs[0] = 2;
    r->drugs[1] = 0;
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_OK);
    double u[12][RG_MAX_DRUGS];
    decide_all(&pol, p, 12, u);
    for (size_t k = 0; k < 12; k++) {
        assert_true(u[k][0] == 1.0 && u[k][1] == 0.0 && u[k][2] == 1.0);
    }
    /* cycles of 21 days, 14 on: intervals 0, 1 on, 2 off, ... */
    r->cycle_days = 21.0;
    r->on_days = 14.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_OK);
    decide_all(&pol, p, 12, u);
    for (size_t k = 0; k < 12; k++) {
        double on = (k % 3) < 2 ? 1.0 : 0.0;
        assert_true(u[k][0] == on && u[k][2] == on && u[k][1] == 0.0);
    }
    /* off the grid, on longer than the cycle, missing on_days */
    r->on_days = 10.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    r->on_days = 28.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    r->on_days = 0.0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    r->on_days = 7.0;
    r->drugs[1] = 3; /* no such drug */
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    rg_problem_free(p);
}

static void test_fixed(void **state)
{
    (void)state;
    rg_problem *p = problem();
    rg_regimen *r = &p->regimens[0];
    r->policy = RG_POLICY_FIXED;
    r->n_drugs = 2;
    r->drugs[0] = 1;
    r->drugs[1] = 2;
    static double d1[] = {1.0, 0.25, 0.0, 0.0, 0.5}, d2[] = {0.75, 0.0};
    r->doses[0] = d1;
    r->n_doses[0] = 5;
    r->doses[1] = d2;
    r->n_doses[1] = 2;
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_OK);
    double u[12][RG_MAX_DRUGS];
    decide_all(&pol, p, 12, u);
    for (size_t k = 0; k < 12; k++) {
        assert_true(u[k][0] == 0.0);
        assert_true(u[k][1] == d1[k % 5]);
        assert_true(u[k][2] == d2[k % 2]);
    }
    d2[1] = 1.5; /* out of [0, 1] */
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    d2[1] = 0.0;
    r->n_doses[1] = 0;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    r->doses[0] = r->doses[1] = NULL; /* owned by the test, not the problem */
    rg_problem_free(p);
}

static void test_schedule(void **state)
{
    (void)state;
    rg_problem *p = problem();
    double levels[2 * 12];
    for (size_t q = 0; q < 24; q++)
        levels[q] = (double)(q % 5) * 0.25;
    int drugs[2] = {2, 1};
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, 2, drugs, levels), RG_OK);
    double u[12][RG_MAX_DRUGS];
    decide_all(&pol, p, 12, u);
    for (size_t k = 0; k < 12; k++) {
        assert_true(u[k][2] == levels[k]);
        assert_true(u[k][1] == levels[12 + k]);
        assert_true(u[k][0] == 0.0);
    }
    levels[3] = -0.1;
    assert_int_equal(rg_policy_init_schedule(&pol, p, 2, drugs, levels), RG_EINVAL);
    levels[3] = 0.5;
    drugs[0] = -1;
    assert_int_equal(rg_policy_init_schedule(&pol, p, 2, drugs, levels), RG_EINVAL);
    assert_int_equal(rg_policy_init_schedule(&pol, p, 2, NULL, levels), RG_EINVAL);
    rg_problem_free(p);
}

static void test_unknown_kind(void **state)
{
    (void)state;
    rg_problem *p = problem();
    rg_regimen *r = &p->regimens[0];
    r->policy = (rg_policy_kind)99;
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, r), RG_EINVAL);
    assert_int_equal(rg_policy_init_regimen(NULL, p, r), RG_EINVAL);
    pol.kind = (rg_policy_kind)99;
    pol.problem = p;
    double u[RG_MAX_DRUGS];
    rg_policy_view v = {0};
    assert_int_equal(rg_policy_decide(&pol, &v, u), RG_EINVAL);
    assert_int_equal(rg_policy_decide(NULL, &v, u), RG_EINVAL);
    rg_policy_reset(NULL);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mtd),
        cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_schedule),
        cmocka_unit_test(test_unknown_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
