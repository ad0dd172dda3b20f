/* rg_results_fill_model on the example problem: standard regimens and trajectories re-run
 * by the kernel, checked against identities that hold whatever the model: B = sum of the
 * clones, R = sum of the resistant clones, t_v = v * visit_days, and the MTD regimen
 * expressed as a schedule genome gives the same curves as the built-in MTD policy. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg_test.h"

#include "regimen/encoding.h"
#include "regimen/objectives.h"
#include "regimen/problem_load.h"
#include "regimen/recorder.h"
#include "regimen/results.h"

static void test_fill_example(void **state)
{
    (void)state;
    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    int rc = rg_problem_load(RG_SOURCE_DIR "/problems/example.cfg", &p, &diag);
    if (rc)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    rg_encoding *enc = rg_encoding_alloc(p, &diag);
    assert_non_null(enc);
    rg_results *r = rg_results_alloc();
    assert_int_equal(rg_results_set_problem(r, p), RG_OK);
    r->genome_length = enc->length;
    assert_int_equal(rg_results_set_genes(r, p, enc), RG_OK);
    int mtd = rg_problem_regimen_index(p, "MTD");
    assert_true(mtd >= 0);
    /* front: the MTD regimen as a schedule, and an all-zero (untreated) schedule */
    assert_int_equal(rg_results_alloc_front(r, 2), RG_OK);
    assert_int_equal(rg_encoding_from_regimen(enc, p, &p->regimens[mtd], r->front_genomes),
                     RG_OK);
    rc = rg_results_fill_model(r, p, enc, &diag);
    if (rc)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    size_t V = r->n_visits, C = r->n_clones, D = r->n_drugs_all;
    assert_int_equal(V, rg_problem_n_visits(p));
    assert_int_equal(r->n_regimens, p->n_regimens);
    assert_int_equal(r->traj_front.n, 2);
    /* the front's doses are the delivered ones: the MTD member gives doxorubicin (a bolus
     * every 21 days on a 7-day grid) 1 on every third interval before its progression
     * (docs/model.md section 8) and 0 elsewhere, tariquidar nothing; the untreated member
     * nothing */
    size_t K = r->n_intervals;
    assert_int_equal(K, rg_problem_n_intervals(p));
    assert_string_equal(r->drug_names[0], "doxorubicin");
    size_t m_ttp = r->n_obj;
    for (size_t m = 0; m < r->n_obj; m++)
        if (p->optimize.objectives[m] == RG_OBJ_TTP)
            m_ttp = m;
    assert_true(m_ttp < r->n_obj);
    const double ttp =
        r->regimen_objectives[(size_t)mtd * r->n_obj + m_ttp]; /* = the member's */
    /* the trajectories record where the evaluation ended */
    assert_close(r->traj_regimens.t_end[mtd], ttp, 0, 0);
    assert_close(r->traj_front.t_end[0], ttp, 0, 0);
    /* a bolus given before progression, and slots after it with none */
    assert_true(ttp > 0.0 && ttp < (double)(K - 3) * p->decision_days);
    for (size_t k = 0; k < K; k++) {
        bool on = (double)k * p->decision_days < ttp;
        assert_close(r->front_doses[k], on && k % 3 == 0 ? 1.0 : 0.0, 0, 0);
        assert_close(r->front_doses[K + k], 0.0, 0, 0);
        assert_close(r->front_doses[2 * K + k] + r->front_doses[3 * K + k], 0.0, 0, 0);
    }
    assert_int_equal(r->traj_regimens.n, p->n_regimens);
    for (size_t v = 0; v < V; v++)
        assert_close(r->traj_t[v], (double)v * p->visit_days, 1e-12, 1e-12);
    const rg_traj_set *sets[2] = {&r->traj_front, &r->traj_regimens};
    for (size_t s = 0; s < 2; s++)
        for (size_t i = 0; i < sets[s]->n; i++)
            for (size_t v = 0; v < V; v += 7) {
                double b = 0.0, res = 0.0;
                for (size_t c = 0; c < C; c++) {
                    double x = sets[s]->clones[(i * C + c) * V + v];
                    assert_true(x >= 0.0);
                    b += x;
                    if (p->clones[c].resistant)
                        res += x;
                }
                assert_close(sets[s]->burden[i * V + v], b, 1e-12, 0);
                assert_close(sets[s]->resistant[i * V + v], res, 1e-12, 0);
            }
    /* the schedule-encoded MTD and the MTD policy give the same run */
    for (size_t v = 0; v < V; v++) {
        assert_close(r->traj_front.burden[v], r->traj_regimens.burden[(size_t)mtd * V + v],
                     1e-9, 0);
        for (size_t d = 0; d < D; d++)
            assert_close(r->traj_front.conc[d * V + v],
                         r->traj_regimens.conc[((size_t)mtd * D + d) * V + v], 1e-9, 1e-12);
    }
    /* untreated grows beyond MTD at the horizon; every regimen has finite objectives */
    assert_true(r->traj_front.burden[V + V - 1] > r->traj_front.burden[V - 1]);
    for (size_t i = 0; i < r->n_regimens * r->n_obj; i++)
        assert_true(isfinite(r->regimen_objectives[i]));
    assert_string_equal(r->regimen_names[mtd], "MTD");
    /* the record writes and reads back (front objectives filled by hand here) */
    for (size_t i = 0; i < 2 * r->n_obj; i++)
        r->front_objectives[i] = 1.0 + (double)i;
    char path[1024];
    mkdir(RG_TEST_TMPDIR, 0755);
    snprintf(path, sizeof path, "%s/example.h5", RG_TEST_TMPDIR);
    unlink(path);
    assert_int_equal(rg_results_write(r, path, 0, &diag), RG_OK);
    rg_results *back = NULL;
    assert_int_equal(rg_results_read(path, &back, &diag), RG_OK);
    assert_memory_equal(back->traj_regimens.clones, r->traj_regimens.clones,
                        r->n_regimens * C * V * sizeof(double));
    rg_results_free(back);
    rg_results_free(r);
    rg_encoding_free(enc);
    rg_problem_free(p);
}

static void test_fill_benchmark(void **state)
{
    (void)state;
    rg_diag diag;
    rg_diag_init(&diag);
    rg_problem *p = NULL;
    assert_int_equal(rg_problem_load(RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg", &p, &diag),
                     RG_OK);
    rg_encoding *enc = rg_encoding_alloc(p, &diag);
    assert_non_null(enc);
    rg_results *r = rg_results_alloc();
    assert_int_equal(rg_results_set_problem(r, p), RG_OK);
    assert_int_equal(rg_results_fill_model(r, p, enc, &diag), RG_OK);
    assert_int_equal(r->n_visits, 0);
    assert_int_equal(r->n_regimens, 0);
    rg_results_free(r);
    rg_encoding_free(enc);
    rg_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fill_example),
        cmocka_unit_test(test_fill_benchmark),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
