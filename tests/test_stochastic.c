/* The stochastic mode (docs/model.md section 12) against closed forms: the survival of one
 * cell's lineage and the mean of a birth-death population (Kendall 1948), Goldie and
 * Coldman's probability of a resistant lineage (docs/model.md section 6), the Wilson
 * interval, the same replicates for the same seed, and the refusal of normalised units. */
#include "stoch_test_util.h"

#include <math.h>

static void run_all(const rg_problem *p, size_t n, uint64_t seed, rg_stoch_result *res)
{
    rg_stoch_workspace *w = rg_stoch_alloc(p, NULL);
    assert_non_null(w);
    rg_dosing dose = zero_dosing();
    for (size_t r = 0; r < n; r++)
        assert_int_equal(rg_stoch_run(w, p, &dose, seed, r, &res[r]), RG_OK);
    rg_stoch_free(w);
}

/* One cell with constant birth b and death d: its lineage is alive at T with probability
 * (b - d) / (b - d e^{-(b-d) T}) (Kendall 1948). */
static void test_single_cell_survival(void **state)
{
    (void)state;
    const double b = 0.2385, d = 0.1275, T = 20.0;
    rg_problem *p = bd_problem(1.0, b, d, T);
    size_t n = RG_STOCH_REPLICATES;
    rg_stoch_result *res = calloc(n, sizeof *res);
    assert_non_null(res);
    run_all(p, n, 17, res);
    size_t alive = 0;
    for (size_t r = 0; r < n; r++) {
        assert_int_equal(res[r].status, RG_OK);
        assert_false(res[r].progressed);
        assert_close(res[r].t_end, T, 0.0, 0.0);
        alive += !res[r].cured;
        assert_true(res[r].cured == (res[r].final_burden == 0.0));
        assert_false(res[r].de_novo_alive); /* no switching: nothing de novo */
    }
    double P = (b - d) / (b - d * exp(-(b - d) * T));
    assert_in_interval("P(alive at T)", alive, n, P);
    free(res);
    rg_problem_free(p);
}

/* A birth-death population of n0 cells has mean n0 e^{(b-d)T} and variance
 * n0 (b+d)/(b-d) e^{(b-d)T} (e^{(b-d)T} - 1); the sample mean is within 3.3 standard errors
 * of the mean (99.9%), and the sample variance within 25% of its closed form. */
static void test_population_mean(void **state)
{
    (void)state;
    const double b = 0.3125, d = 0.1815, T = 12.0, n0 = 37.0;
    rg_problem *p = bd_problem(n0, b, d, T);
    size_t n = RG_STOCH_REPLICATES;
    rg_stoch_result *res = calloc(n, sizeof *res);
    assert_non_null(res);
    run_all(p, n, 2385, res);
    double s = 0.0, s2 = 0.0;
    for (size_t r = 0; r < n; r++) {
        double x = res[r].final_burden;
        assert_true(x == floor(x)); /* a count: below the threshold throughout */
        s += x;
        s2 += x * x;
    }
    double E = exp((b - d) * T);
    double mean = n0 * E, var = n0 * (b + d) / (b - d) * E * (E - 1.0);
    double m = s / (double)n, v = (s2 - s * m) / (double)(n - 1);
    print_message("mean %.3f (closed form %.3f, se %.3f); variance %.1f (closed form %.1f)\n",
                  m, mean, sqrt(var / (double)n), v, var);
    assert_true(fabs(m - mean) <= 3.3 * sqrt(var / (double)n));
    assert_close(v, var, 0.25, 0.0);
    free(res);
    rg_problem_free(p);
}

/* Goldie & Coldman (1979) with a deterministic sensitive clone: N0 = 1e4 cells doubling
 * daily for 20 days divide N - N0 times; with mu per division to a resistant clone that
 * neither dies nor is killed (every lineage survives), a de novo resistant lineage exists at
 * T with probability 1 - exp(-mu (N - N0)). */
static void test_goldie_coldman(void **state)
{
    (void)state;
    rg_problem *p = bd_problem(1e4, log(2.0), 0.0, 20.0);
    p->carrying_capacity = 1e30;
    p->n_clones = 2;
    strcpy(p->clones[1].name, "resistant");
    p->clones[1].cells = 0.0;
    p->clones[1].growth_rate = 0.5;
    p->clones[1].resistant = true;
    p->n_mutations = 1;
    const double mu = 1.0e-10;
    p->mutations[0] = (rg_mutation){.from = 0, .to = 1, .rate = mu};
    size_t n = RG_STOCH_REPLICATES;
    rg_stoch_result *res = calloc(n, sizeof *res);
    assert_non_null(res);
    run_all(p, n, 99, res);
    size_t alive = 0;
    for (size_t r = 0; r < n; r++) {
        alive += res[r].de_novo_alive;
        /* every resistant cell is de novo here */
        assert_close(res[r].de_novo[1], res[r].clones[1], 0.0, 0.0);
    }
    double N = 1e4 * pow(2.0, 20.0);
    assert_in_interval("Goldie-Coldman", alive, n, -expm1(-mu * (N - 1e4)));
    free(res);
    rg_problem_free(p);
}

/* Replicate r of seed s is the same whatever ran before it; another seed differs. */
static void test_same_seed_same_replicates(void **state)
{
    (void)state;
    rg_problem *p = bd_problem(3.0, 0.35, 0.2, 16.0);
    rg_stoch_workspace *w = rg_stoch_alloc(p, NULL);
    assert_non_null(w);
    rg_dosing dose = zero_dosing();
    rg_stoch_result a[8], b[8], c[8];
    for (size_t r = 0; r < 8; r++)
        assert_int_equal(rg_stoch_run(w, p, &dose, 42, r, &a[r]), RG_OK);
    for (size_t r = 8; r-- > 0;) /* backwards */
        assert_int_equal(rg_stoch_run(w, p, &dose, 42, r, &b[r]), RG_OK);
    size_t differ = 0;
    for (size_t r = 0; r < 8; r++) {
        assert_int_equal(rg_stoch_run(w, p, &dose, 43, r, &c[r]), RG_OK);
        assert_true(a[r].final_burden == b[r].final_burden);
        assert_true(a[r].cured == b[r].cured);
        differ += a[r].final_burden != c[r].final_burden;
    }
    assert_true(differ > 0);
    rg_stoch_free(w);
    rg_problem_free(p);
}

/* extinction_cells = 0 (normalised units) and bad settings are refused. */
static void test_refusals(void **state)
{
    (void)state;
    rg_problem *p = bd_problem(3.0, 0.35, 0.2, 16.0);
    rg_dosing dose = zero_dosing();
    rg_stoch_result res;
    p->extinction_cells = 0.0;
    rg_stoch_workspace *w = rg_stoch_alloc(p, NULL);
    assert_non_null(w);
    assert_int_equal(rg_stoch_run(w, p, &dose, 1, 0, &res), RG_EINVAL);
    rg_stoch_free(w);
    p->extinction_cells = 1.0;
    rg_stoch_settings s = {.threshold = 0.0, .max_step = 0.05};
    w = rg_stoch_alloc(p, &s);
    assert_non_null(w);
    assert_int_equal(rg_stoch_run(w, p, &dose, 1, 0, &res), RG_EINVAL);
    assert_int_equal(rg_stoch_run(w, p, NULL, 1, 0, &res), RG_EINVAL);
    rg_stoch_free(w);
    s.threshold = 2.0 * RG_STOCH_THRESHOLD_MAX;
    w = rg_stoch_alloc(p, &s);
    assert_non_null(w);
    assert_int_equal(rg_stoch_run(w, p, &dose, 1, 0, &res), RG_EINVAL);
    rg_stoch_free(w);
    rg_stoch_free(NULL);
    rg_problem_free(p);
}

/* The Wilson interval against values computed by hand: 0.3 (30 of 100) at 95% is
 * [0.218949, 0.395849]; the ends of the range are closed. */
static void test_wilson(void **state)
{
    (void)state;
    double lo, hi;
    rg_stoch_wilson(30, 100, 1.959964, &lo, &hi);
    assert_close(lo, 0.218949, 0.0, 2e-6);
    assert_close(hi, 0.395849, 0.0, 2e-6);
    rg_stoch_wilson(0, 50, RG_Z99, &lo, &hi);
    assert_true(lo == 0.0 && hi > 0.0 && hi < 0.15);
    rg_stoch_wilson(50, 50, RG_Z99, &lo, &hi);
    assert_true(hi == 1.0 && lo > 0.85);
    rg_stoch_wilson(0, 0, RG_Z99, &lo, &hi);
    assert_true(lo == 0.0 && hi == 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_cell_survival),
        cmocka_unit_test(test_population_mean),
        cmocka_unit_test(test_goldie_coldman),
        cmocka_unit_test(test_same_seed_same_replicates),
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_wilson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
