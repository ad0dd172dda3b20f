/* The stochastic mode's event logic against the kernel (docs/model.md sections 2, 8 and 12):
 * with switching off and a threshold so low that every population is deterministic, a
 * replicate is the model's ODE solved by RK4 on a fixed 0.05-day step, so on every regimen of
 * every shipped problem in cell counts (bolus cycles, restarts of adaptive regimens, feedback
 * on the visits, extinction, progression against the initial burden or the nadir) it must
 * end where the kernel ends, with the same final burden to the accuracy of that step. */
#include "stoch_test_util.h"

#include <dirent.h>

#include "regimen/policy.h"
#include "regimen/problem_load.h"

/* The relative tolerance on the burden at t_end of RK4 on the step of rg_stoch_step against
 * DOP853 at 1e-10. The largest difference measured on these problems is 1.1e-5, on
 * ovarian_cisplatin.cfg (cisplatin: a 0.05-day half-life, which sets the step, and a kill of
 * up to 20 a day); it falls as the fourth power of the step there. A wrong dose, restart or
 * extinction moves the burden by far more. */
#define BURDEN_RTOL 1e-4

static void check_problem(const char *path, size_t *n_runs)
{
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_problem_load(path, &p, &diag), RG_OK);
    if (!(p->extinction_cells > 0.0)) { /* normalised units: the mode refuses them */
        rg_problem_free(p);
        return;
    }
    p->n_mutations = 0;
    rg_stoch_settings set = {.threshold = 1e-300, .max_step = RG_STOCH_MAX_STEP};
    rg_sim_workspace *sw = rg_sim_alloc(p);
    rg_stoch_workspace *w = rg_stoch_alloc(p, &set);
    assert_non_null(sw);
    assert_non_null(w);
    for (size_t ri = 0; ri < p->n_regimens; ri++) {
        rg_policy pol;
        if (rg_policy_init_regimen(&pol, p, &p->regimens[ri]) != RG_OK)
            continue; /* a regimen this build does not run */
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary s;
        rg_stoch_result res;
        assert_int_equal(rg_sim_run(sw, p, &dose, NULL, &s, NULL), RG_OK);
        assert_int_equal(s.status, RG_OK);
        assert_int_equal(rg_stoch_run(w, p, &dose, 1, 0, &res), RG_OK);
        assert_int_equal(res.status, RG_OK);
        double rel = fabs(res.final_burden - s.final_burden) / s.final_burden;
        print_message("%s %s: t_end %g / %g, burden %.9g / %.9g (rel %.1e)\n", path,
                      p->regimens[ri].name, res.t_end, s.t_end, res.final_burden,
                      s.final_burden, rel);
        assert_true(res.progressed == s.progressed);
        assert_close(res.t_end, s.t_end, 0.0, 0.0);
        assert_close(res.final_burden, s.final_burden, BURDEN_RTOL, 0.0);
        assert_false(res.de_novo_alive);
        (*n_runs)++;
    }
    rg_stoch_free(w);
    rg_sim_free(sw);
    rg_problem_free(p);
}

static void test_shipped_problems(void **state)
{
    (void)state;
    const char *dir = RG_SOURCE_DIR "/problems";
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t n_runs = 0;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        check_problem(path, &n_runs);
    }
    closedir(d);
    assert_true(n_runs >= 40); /* the shipped problems' regimens were all run */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
