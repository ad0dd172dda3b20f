/* The deterministic emergence probability P = 1 - exp(-L) (docs/model.md section 6) against
 * the stochastic mode (section 12), its independent check: on three small problems where P is
 * away from 0 and 1 (tests/data/stoch_*.cfg: a bolus drug with a 1-day half-life, a
 * continuous on/off drug, drug-induced switching under a cycled drug with a 2-day half-life
 * and progression), the fraction of replicates with a de novo resistant lineage alive at
 * their t_end has a 99% Wilson interval that holds P. The kernel computes P from a backward
 * pass over its step records along the deterministic trajectory; the replicates sample cells
 * and lineages directly, so the two share only the model's rates. */
#include "stoch_test_util.h"

#include "regimen/policy.h"
#include "regimen/problem_load.h"

/* Replicates per problem: RG_STOCH_EMERGENCE_REPLICATES (fewer under the sanitizers,
 * tests/test_stochastic_emergence.cmake) or 2000. */
#ifndef RG_STOCH_EMERGENCE_REPLICATES
#define RG_STOCH_EMERGENCE_REPLICATES 2000
#endif

/* P of the problem's first regimen from the kernel, and k of n replicates with a de novo
 * resistant lineage alive at t_end. */
static void compare(const char *name, uint64_t seed, double lo_p, double hi_p)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/data/%s", RG_SOURCE_DIR, name);
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int st = rg_problem_load(path, &p, &diag);
    if (st != RG_OK)
        rg_diag_print(&diag, stderr);
    assert_int_equal(st, RG_OK);
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[0]), RG_OK);
    rg_dosing dose = rg_policy_dosing(&pol);

    rg_sim_workspace *sw = rg_sim_alloc(p);
    assert_non_null(sw);
    rg_sim_summary s;
    assert_int_equal(rg_sim_run(sw, p, &dose, NULL, &s, NULL), RG_OK);
    assert_int_equal(s.status, RG_OK);
    rg_sim_free(sw);
    /* the problem is informative: P is neither near 0 nor near 1 */
    assert_true(s.resistance_probability >= lo_p && s.resistance_probability <= hi_p);

    const size_t n = RG_STOCH_EMERGENCE_REPLICATES;
    rg_stoch_workspace *w = rg_stoch_alloc(p, NULL);
    assert_non_null(w);
    size_t alive = 0, same_end = 0;
    for (size_t r = 0; r < n; r++) {
        rg_stoch_result res;
        assert_int_equal(rg_stoch_run(w, p, &dose, seed, r, &res), RG_OK);
        assert_int_equal(res.status, RG_OK);
        alive += res.de_novo_alive;
        same_end += res.t_end == s.t_end;
    }
    rg_stoch_free(w);
    print_message("%s: deterministic t_end %g, replicates ending there %zu of %zu\n", name,
                  s.t_end, same_end, n);
    assert_in_interval(name, alive, n, s.resistance_probability);
    rg_problem_free(p);
}

static void test_bolus_one_day_half_life(void **state)
{
    (void)state;
    compare("stoch_bolus.cfg", 11, 0.2, 0.8);
}

static void test_continuous_on_off(void **state)
{
    (void)state;
    compare("stoch_continuous.cfg", 12, 0.2, 0.8);
}

static void test_induced_cycled_progressing(void **state)
{
    (void)state;
    compare("stoch_induced.cfg", 13, 0.2, 0.8);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bolus_one_day_half_life),
        cmocka_unit_test(test_continuous_on_off),
        cmocka_unit_test(test_induced_cycled_progressing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
