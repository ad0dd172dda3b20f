/* A front member as a regimen (regimen show, simulate --from; rg_results_add_member_regimen):
 * run as a `fixed` regimen of the doses it delivered, every member of a short optimisation
 * of the default problem reproduces the objectives the run recorded for it (the genome's
 * decoding and the regimen's calendar are two paths to the same dosing); the block that
 * `show --as-regimen` prints, pasted into the problem file, simulates exactly as
 * `simulate --from`; every trajectory table has one layout; and the misuses exit 2 naming
 * the file. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/objectives.h"
#include "regimen/policy.h"
#include "regimen/problem_load.h"
#include "regimen/results.h"
#include "regimen/sim.h"

static char res[1100];

/* A short optimisation of the default problem, made once for every test. */
static int setup(void **state)
{
    tmp_dir_setup(state);
    path_in(res, sizeof res, "run.h5");
    return run_sh("cd '%s' && '%s' optimize '%s/problems/default.cfg' --generations 5 "
                  "--population 16 --quiet --out '%s'",
                  tmp_dir, RG_REGIMEN_EXE, RG_SOURCE_DIR, res);
}

static void test_members_reproduce_their_objectives(void **state)
{
    (void)state;
    rg_diag diag;
    rg_diag_init(&diag);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(res, &r, &diag), RG_OK);
    assert_true(r->front_size >= 5);
    rg_problem *p = NULL;
    assert_int_equal(rg_problem_load_string(r->problem_text, "default.cfg", &p, &diag), RG_OK);
    rg_sim_workspace *w = rg_sim_alloc(p);
    assert_non_null(w);
    size_t M = r->n_obj, censored = 0;
    double worst = 0.0;
    for (size_t i = 0; i < r->front_size; i++) {
        char name[32];
        snprintf(name, sizeof name, "member:%zu", i);
        int ri = -1;
        assert_int_equal(rg_results_add_member_regimen(r, res, i, name, p, &ri, &diag), RG_OK);
        rg_policy pol;
        assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[ri]), RG_OK);
        rg_dosing dose = rg_policy_dosing(&pol);
        rg_sim_summary s;
        assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, NULL), RG_OK);
        rg_eval_result e;
        assert_int_equal(rg_objectives_compute(p, &s, &e), RG_OK);
        for (size_t m = 0; m < M; m++) {
            double want = r->front_objectives[i * M + m];
            double rel = fabs(e.value[m] - want) / fmax(fabs(want), 1e-300);
            worst = fmax(worst, rel);
            if (rel > 1e-12)
                print_error("member %zu, %s: %.17g as a regimen, %.17g recorded\n", i,
                            r->objective_names[m], e.value[m], want);
            assert_true(rel <= 1e-12);
        }
        assert_int_equal(e.flags & RG_RES_CENSORED, r->front_flags[i] & RG_RES_CENSORED);
        censored += (e.flags & RG_RES_CENSORED) != 0;
        p->n_regimens--; /* the next member takes the slot (its doses freed here) */
        for (size_t j = 0; j < p->regimens[ri].n_drugs; j++) {
            free(p->regimens[ri].doses[j]);
            p->regimens[ri].doses[j] = NULL;
        }
    }
    print_message("%zu members (%zu censored): worst relative difference %.3g\n", r->front_size,
                  censored, worst);
    rg_sim_free(w);
    rg_problem_free(p);
    rg_results_free(r);
}

static void test_pasted_block_simulates_as_from(void **state)
{
    (void)state;
    char blk[1100], from[1100], pasted[1100], cfg[1100];
    path_in(blk, sizeof blk, "block.txt");
    path_in(from, sizeof from, "from.txt");
    path_in(pasted, sizeof pasted, "pasted.txt");
    path_in(cfg, sizeof cfg, "pasted.cfg");
    assert_int_equal(run_sh("'%s' show '%s' --member 2 --as-regimen evolved >'%s'",
                            RG_REGIMEN_EXE, res, blk),
                     0);
    /* the problem file with the block as its first regimen */
    char *text = read_all(RG_SOURCE_DIR "/problems/default.cfg");
    char *b = read_all(blk);
    assert_non_null(text);
    assert_non_null(b);
    char *at = strstr(text, "regimens = (");
    assert_non_null(at);
    at += strlen("regimens = (");
    FILE *f = fopen(cfg, "w");
    assert_non_null(f);
    fprintf(f, "%.*s\n%s%s", (int)(at - text), text, b, at);
    fclose(f);
    free(text);
    free(b);
    assert_int_equal(run_sh("'%s' simulate '%s' --regimen evolved | tail -n +3 >'%s'",
                            RG_REGIMEN_EXE, cfg, pasted),
                     0);
    assert_int_equal(run_sh("'%s' simulate '%s/problems/default.cfg' --from '%s' --member 2 "
                            "| tail -n +3 >'%s'",
                            RG_REGIMEN_EXE, RG_SOURCE_DIR, res, from),
                     0);
    assert_int_equal(run_sh("cmp -s '%s' '%s'", pasted, from), 0);
    char *summary = read_all(from);
    assert_non_null(strstr(summary, "time to progression"));
    free(summary);
    /* show without --as-regimen: the member, its objectives and its calendar */
    char out[1100];
    path_in(out, sizeof out, "show.txt");
    assert_int_equal(run_sh("'%s' show '%s' --member 2 >'%s'", RG_REGIMEN_EXE, res, out), 0);
    char *shown = read_all(out);
    assert_non_null(strstr(shown, "member 2 of "));
    assert_non_null(strstr(shown, "resistant_fraction"));
    assert_non_null(strstr(shown, "day    0:"));
    free(shown);
}

/* One trajectory layout: the export of the run, simulate --csv, compare --trajectories and
 * simulate --from write the same header and, for the same run, the same rows byte for byte. */
static void test_one_trajectory_schema(void **state)
{
    (void)state;
    const char *R = RG_REGIMEN_EXE, *P = RG_SOURCE_DIR "/problems/default.cfg";
    assert_int_equal(
        run_sh("cd '%s' && '%s' export '%s' --what trajectories -o ex.csv --force "
               ">/dev/null && '%s' simulate '%s' --regimen MTD --csv sim.csv --force "
               ">/dev/null && '%s' compare '%s' --trajectories cmp --force >/dev/null "
               "&& '%s' simulate '%s' --from '%s' --member 2 --csv m2.csv --force "
               ">/dev/null",
               tmp_dir, R, res, R, P, R, P, R, P, res),
        0);
    assert_int_equal(
        run_sh("cd '%s' && head -1 ex.csv > h0 && head -1 sim.csv | cmp -s - h0 && "
               "head -1 cmp/MTD.csv | cmp -s - h0 && head -1 m2.csv | cmp -s - h0",
               tmp_dir),
        0);
    assert_int_equal(
        run_sh("cd '%s' && grep '^source,t,on_protocol,burden,resistant,clone_' h0 "
               "| grep -q ',conc_doxorubicin,.*,dose_doxorubicin,.*,anc$'",
               tmp_dir),
        0);
    assert_int_equal(
        run_sh("cd '%s' && grep '^regimen:MTD,' ex.csv > a && test -s a && "
               "tail -n +2 sim.csv | cmp -s - a && tail -n +2 cmp/MTD.csv | cmp -s - a",
               tmp_dir),
        0);
    assert_int_equal(run_sh("cd '%s' && grep '^member:2,' ex.csv > b && test -s b && "
                            "tail -n +2 m2.csv | cmp -s - b",
                            tmp_dir),
                     0);
}

static void test_misuse_refused(void **state)
{
    (void)state;
    char err[1100], bench[1100];
    path_in(err, sizeof err, "err.txt");
    path_in(bench, sizeof bench, "zdt1.h5");
    assert_int_equal(run_sh("'%s' show '%s' --member 100000 2>'%s'", RG_REGIMEN_EXE, res, err),
                     2);
    assert_int_equal(run_sh("grep -q 'run.h5: no member 100000' '%s'", err), 0);
    assert_int_equal(run_sh("'%s' simulate '%s/problems/default.cfg' --from '%s' 2>'%s'",
                            RG_REGIMEN_EXE, RG_SOURCE_DIR, res, err),
                     2);
    assert_int_equal(
        run_sh("'%s' simulate '%s/problems/default.cfg' --from '%s' --member 100000 "
               "2>'%s'",
               RG_REGIMEN_EXE, RG_SOURCE_DIR, res, err),
        2);
    assert_int_equal(run_sh("grep -q 'run.h5: no such member' '%s'", err), 0);
    assert_int_equal(run_sh("'%s' show '%s' --member 0 --as-regimen 'a\"b' 2>'%s'",
                            RG_REGIMEN_EXE, res, err),
                     2);
    assert_int_equal(run_sh("'%s' optimize '%s/problems/benchmarks/zdt1.cfg' --generations 2 "
                            "--population 8 --quiet --out '%s'",
                            RG_REGIMEN_EXE, RG_SOURCE_DIR, bench),
                     0);
    assert_int_equal(
        run_sh("'%s' show '%s' --member 0 --as-regimen x 2>'%s'", RG_REGIMEN_EXE, bench, err),
        2);
    assert_int_equal(run_sh("grep -q 'zdt1.h5: its members have no calendar' '%s'", err), 0);
    assert_int_equal(run_sh("'%s' show '%s' --member 0 >/dev/null", RG_REGIMEN_EXE, bench), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members_reproduce_their_objectives),
        cmocka_unit_test(test_pasted_block_simulates_as_from),
        cmocka_unit_test(test_one_trajectory_schema),
        cmocka_unit_test(test_misuse_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
