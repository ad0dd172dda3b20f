/* Outcomes of the regimens driven by the kernel (rg_sim_run):
 * - the literature's adaptive-versus-MTD result (Strobl et al. 2021 Cancer Res; Zhang et
 *   al. 2017 Nat Commun), both halves;
 * - objectives and constraints of kernel runs against hand computations.
 * The switching times of each policy are in test_regimens_sim.c. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/regimens.h"
#include "regimen/sim.h"
#include "regimens_sim_util.h"

/* ---- adaptive versus MTD (Strobl et al. 2021; Zhang et al. 2017) ---- */

/* Two clones under one carrying capacity K = 1 (normalised cells), same growth rate (no
 * cost of resistance), the resistant one untouched by the drug (apoptosis fold 1e12 divides
 * its Emax). B(0) = b0 K, a fraction f resistant. */
static rg_problem *two_clone_model(double f, double b0)
{
    rg_problem *p = rg_problem_alloc();
    assert_non_null(p);
    p->horizon_days = 1400.0;
    p->decision_days = 7.0;
    p->visit_days = 1.0;
    p->carrying_capacity = 1.0;
    p->extinction_cells = 0.0;
    p->progression_min_cells = 0.0;
    p->progression_factor = 1.2;
    p->emergence_cells = 0.1 * b0;
    p->n_clones = 2;
    strcpy(p->clones[0].name, "sensitive");
    strcpy(p->clones[1].name, "resistant");
    for (int i = 0; i < 2; i++) {
        p->clones[i].growth_rate = 0.03;
        p->clones[i].carrying_capacity = 1.0;
    }
    p->clones[0].cells = b0 * (1.0 - f);
    p->clones[1].cells = b0 * f;
    p->clones[1].resistant = true;
    p->n_drugs = 1;
    strcpy(p->drugs[0].name, "abiraterone");
    p->drugs[0].half_life_days = 0.0;
    p->drugs[0].effect = RG_EFFECT_LINEAR;
    p->drugs[0].emax = 0.1;
    p->n_mechs = 1;
    strcpy(p->mechs[0].name, "BCL2");
    p->mechs[0].kind = RG_MECH_APOPTOSIS;
    p->mechs[0].affects[0] = true;
    p->clones[1].carries[0] = true;
    p->clones[1].fold[0] = 1e12;
    const int d0[] = {0};
    add_regimen(p, "MTD", RG_POLICY_MTD, 1, d0);
    rg_regimen *at = add_regimen(p, "AT50", RG_POLICY_ADAPTIVE, 1, d0);
    at->dose = 1.0;
    at->stop_below = 0.5;
    at->resume_above = 1.0;
    return p;
}

static void ttp_pair(double f, double b0, double *mtd, double *at)
{
    rg_problem *p = two_clone_model(f, b0);
    run_out o;
    run_regimen(p, 0, &o);
    assert_true(o.s.progressed);
    *mtd = o.s.ttp;
    run_free(&o);
    run_regimen(p, 1, &o);
    assert_true(o.s.progressed);
    *at = o.s.ttp;
    run_free(&o);
    rg_problem_free(p);
}

static void test_adaptive_beats_mtd_when_resistance_is_rare(void **state)
{
    (void)state;
    const double fr[] = {0.001, 0.01, 0.1};
    double prev_gain = INFINITY;
    for (size_t i = 0; i < 3; i++) {
        double mtd, at;
        ttp_pair(fr[i], 0.75, &mtd, &at);
        double gain = (at - mtd) / mtd;
        print_message("resistant fraction %.3g: TTP MTD %g, adaptive %g days (gain %.0f%%)\n",
                      fr[i], mtd, at, 100.0 * gain);
        assert_true(at > mtd);
        assert_true(gain < prev_gain); /* the gain shrinks as resistance is more common */
        prev_gain = gain;
    }
    double mtd, at;
    ttp_pair(0.01, 0.75, &mtd, &at);
    assert_true(at >= 1.3 * mtd);
}

static void test_no_gain_when_resistance_is_common(void **state)
{
    (void)state;
    const double fr[] = {0.3, 0.5};
    for (size_t i = 0; i < 2; i++) {
        double mtd, at;
        ttp_pair(fr[i], 0.75, &mtd, &at);
        print_message("resistant fraction %.3g: TTP MTD %g, adaptive %g days\n", fr[i], mtd,
                      at);
        /* the resistant clone alone keeps B above stop_below B(0): adaptive therapy never
         * pauses and is MTD */
        assert_true(fabs(at - mtd) <= 7.0);
    }
}

/* The gain needs the tumour to start near carrying capacity (Strobl et al. 2021): at a 1%
 * resistant fraction it grows with B(0)/K. */
static void test_gain_grows_with_initial_density(void **state)
{
    (void)state;
    const double dens[] = {0.1, 0.25, 0.5, 0.75};
    double prev_gain = -INFINITY;
    for (size_t i = 0; i < 4; i++) {
        double mtd, at;
        ttp_pair(0.01, dens[i], &mtd, &at);
        double gain = (at - mtd) / mtd;
        print_message("B(0)/K %.2f: TTP MTD %g, adaptive %g days (gain %.0f%%)\n", dens[i], mtd,
                      at, 100.0 * gain);
        assert_true(at >= mtd);
        assert_true(gain > prev_gain);
        prev_gain = gain;
    }
}

/* ---- objectives and constraints on kernel runs ---- */

static void test_objectives_of_a_run(void **state)
{
    (void)state;
    const double emax[] = {0.071, 0.023};
    rg_problem *p = exponential_model(0.031, 2, emax, 60.0, 3.0);
    p->drugs[0].toxicity_weight = 1.7;
    p->drugs[1].toxicity_weight = 0.4;
    const int both[] = {0, 1};
    rg_regimen *reg = add_regimen(p, "metro", RG_POLICY_METRONOMIC, 2, both);
    reg->level = 0.37;
    p->optimize.n_objectives = 4;
    p->optimize.objectives[0] = RG_OBJ_TTP;
    p->optimize.objectives[1] = RG_OBJ_FINAL_BURDEN;
    p->optimize.objectives[2] = RG_OBJ_DOSE_INTENSITY;
    p->optimize.objectives[3] = RG_OBJ_RESISTANT_BURDEN;
    /* limits: drug0 at most 20 MTD-days (it gets 0.37 * 60 = 22.2), daily toxicity at most
     * 0.7 (it is 0.37 * 2.1 = 0.777) */
    p->drugs[0].max_cumulative_dose = 20.0;
    p->max_daily_toxicity = 0.7;
    run_out o;
    run_regimen(p, 0, &o);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &o.s, &res), RG_OK);
    double bh = B0 * exp((0.031 - 0.094 * 0.37) * 60.0);
    assert_close(res.value[0], 60.0, 0, 0); /* no progression: censored at the horizon */
    assert_close(res.fitness[0], -60.0, 0, 0);
    assert_close(res.value[1], log10(1.0 + bh), 1e-6, 0);
    assert_close(res.value[2], 1.7 * 0.37 + 0.4 * 0.37, 1e-12, 0);
    assert_close(res.value[3], 0.0, 0, 0);
    assert_true(res.flags & RG_RES_CENSORED);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.cumulative_dose[0], 0.37 * 60.0 - 20.0, 1e-12, 0);
    assert_close(v.daily_toxicity, 0.37 * 2.1 - 0.7, 1e-12, 0);
    assert_close(res.violation, (22.2 - 20.0) / 20.0 + (0.777 - 0.7) / 0.7, 1e-12, 0);
    run_free(&o);
    rg_problem_free(p);
}

/* A Friberg model with a myelotoxic drug breaking anc_min: the violation is anc_min minus
 * the nadir the kernel reports, normalised by anc_min. */
static void test_anc_violation(void **state)
{
    (void)state;
    const double emax[] = {0.05};
    rg_problem *p = exponential_model(0.02, 1, emax, 42.0, 7.0);
    p->neutrophils = true;
    p->mtt_days = 3.7;
    p->circ0 = 5.05;
    p->gamma = 0.161;
    p->drugs[0].myelotoxicity_slope = 0.6;
    p->anc_min = 4.0;
    const int d0[] = {0};
    add_regimen(p, "MTD", RG_POLICY_MTD, 1, d0);
    run_out o;
    run_regimen(p, 0, &o);
    double nadir = o.s.neutrophil_nadir;
    assert_true(nadir < 4.0 && nadir > 0.0);
    /* the nadir is the minimum over visits of the trajectory's ANC */
    double mn = INFINITY;
    for (size_t v = 0; v < o.traj.n_visits; v++)
        mn = fmin(mn, o.traj.anc[v]);
    assert_close(nadir, mn, 0, 0);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.anc, 4.0 - nadir, 1e-15, 0);
    assert_close(v.total, (4.0 - nadir) / 4.0, 1e-15, 0);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &o.s, &res), RG_OK);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    assert_non_null(strstr(res.reason, "anc_min"));
    run_free(&o);
    rg_problem_free(p);
}

/* An evolved open-loop schedule breaking max_cumulative_dose (both drugs) and anc_min, then
 * max_daily_toxicity too: the violation is the sum of the normalised excesses, computed by
 * hand from the levels. */
static void test_schedule_violations(void **state)
{
    (void)state;
    const double emax[] = {0.05, 0.02};
    rg_problem *p = exponential_model(0.02, 2, emax, 28.0, 7.0);
    p->drugs[0].toxicity_weight = 1.3;
    p->drugs[1].toxicity_weight = 0.6;
    p->drugs[0].max_cumulative_dose = 10.0;
    p->drugs[1].max_cumulative_dose = 12.0;
    p->max_daily_toxicity = 1.6;
    p->neutrophils = true;
    p->mtt_days = 3.7;
    p->circ0 = 5.05;
    p->gamma = 0.161;
    p->drugs[0].myelotoxicity_slope = 0.5;
    p->anc_min = 4.5;
    const int drugs[] = {0, 1};
    /* drug0: 1, 0.5, 0.75, 0 -> 15.75 MTD-days (limit 10: excess 5.75)
     * drug1: 0.25, 1, 0.5, 0 -> 12.25 MTD-days (limit 12: excess 0.25)
     * daily toxicity 1.3 u0 + 0.6 u1: 1.45, 1.25, 1.275, 0 -> worst 1.45, within 1.6 */
    const double levels[] = {1.0, 0.5, 0.75, 0.0, 0.25, 1.0, 0.5, 0.0};
    rg_policy pol;
    assert_int_equal(rg_policy_init_schedule(&pol, p, 2, drugs, levels), RG_OK);
    run_out o;
    run_policy(p, &pol, &o);
    assert_close(o.s.cumulative_dose[0], 15.75, 1e-12, 0);
    assert_close(o.s.cumulative_dose[1], 12.25, 1e-12, 0);
    assert_close(o.s.max_daily_toxicity, 1.45, 1e-12, 0);
    double nadir = o.s.neutrophil_nadir;
    assert_true(nadir < 4.5);
    rg_violation v;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.cumulative_dose[0], 5.75, 1e-12, 0);
    assert_close(v.cumulative_dose[1], 0.25, 1e-12, 0);
    assert_close(v.daily_toxicity, 0.0, 0, 0);
    assert_close(v.anc, 4.5 - nadir, 1e-15, 0);
    double total = 5.75 / 10.0 + 0.25 / 12.0 + (4.5 - nadir) / 4.5;
    assert_close(v.total, total, 1e-12, 0);
    /* tighten the toxicity limit below the worst interval: its excess joins the sum */
    p->max_daily_toxicity = 1.2;
    assert_int_equal(rg_constraints_eval(p, &o.s, &v), RG_OK);
    assert_close(v.daily_toxicity, 0.25, 1e-12, 0);
    assert_close(v.total, total + 0.25 / 1.2, 1e-12, 0);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &o.s, &res), RG_OK);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    assert_close(res.violation, total + 0.25 / 1.2, 1e-12, 0);
    assert_non_null(strstr(res.reason, "max_cumulative_dose drug0 15.75 > 10"));
    run_free(&o);
    rg_problem_free(p);
}

/* A step budget of 1 ends the run flagged: the result is infeasible, never NaN. */
static void test_budget_result(void **state)
{
    (void)state;
    const double emax[] = {0.05};
    rg_problem *p = exponential_model(0.02, 1, emax, 42.0, 7.0);
    p->step_budget = 1;
    const int d0[] = {0};
    add_regimen(p, "MTD", RG_POLICY_MTD, 1, d0);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[0]), RG_OK);
    rg_sim_summary s;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
    assert_int_equal(s.status, RG_EBUDGET);
    rg_eval_result res;
    assert_int_equal(rg_objectives_compute(p, &s, &res), RG_OK);
    assert_true(res.flags & RG_RES_BUDGET);
    assert_true(res.flags & RG_RES_INFEASIBLE);
    for (size_t j = 0; j < p->optimize.n_objectives; j++)
        assert_false(isnan(res.fitness[j]));
    rg_sim_free(w);
    rg_problem_free(p);
}
int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_adaptive_beats_mtd_when_resistance_is_rare),
        cmocka_unit_test(test_no_gain_when_resistance_is_common),
        cmocka_unit_test(test_gain_grows_with_initial_density),
        cmocka_unit_test(test_objectives_of_a_run),
        cmocka_unit_test(test_anc_violation),
        cmocka_unit_test(test_schedule_violations),
        cmocka_unit_test(test_budget_result),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
