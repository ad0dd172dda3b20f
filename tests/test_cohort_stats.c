/* Tests of the statistics over a cohort (src/policy/cohort_stats.c; docs/model.md section
 * 13) against hand computations: quantiles (inverse empirical distribution, censoring),
 * mean, CVaR, fraction progression-free, the cohort violation, and a Kaplan-Meier curve. */
#include "rg_test.h"

#include <stdbool.h>
#include <string.h>

#include "regimen/cohort_stats.h"
#include "regimen/problem.h"

static double stat(rg_agg_kind k, double arg, bool mx, size_t n, const double x[],
                   const bool c[], bool *is_c)
{
    rg_aggregate a = {k, arg};
    double scratch[16];
    return rg_cohort_statistic(&a, mx, n, x, c, NULL, NULL, scratch, is_c);
}

static void test_plain(void **state)
{
    (void)state;
    const double x[] = {5, 1, 4, 2, 3};
    bool c;
    assert_close(stat(RG_AGG_QUANTILE, 0.5, true, 5, x, NULL, &c), 3, 0, 0);
    assert_false(c);
    assert_close(stat(RG_AGG_QUANTILE, 0.1, true, 5, x, NULL, &c), 1, 0, 0);
    assert_close(stat(RG_AGG_QUANTILE, 0.2, true, 5, x, NULL, &c), 1, 0, 0); /* k = 1 */
    assert_close(stat(RG_AGG_QUANTILE, 0.21, true, 5, x, NULL, &c), 2, 0, 0);
    assert_close(stat(RG_AGG_QUANTILE, 1.0, true, 5, x, NULL, &c), 5, 0, 0);
    assert_close(stat(RG_AGG_MEAN, 0, true, 5, x, NULL, &c), 3, 0, 0);
    /* CVaR 40%: the 2 worst, lowest when maximised, highest when minimised */
    assert_close(stat(RG_AGG_CVAR, 0.4, true, 5, x, NULL, &c), 1.5, 0, 0);
    assert_close(stat(RG_AGG_CVAR, 0.4, false, 5, x, NULL, &c), 4.5, 0, 0);
    /* 7% of 100 is 7 patients, not 8 (0.07 * 100 rounds above 7 in binary) */
    double y[100];
    for (int i = 0; i < 100; i++)
        y[i] = i;
    rg_aggregate a = {RG_AGG_CVAR, 0.07};
    double scratch[100];
    assert_close(rg_cohort_statistic(&a, true, 100, y, NULL, NULL, NULL, scratch, NULL), 3.0, 0,
                 1e-12);
    assert_true(isnan(stat(RG_AGG_MEAN, 0, true, 0, x, NULL, &c)));
}

/* TTPs on a 100-day horizon; censored ones are 100. */
static void test_censoring(void **state)
{
    (void)state;
    bool c;
    const double a[] = {30, 100, 100, 50, 100};
    const bool ac[] = {false, true, true, false, true};
    assert_close(stat(RG_AGG_QUANTILE, 0.5, true, 5, a, ac, &c), 100, 0, 0);
    assert_true(c); /* 3 of 5 censored: the median is "> 100" */
    assert_close(stat(RG_AGG_QUANTILE, 0.4, true, 5, a, ac, &c), 50, 0, 0);
    assert_false(c);
    const double b[] = {30, 100, 100, 50, 70};
    const bool bc[] = {false, true, true, false, false};
    assert_close(stat(RG_AGG_QUANTILE, 0.5, true, 5, b, bc, &c), 70, 0, 0);
    assert_false(c);
    /* exactly half censored: the median is observed */
    const double d[] = {30, 50, 100, 100};
    const bool dc[] = {false, false, true, true};
    assert_close(stat(RG_AGG_QUANTILE, 0.5, true, 4, d, dc, &c), 50, 0, 0);
    assert_false(c);
    /* a progression at the horizon itself is observed, and sorts before the censored */
    const double e[] = {100, 100, 30, 40};
    const bool ec[] = {false, true, false, false};
    assert_close(stat(RG_AGG_QUANTILE, 0.75, true, 4, e, ec, &c), 100, 0, 0);
    assert_false(c);
    assert_close(stat(RG_AGG_QUANTILE, 1.0, true, 4, e, ec, &c), 100, 0, 0);
    assert_true(c);
    /* the restricted mean counts censored patients at the horizon */
    assert_close(stat(RG_AGG_MEAN, 0, true, 5, a, ac, &c), 76, 0, 1e-12);
    assert_false(c);
    /* progression-free at day 60 and 50: TTP > D or censored */
    const bool prog[] = {true, false, false, true, true};
    rg_aggregate pfs = {RG_AGG_PFS, 60};
    double scratch[8];
    assert_close(rg_cohort_statistic(&pfs, true, 5, b, bc, b, prog, scratch, &c), 0.6, 0, 0);
    pfs.arg = 50; /* a progression on day 50 is not progression-free at day 50 */
    assert_close(rg_cohort_statistic(&pfs, true, 5, b, bc, b, prog, scratch, &c), 0.6, 0, 0);
    pfs.arg = 29;
    assert_close(rg_cohort_statistic(&pfs, true, 5, b, bc, b, prog, scratch, &c), 1.0, 0, 0);
}

static void test_violation(void **state)
{
    (void)state;
    const double v[] = {0, 0.5, 0, 2.0};
    double s[4];
    assert_close(rg_cohort_violation(4, v, 1.0, s), 2.5, 0, 0);
    assert_close(rg_cohort_violation(4, v, 0.75, s), 0.5, 0, 0);
    assert_close(rg_cohort_violation(4, v, 0.5, s), 0.0, 0, 0);
    assert_close(rg_cohort_violation(4, v, 0.01, s), 0.0, 0, 0);
}

/* S(t) by hand: 6 patients; progression at 5; censored at 8; two progress at 12; two
 * censored at 20. S = 1, 5/6, 5/6, 5/6 * (1 - 2/4) = 5/12, 5/12. */
static void test_km(void **state)
{
    (void)state;
    const double ttp[] = {12, 20, 5, 8, 20, 12};
    const bool prog[] = {true, false, true, false, false, true};
    size_t order[6], risk[7], ev[7];
    double t[7], s[7];
    size_t rows = rg_km_curve(6, ttp, prog, order, t, s, risk, ev);
    assert_int_equal(rows, 5);
    const double et[] = {0, 5, 8, 12, 20}, es[] = {1, 5.0 / 6, 5.0 / 6, 5.0 / 12, 5.0 / 12};
    const size_t er[] = {6, 6, 5, 4, 2}, ee[] = {0, 1, 0, 2, 0};
    for (size_t r = 0; r < rows; r++) {
        assert_close(t[r], et[r], 0, 0);
        assert_close(s[r], es[r], 1e-15, 0);
        assert_int_equal(risk[r], er[r]);
        assert_int_equal(ev[r], ee[r]);
    }
}

/* Records of 3 patients into one: statistics, censoring, infeasibility, failure. */
static void test_combine(void **state)
{
    (void)state;
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = 100;
    p->optimize.n_objectives = 2;
    p->optimize.objectives[0] = RG_OBJ_TTP;
    p->optimize.objectives[1] = RG_OBJ_RESISTANCE_PROBABILITY;
    p->cohort = rg_cohort_alloc(3, 1);
    assert_non_null(p->cohort);
    strcpy(p->cohort->names[1], "B");
    p->cohort->aggregate[1] = (rg_aggregate){RG_AGG_CVAR, 0.34}; /* the 2 worst */
    rg_eval_result per[3];
    rg_sim_summary sums[3];
    memset(per, 0, sizeof per);
    memset(sums, 0, sizeof sums);
    const double ttp[] = {100, 40, 100}, pr[] = {0.1, 0.5, 0.2};
    for (int i = 0; i < 3; i++) {
        sums[i].ttp = ttp[i];
        sums[i].progressed = ttp[i] < 100;
        per[i].value[0] = ttp[i];
        per[i].value[1] = pr[i];
    }
    per[1].violation = 0.25;
    strcpy(per[1].reason, "anc_min 0.4 < 0.5");
    double scratch[9];
    rg_eval_result out;
    rg_cohort_combine(p, 3, per, sums, scratch, &out);
    assert_close(out.value[0], 100, 0, 0); /* median: 2 of 3 censored */
    assert_close(out.fitness[0], -100, 0, 0);
    assert_true(out.flags & RG_RES_CENSORED);
    assert_close(out.value[1], 0.35, 1e-15, 0);
    assert_close(out.fitness[1], 0.35, 1e-15, 0);
    assert_close(out.violation, 0.25, 0, 0);
    assert_true(out.flags & RG_RES_INFEASIBLE);
    assert_non_null(strstr(out.reason, "1 of 3 patients infeasible (B: anc_min"));
    p->cohort->feasible_fraction = 0.6; /* 2 of 3 must be feasible */
    rg_cohort_combine(p, 3, per, sums, scratch, &out);
    assert_close(out.violation, 0, 0, 0);
    assert_false(out.flags & RG_RES_INFEASIBLE);
    per[1].flags = RG_RES_BUDGET;
    strcpy(per[1].reason, "step budget");
    rg_cohort_combine(p, 3, per, sums, scratch, &out);
    assert_true(out.flags & RG_RES_BUDGET);
    assert_non_null(strstr(out.reason, "patient B: step budget"));
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain),     cmocka_unit_test(test_censoring),
        cmocka_unit_test(test_violation), cmocka_unit_test(test_km),
        cmocka_unit_test(test_combine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
