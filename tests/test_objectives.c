/* Objectives (docs/model.md section 9) and constraints (section 7) against hand computations
 * on hand-written run summaries. The same on summaries produced by the kernel is in
 * test_compare.c. */
#include "rg_test.h"

#include <string.h>

#include "regimen/objectives.h"

/* Two drugs (toxicity weights 1.7 and 0.4), neutrophils on, every constraint set. */
static rg_problem *small_problem(void)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = 140.0;
    p->decision_days = 7.0;
    p->n_drugs = 2;
    strcpy(p->drugs[0].name, "dox");
    strcpy(p->drugs[1].name, "tq");
    p->drugs[0].toxicity_weight = 1.7;
    p->drugs[1].toxicity_weight = 0.4;
    p->drugs[0].max_cumulative_dose = 8.0;
    p->drugs[1].max_cumulative_dose = 42.0;
    p->max_daily_toxicity = 1.5;
    p->neutrophils = true;
    p->circ0 = 5.05;
    p->anc_min = 0.5;
    /* the first RG_MAX_OBJ kinds (a problem names at most that many); test_values also
     * runs the rest */
    p->optimize.n_objectives = RG_MAX_OBJ;
    for (int o = 0; o < RG_MAX_OBJ; o++)
        p->optimize.objectives[o] = o;
    return p;
}

static rg_sim_summary feasible_summary(void)
{
    rg_sim_summary s;
    memset(&s, 0, sizeof s);
    s.status = RG_OK;
    s.progressed = true;
    s.ttp = 91.0;
    s.emerged = true;
    s.time_to_emergence = 63.0;
    s.final_burden = 3.3e9;
    s.resistant_burden = 2.7e6;
    s.resistant_fraction = 2.7e6 / 3.3e9;
    s.hazard = 0.0215;
    s.resistance_probability = 1.0 - exp(-0.0215);
    s.neutrophil_nadir = 1.23;
    s.cumulative_dose[0] = 6.0;  /* bolus: 6 MTD boluses of 7 possible */
    s.cumulative_dose[1] = 35.0; /* MTD-days of 140 */
    s.dose_intensity[0] = 6.0 / 7.0;
    s.dose_intensity[1] = 35.0 / 140.0;
    s.max_daily_toxicity = 1.7 * 1.0 + 0.4 * 0.5;
    return s;
}

static void test_values(void **state)
{
    (void)state;
    rg_problem *p = small_problem();
    p->max_daily_toxicity = 2.0;
    rg_sim_summary s = feasible_summary();
    rg_eval_result r;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    const double want[RG_OBJ_NKINDS] = {
        91.0,                         /* ttp */
        log10(1.0 + 2.7e6),           /* resistant_burden */
        log10(0.0215 + 1e-12),        /* emergence_hazard */
        1.0 - exp(-0.0215),           /* resistance_probability */
        log10(1.0 + 3.3e9),           /* final_burden */
        1.7 * 6.0 / 7.0 + 0.4 * 0.25, /* dose_intensity */
        63.0,                         /* time_to_emergence */
        1.23,                         /* neutrophil_nadir */
        2.7e6 / 3.3e9                 /* resistant_fraction */
    };
    for (int o = 0; o < RG_MAX_OBJ; o++) {
        assert_close(r.value[o], want[o], 1e-14, 0);
        double f = rg_objective_maximised(o) ? -want[o] : want[o];
        assert_close(r.fitness[o], f, 1e-14, 0);
    }
    for (int o = 0; o < RG_OBJ_NKINDS; o++)
        assert_close(rg_objective_value(p, &s, o), want[o], 1e-14, 0);
    assert_false(rg_objective_maximised(RG_OBJ_RESISTANT_FRACTION));
    assert_string_equal(rg_objective_name(RG_OBJ_RESISTANT_FRACTION), "resistant_fraction");
    assert_close(r.violation, 0.0, 0, 0);
    assert_int_equal(r.flags, 0u);
    assert_string_equal(r.reason, "");

    /* censored: flag, TTP is the horizon as the kernel reports it */
    s.progressed = false;
    s.ttp = 140.0;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_int_equal(r.flags, (unsigned)RG_RES_CENSORED);
    assert_close(r.value[0], 140.0, 0, 0);
    assert_close(r.fitness[0], -140.0, 0, 0);

    /* objectives in the order the problem lists them */
    p->optimize.n_objectives = 2;
    p->optimize.objectives[0] = RG_OBJ_DOSE_INTENSITY;
    p->optimize.objectives[1] = RG_OBJ_TIME_TO_EMERGENCE;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_close(r.value[0], want[5], 1e-14, 0);
    assert_close(r.fitness[1], -63.0, 0, 0);
    assert_close(r.fitness[2], 0.0, 0, 0);

    /* neutrophil model off: the nadir objective is the constant 0, anc_min not applied */
    p->neutrophils = false;
    s.neutrophil_nadir = INFINITY;
    p->optimize.objectives[0] = RG_OBJ_NEUTROPHIL_NADIR;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_close(r.value[0], 0.0, 0, 0);
    assert_close(r.violation, 0.0, 0, 0);

    /* an extinct resistant clone and zero hazard */
    s.resistant_burden = 0.0;
    s.hazard = 0.0;
    assert_close(rg_objective_value(p, &s, RG_OBJ_RESISTANT_BURDEN), 0.0, 0, 0);
    assert_close(rg_objective_value(p, &s, RG_OBJ_EMERGENCE_HAZARD), -12.0, 1e-15, 0);
    rg_problem_free(p);
}

static void test_cumulative_dose_violation(void **state)
{
    (void)state;
    rg_problem *p = small_problem();
    p->max_daily_toxicity = 2.0;
    rg_sim_summary s = feasible_summary();
    s.cumulative_dose[0] = 9.5; /* 1.5 MTD boluses over 8 */
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &s, &v), RG_OK);
    assert_close(v.cumulative_dose[0], 1.5, 1e-15, 0);
    assert_close(v.cumulative_dose[1], 0.0, 0, 0);
    assert_close(v.daily_toxicity, 0.0, 0, 0);
    assert_close(v.anc, 0.0, 0, 0);
    assert_close(v.total, 1.5 / 8.0, 1e-15, 0);
    rg_eval_result r;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_true(r.flags & RG_RES_INFEASIBLE);
    assert_close(r.violation, 1.5 / 8.0, 1e-15, 0);
    assert_string_equal(r.reason, "max_cumulative_dose dox 9.5 > 8");
    /* exactly at the limit (and within rounding of it) is feasible */
    s.cumulative_dose[0] = 8.0 * (1.0 + 1e-13);
    assert_int_equal(rg_constraints_eval(p, &s, &v), RG_OK);
    assert_close(v.total, 0.0, 0, 0);
    /* no limit on a drug: never violated */
    p->drugs[0].max_cumulative_dose = -1.0;
    s.cumulative_dose[0] = 1e6;
    assert_int_equal(rg_constraints_eval(p, &s, &v), RG_OK);
    assert_close(v.total, 0.0, 0, 0);
    /* a limit of 0 forbids the drug: the excess itself counts */
    p->drugs[1].max_cumulative_dose = 0.0;
    s.cumulative_dose[1] = 0.75;
    assert_int_equal(rg_constraints_eval(p, &s, &v), RG_OK);
    assert_close(v.total, 0.75, 1e-15, 0);
    rg_problem_free(p);
}

static void test_daily_toxicity_and_anc(void **state)
{
    (void)state;
    rg_problem *p = small_problem();
    rg_sim_summary s = feasible_summary(); /* worst interval 1.9 > limit 1.5 */
    s.neutrophil_nadir = 0.31;             /* below anc_min 0.5 */
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &s, &v), RG_OK);
    assert_close(v.daily_toxicity, 0.4, 1e-14, 0);
    assert_close(v.anc, 0.19, 1e-14, 0);
    assert_close(v.total, 0.4 / 1.5 + 0.19 / 0.5, 1e-14, 0);
    rg_eval_result r;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_int_equal(r.flags, (unsigned)RG_RES_INFEASIBLE);
    assert_close(r.violation, 0.4 / 1.5 + 0.19 / 0.5, 1e-14, 0);
    assert_string_equal(r.reason, "max_daily_toxicity 1.9 > 1.5; anc_min 0.31 < 0.5");
    char buf[16];
    rg_violation_describe(p, &s, &v, buf, sizeof buf);
    assert_int_equal(strlen(buf), 15); /* truncated, terminated */
    rg_problem_free(p);
}

static void test_failed_runs(void **state)
{
    (void)state;
    rg_problem *p = small_problem();
    rg_sim_summary s = feasible_summary();
    rg_eval_result r;
    s.status = RG_EBUDGET;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_true(r.flags & RG_RES_BUDGET);
    assert_true(r.flags & RG_RES_INFEASIBLE);
    for (size_t j = 0; j < RG_MAX_OBJ; j++)
        assert_true(isfinite(r.fitness[j]) && r.fitness[j] >= 1e300);
    assert_true(r.violation >= 1e300);
    s.status = RG_ENUMERIC;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_true(r.flags & RG_RES_NONFINITE);
    assert_false(r.flags & RG_RES_BUDGET);
    /* a NaN that slipped into an OK summary never reaches the fitness */
    s = feasible_summary();
    p->max_daily_toxicity = 2.0;
    s.final_burden = NAN;
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_OK);
    assert_true(r.flags & RG_RES_NONFINITE);
    for (size_t j = 0; j < RG_MAX_OBJ; j++)
        assert_false(isnan(r.fitness[j]));
    /* benchmark objectives are not the tumour model's */
    p->optimize.n_objectives = 1;
    p->optimize.objectives[0] = RG_OBJ_BENCH_F1;
    s = feasible_summary();
    assert_int_equal(rg_objectives_compute(p, &s, &r), RG_EINVAL);
    assert_true(r.flags & RG_RES_FAILED);
    assert_int_equal(rg_objectives_compute(NULL, &s, &r), RG_EINVAL);
    assert_int_equal(rg_constraints_eval(p, NULL, NULL), RG_EINVAL);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_cumulative_dose_violation),
        cmocka_unit_test(test_daily_toxicity_and_anc),
        cmocka_unit_test(test_failed_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
