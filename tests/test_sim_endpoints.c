/* The end of an evaluation and the emergence probability (docs/model.md sections 6 and 8):
 * L against the integral of the flux times the closed form of phi for constant rates (GSL's
 * adaptive quadrature at 1e-12), under strong kill too; nothing after progression counts;
 * a continuous dose stops at t_end; emergence is censored at t_end. */
#include "sim_test_util.h"

#include <math.h>

#include <gsl/gsl_integration.h>

/* S grows at r (capacity out of reach) and switches at mu per division into R, whose birth b
 * and death d are constant: flux(t) = mu r S0 e^{r (1 - mu) t}, phi(t) = (b - d) / (b - d
 * e^{-(b - d)(T - t)}) */
typedef struct {
    double r, mu, S0, b, d, T;
} cf_params;

static double cf_integrand(double t, void *vp)
{
    const cf_params *c = vp;
    double flux = c->mu * c->r * c->S0 * exp(c->r * (1.0 - c->mu) * t);
    double a = c->b - c->d;
    double phi = a / (c->b - c->d * exp(-a * (c->T - t)));
    return flux * phi;
}

static double cf_reference(const cf_params *c)
{
    gsl_integration_workspace *ws = gsl_integration_workspace_alloc(1000);
    gsl_function F = {cf_integrand, (void *)c};
    double L, err;
    assert_int_equal(
        gsl_integration_qag(&F, 0.0, c->T, 0.0, 1e-12, 1000, GSL_INTEG_GAUSS61, ws, &L, &err),
        0);
    gsl_integration_workspace_free(ws);
    return L;
}

static rg_problem *cf_problem(const cf_params *c)
{
    rg_problem *p = base_problem(c->T, 7.0);
    p->emergence_cells = 1e30;
    p->n_clones = 2;
    p->clones[0].cells = c->S0;
    p->clones[0].growth_rate = c->r;
    strcpy(p->clones[1].name, "resistant");
    p->clones[1].cells = 0.0;
    p->clones[1].growth_rate = c->b;
    p->clones[1].death_rate = c->d;
    p->clones[1].resistant = true;
    p->n_mutations = 1;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 1, .rate = c->mu};
    return p;
}

static void check_closed_form(const cf_params *c, const char *what)
{
    rg_problem *p = cf_problem(c);
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, NULL, &s, &tr);
    double L = cf_reference(c);
    print_message("%s: L = %.12g, kernel %.12g (rel %.2g)\n", what, L, s.hazard,
                  fabs(s.hazard / L - 1.0));
    assert_int_equal(s.status, RG_OK);
    assert_close(s.hazard, L, 1e-6, 1e-300);
    assert_close(s.resistance_probability, -expm1(-L), 1e-6, 1e-300);
    rg_trajectory_free(&tr);
    rg_problem_free(p);
}

static void test_phi_closed_form(void **state)
{
    (void)state;
    /* growing, shrinking and strongly dying resistant lineages */
    cf_params grow = {.r = 0.1, .mu = 1e-4, .S0 = 1e6, .b = 0.05, .d = 0.03, .T = 28.0};
    check_closed_form(&grow, "b > d");
    cf_params shrink = grow;
    shrink.d = 0.08;
    check_closed_form(&shrink, "b < d");
    cf_params strong = grow;
    strong.d = 6.0;
    strong.T = 84.0; /* phi ~ e^{-6 (T - t)} far from t_end: no overflow, no NaN */
    check_closed_form(&strong, "strong death");
}

/* A clone growing at 0.02 per day progresses (factor 1.2) on day 10; a schedule that doses
 * only from day 14 on scores exactly as one that never doses. */
static void test_nothing_after_progression(void **state)
{
    (void)state;
    rg_problem *p = base_problem(56.0, 7.0);
    p->clones[0].growth_rate = 0.02;
    p->progression_factor = 1.2;
    int d = add_drug(p, "drug", 1.0);
    p->drugs[d].administration = RG_ADMIN_BOLUS;
    p->drugs[d].dosing_interval_days = 7.0;
    p->drugs[d].emax = 0.5;
    double *none = const_levels(p, 0.0), *late = const_levels(p, 1.0);
    late[0] = late[1] = 0.0;
    rg_sim_summary a, b;
    rg_trajectory ta, tb;
    run_levels(p, none, &a, &ta);
    run_levels(p, late, &b, &tb);
    assert_true(a.progressed);
    assert_close(a.ttp, 10.0, 0, 0);
    assert_close(a.t_end, 10.0, 0, 0);
    assert_memory_equal(&a, &b, offsetof(rg_sim_summary, steps));
    assert_close(b.cumulative_dose[d], 0.0, 0, 0);
    assert_close(b.dose_intensity[d], 0.0, 0, 0);
    assert_close(b.max_daily_toxicity, 0.0, 0, 0);
    /* the trajectory goes on untreated to the horizon, the same for both */
    assert_int_equal(ta.n_on_protocol, 11);
    assert_close(ta.t_end, 10.0, 0, 0);
    assert_memory_equal(ta.burden, tb.burden, ta.n_visits * sizeof *ta.burden);
    assert_memory_equal(ta.levels, tb.levels, ta.n_intervals * sizeof *ta.levels);
    assert_close(ta.burden[56], 1234.5 * exp(0.02 * 56.0), 1e-8, 0);
    rg_trajectory_free(&ta);
    rg_trajectory_free(&tb);
    free(none);
    free(late);
    rg_problem_free(p);
}

/* A continuous drug that does not stop the growth: its dose counts up to t_end (day 10),
 * not to the end of the interval (day 14); intensity is over [0, t_end); emergence not
 * reached is censored at t_end. */
static void test_dose_stops_at_t_end(void **state)
{
    (void)state;
    rg_problem *p = base_problem(56.0, 7.0);
    p->clones[0].growth_rate = 0.03;
    p->progression_factor = 1.2;
    p->emergence_cells = 1e30;
    int d = add_drug(p, "drug", 0.0);
    p->drugs[d].emax = 0.01;
    p->drugs[d].ec50 = 1.0;
    double *on = const_levels(p, 1.0);
    rg_sim_summary s;
    rg_trajectory tr;
    run_levels(p, on, &s, &tr);
    /* net growth 0.03 - 0.005: B = 1.2 B0 at ln(1.2) / 0.025 = 7.3 days: the visit of day 8 */
    assert_true(s.progressed);
    assert_close(s.ttp, 8.0, 0, 0);
    assert_close(s.cumulative_dose[d], 8.0, 1e-12, 0);
    assert_close(s.dose_intensity[d], 1.0, 1e-12, 0);
    assert_false(s.emerged);
    assert_close(s.time_to_emergence, 8.0, 0, 0);
    assert_close(s.final_burden, tr.burden[8], 0, 0);
    assert_close(s.resistant_fraction, 0.0, 0, 0);
    /* levels after t_end: 0 from the next decision time (day 14) */
    assert_close(tr.levels[1], 1.0, 0, 0);
    for (size_t k = 2; k < tr.n_intervals; k++)
        assert_close(tr.levels[k], 0.0, 0, 0);
    rg_trajectory_free(&tr);
    free(on);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_phi_closed_form),
        cmocka_unit_test(test_nothing_after_progression),
        cmocka_unit_test(test_dose_stops_at_t_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
