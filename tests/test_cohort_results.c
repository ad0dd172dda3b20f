/* Every patient's record in the results of a cohort run (docs/results-format.md, `/cohort`;
 * export --what cohort): each front member's record for a patient equals that member run as
 * a `fixed` regimen (rg_results_add_member_regimen) on that patient's own problem, through
 * rg_sim_run and rg_objectives_compute (the evaluator takes the batch path instead); the
 * records survive the file, and the export has one row per run and patient. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem_load.h"
#include "regimen/results.h"
#include "regimen/sim.h"

#define PROBLEM RG_SOURCE_DIR "/problems/default_cohort.cfg"

static void test_patients_match_single_runs(void **state)
{
    (void)state;
    char res[1200];
    path_in(res, sizeof res, "coh.h5");
    assert_int_equal(run_sh("'%s' optimize '%s' --generations 2 --population 8 --quiet --out "
                            "'%s'",
                            RG_REGIMEN_EXE, PROBLEM, res),
                     0);
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(res, &r, &diag), RG_OK);
    rg_problem *p = NULL;
    assert_int_equal(rg_problem_load(PROBLEM, &p, &diag), RG_OK);
    size_t P = p->cohort->n_patients, M = r->n_obj;
    assert_int_equal(r->n_patients, P);
    assert_true(r->front_size >= 2);
    double worst = 0.0;
    for (size_t i = 0; i < 2; i++)
        for (size_t j = 0; j < P; j++) {
            rg_problem *pj = p->cohort->patients[j];
            assert_string_equal(r->patient_names[j], p->cohort->names[j]);
            int ri = -1;
            assert_int_equal(rg_results_add_member_regimen(r, res, i, "m", pj, &ri, &diag),
                             RG_OK);
            rg_policy pol;
            assert_int_equal(rg_policy_init_regimen(&pol, pj, &pj->regimens[ri]), RG_OK);
            rg_dosing dose = rg_policy_dosing(&pol);
            rg_sim_workspace *w = rg_sim_alloc(pj);
            rg_sim_summary s;
            assert_int_equal(rg_sim_run(w, pj, &dose, NULL, &s, NULL), RG_OK);
            rg_eval_result e;
            assert_int_equal(rg_objectives_compute(pj, &s, &e), RG_OK);
            for (size_t m = 0; m < M; m++) {
                double want = r->patient_front_objectives[(i * P + j) * M + m];
                double rel = fabs(e.value[m] - want) / fmax(fabs(want), 1e-300);
                worst = fmax(worst, rel);
                if (rel > 1e-12)
                    print_error("member %zu patient %zu %s: %.17g single, %.17g stored\n", i, j,
                                r->objective_names[m], e.value[m], want);
                assert_true(rel <= 1e-12);
            }
            assert_int_equal(e.flags, r->patient_front_flags[i * P + j]);
            rg_sim_free(w);
            pj->n_regimens--; /* the slot is reused; its doses freed here */
            for (size_t d = 0; d < pj->regimens[ri].n_drugs; d++) {
                free(pj->regimens[ri].doses[d]);
                pj->regimens[ri].doses[d] = NULL;
            }
        }
    print_message("2 members x %zu patients: worst relative difference %.3g\n", P, worst);
    /* the export: one row per (run, patient), the header of the outcome tables */
    char csv[1200];
    path_in(csv, sizeof csv, "cohort.csv");
    assert_int_equal(run_sh("'%s' export '%s' --what cohort -o '%s'", RG_REGIMEN_EXE, res, csv),
                     0);
    assert_int_equal(run_sh("head -1 '%s' | grep -qx 'source,patient,ttp,ttp_censored,"
                            "resistant_fraction,dose_intensity,violation,feasible,flags'",
                            csv),
                     0);
    assert_int_equal(run_sh("test $(($(wc -l < '%s') - 1)) -eq %zu", csv,
                            (r->front_size + r->n_regimens) * P),
                     0);
    assert_int_equal(run_sh("grep -q '^member:1,%s,' '%s' && grep -q '^regimen:%s,%s,' '%s'",
                            r->patient_names[P - 1], csv, r->regimen_names[0],
                            r->patient_names[0], csv),
                     0);
    /* a problem without a cohort has no such table */
    char plain[1200];
    path_in(plain, sizeof plain, "plain.h5");
    assert_int_equal(run_sh("'%s' optimize '%s/problems/example.cfg' --generations 1 "
                            "--population 8 --quiet --out '%s' && ! '%s' export '%s' --what "
                            "cohort 2>/dev/null",
                            RG_REGIMEN_EXE, RG_SOURCE_DIR, plain, RG_REGIMEN_EXE, plain),
                     0);
    rg_problem_free(p);
    rg_results_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_patients_match_single_runs),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
