/* The fair summary (fair.h) on a hand-made record: dominance in each objective's own sense,
 * the untreated member never named, infeasible members never named, the largest gain in the
 * first objective chosen (the lowest index among equals), and -1 when none dominates. */
#include <stdbool.h>
#include <string.h>

#include "rg_test.h"

#include "regimen/eval_result.h"
#include "regimen/fair.h"
#include "regimen/results.h"

/* ttp (max), resistant_fraction (min), dose_intensity (min): five members, three regimens */
static rg_results *record(void)
{
    rg_results *r = rg_results_alloc();
    assert_non_null(r);
    r->n_obj = 3;
    const char *names[3] = {"ttp", "resistant_fraction", "dose_intensity"};
    for (size_t m = 0; m < 3; m++)
        snprintf(r->objective_names[m], RG_NAME_MAX, "%s", names[m]);
    r->maximised[0] = true;
    assert_int_equal(rg_results_alloc_front(r, 5), RG_OK);
    assert_int_equal(rg_results_alloc_regimens(r, 3), RG_OK);
    const double front[5][3] = {
        {512.5, 0.415, 0.385},  /* 0: dominates regimen 0 by 37.5 */
        {530.25, 0.405, 0.375}, /* 1: dominates regimen 0 by 55.25: the one named */
        {700.0, 0.10, 0.0},     /* 2: untreated: never named */
        {650.0, 0.20, 0.30},    /* 3: infeasible: never named */
        {530.25, 0.40, 0.37},   /* 4: as much gain as 1: 1 keeps it (lower index) */
    };
    memcpy(r->front_objectives, front, sizeof front);
    r->front_violation[3] = 0.125;
    const double reg[3][3] = {
        {475.0, 0.425, 0.395}, /* 0 */
        {800.0, 0.95, 1.0},    /* 1: no member reaches its ttp */
        {600.0, 0.30, 0.35},   /* 2: only the untreated and the infeasible member beat it */
    };
    memcpy(r->regimen_objectives, reg, sizeof reg);
    return r;
}

static void test_dominates_in_each_sense(void **state)
{
    (void)state;
    rg_results *r = record();
    const double a[3] = {500.0, 0.4, 0.3}, b[3] = {499.5, 0.4, 0.3}, c[3] = {500.0, 0.41, 0.3};
    assert_true(rg_fair_dominates(r, a, b)); /* longer TTP, the rest equal */
    assert_false(rg_fair_dominates(r, b, a));
    assert_true(rg_fair_dominates(r, a, c));  /* lower resistant fraction */
    assert_false(rg_fair_dominates(r, a, a)); /* equal: not better on one */
    const double d[3] = {510.0, 0.45, 0.3};   /* trade-off: neither */
    assert_false(rg_fair_dominates(r, a, d));
    assert_false(rg_fair_dominates(r, d, a));
    rg_results_free(r);
}

static void test_untreated(void **state)
{
    (void)state;
    rg_results *r = record();
    assert_true(rg_fair_untreated(r, 2));
    assert_false(rg_fair_untreated(r, 0));
    /* without a dose_intensity objective: the delivered doses say it */
    snprintf(r->objective_names[2], RG_NAME_MAX, "final_burden");
    assert_false(rg_fair_untreated(r, 2)); /* no doses recorded: not known to be untreated */
    rg_results_free(r);
}

static void test_dominator(void **state)
{
    (void)state;
    rg_results *r = record();
    assert_int_equal(rg_fair_dominator(r, 0), 1);
    assert_int_equal(rg_fair_dominator(r, 1), -1);
    assert_int_equal(rg_fair_dominator(r, 2), -1);
    assert_int_equal(rg_fair_dominator(r, 3), -1); /* not a regimen */
    r->front_violation[3] = 0.0;                   /* feasible now: it dominates regimen 2 */
    assert_int_equal(rg_fair_dominator(r, 2), 3);
    r->front_flags[3] = RG_RES_INFEASIBLE;
    assert_int_equal(rg_fair_dominator(r, 2), -1);
    rg_results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dominates_in_each_sense),
        cmocka_unit_test(test_untreated),
        cmocka_unit_test(test_dominator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
