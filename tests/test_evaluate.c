/* The evaluator (benchmark path, bad genomes, rg_eval_ops from problem text) and the
 * `regimen optimize` command on a benchmark problem file. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "rg_test.h"

#include "regimen/benchmarks.h"
#include "regimen/eval_ops.h"
#include "regimen/evaluate.h"
#include "regimen/problem.h"

static const char *zdt1_text = "problem = \"zdt1\"; variables = 12; objectives = 2;\n"
                               "optimize = { encoding = \"benchmark\"; population = 20; };\n";

static void test_benchmark_evaluation(void **state)
{
    (void)state;
    const rg_eval_ops *ops = rg_eval_ops_problem();
    rg_diag d;
    rg_diag_init(&d);
    rg_evaluator *e = ops->create(zdt1_text, "zdt1-test.cfg", &d);
    assert_non_null(e);
    assert_int_equal(rg_evaluator_genome_length(e), 12);
    assert_int_equal(rg_evaluator_n_objectives(e), 2);
    double x[12], f[2];
    for (size_t i = 0; i < 12; i++)
        x[i] = 0.1 + 0.07 * (double)i;
    rg_eval_result r;
    assert_int_equal(ops->eval(e, x, 12, &r), RG_OK);
    rg_benchmark_eval(RG_BENCH_ZDT1, 12, 2, x, f);
    assert_close(r.value[0], f[0], 0, 0);
    assert_close(r.value[1], f[1], 0, 0);
    assert_close(r.fitness[1], f[1], 0, 0);
    assert_true(r.violation == 0.0 && r.flags == 0 && r.reason[0] == '\0');

    /* a genome out of bounds, non-finite, or of the wrong length: flagged, never a crash */
    x[3] = 1.5;
    assert_int_equal(rg_evaluator_eval(e, x, 12, &r), RG_OK);
    assert_true(r.flags & RG_RES_BADGENOME);
    assert_true(r.flags & RG_RES_INFEASIBLE);
    assert_true(r.violation > 0.0);
    assert_non_null(strstr(r.reason, "x4"));
    x[3] = NAN;
    assert_int_equal(rg_evaluator_eval(e, x, 12, &r), RG_OK);
    assert_true(r.flags & RG_RES_BADGENOME);
    x[3] = 0.5;
    assert_int_equal(rg_evaluator_eval(e, x, 11, &r), RG_OK);
    assert_true(r.flags & RG_RES_BADGENOME);

    /* the batch function fills results by index */
    double g[3 * 12];
    rg_eval_result out[3];
    for (size_t i = 0; i < 36; i++)
        g[i] = (double)((i * 7) % 10) / 10.0;
    assert_int_equal(rg_evaluator_eval_batch(e, 3, 12, g, out), RG_OK);
    for (size_t k = 0; k < 3; k++) {
        rg_benchmark_eval(RG_BENCH_ZDT1, 12, 2, g + 12 * k, f);
        assert_close(out[k].value[1], f[1], 0, 0);
    }
    ops->destroy(e);

    rg_diag_init(&d);
    assert_null(ops->create("problem = \"zdt9\";", "bad.cfg", &d));
    assert_true(rg_diag_total(&d) > 0);
}

static int run(const char *args)
{
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s %s", RG_REGIMEN_EXE, args);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc((size_t)n + 1, 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

static void test_cli(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    const char *pf = RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg";
    char args[4096], a[512], b[512], c[512], log[512], quiet[512];
    snprintf(a, sizeof a, "%s/a.csv", RG_TEST_TMPDIR);
    snprintf(b, sizeof b, "%s/b.csv", RG_TEST_TMPDIR);
    snprintf(c, sizeof c, "%s/c.csv", RG_TEST_TMPDIR);
    snprintf(log, sizeof log, "%s/progress.txt", RG_TEST_TMPDIR);
    snprintf(quiet, sizeof quiet, "%s/quiet.txt", RG_TEST_TMPDIR);
    snprintf(args, sizeof args,
             "optimize %s --generations 5 --population 20 --front %s --out %s.h5 --force "
             "--log-every 2 2>%s",
             pf, a, a, log);
    assert_int_equal(run(args), 0);
    snprintf(
        args, sizeof args,
        "optimize %s --generations 5 --population 20 --front %s --out %s.h5 --force --quiet "
        "2>%s",
        pf, b, b, quiet);
    assert_int_equal(run(args), 0);
    snprintf(
        args, sizeof args,
        "optimize %s --generations 5 --population 20 --seed 3 --front %s --out %s.h5 --force "
        "--quiet",
        pf, c, c);
    assert_int_equal(run(args), 0);
    char *sa = slurp(a), *sb = slurp(b), *sc = slurp(c), *sl = slurp(log), *sq = slurp(quiet);
    assert_non_null(sq);
    assert_string_equal(sq, ""); /* --quiet: nothing on stderr */
    free(sq);
    assert_non_null(sa);
    assert_non_null(sb);
    assert_non_null(sc);
    assert_non_null(sl);
    assert_true(!strncmp(sa, "member,f1,f2,violation,feasible,flags,x1,", 41));
    assert_string_equal(sa, sb); /* same seed, same front */
    assert_true(strcmp(sa, sc) != 0);
    /* progress: the reference point, then with --log-every 2 generations 0, 2, 4 and the
     * last (5), whatever the wall time */
    assert_non_null(strstr(sl, "reference point (optimize.reference_point): f1=1.1 f2=1.1"));
    assert_non_null(strstr(sl, "gen 0/5  evals 20  "));
    assert_non_null(strstr(sl, "gen 2/5  evals 60  "));
    assert_non_null(strstr(sl, "gen 4/5  evals 100  "));
    assert_non_null(strstr(sl, "gen 5/5  evals 120  "));
    assert_null(strstr(sl, "gen 1/5 "));
    assert_null(strstr(sl, "gen 3/5 "));
    assert_non_null(strstr(sl, "  elapsed "));
    assert_non_null(strstr(sl, "  eta "));
    assert_non_null(strstr(sl, " hv "));
    assert_non_null(strstr(sl, "  front "));
    assert_non_null(strstr(sl, "  best f1 "));
    free(sa);
    free(sb);
    free(sc);
    free(sl);

    /* bad input: exit 2 */
    assert_int_equal(run("optimize 2>/dev/null"), 2);
    snprintf(args, sizeof args, "optimize %s --generations 0 2>/dev/null", pf);
    assert_int_equal(run(args), 2);
    snprintf(args, sizeof args, "optimize %s --bogus 2>/dev/null", pf);
    assert_int_equal(run(args), 2);
    snprintf(args, sizeof args, "optimize %s/nonexistent.cfg 2>/dev/null", RG_TEST_TMPDIR);
    assert_int_equal(run(args) != 0, 1);
    /* an unwritable front: runtime failure */
    snprintf(args, sizeof args,
             "optimize %s --generations 1 --population 8 --front %s/no/such/dir.csv --quiet "
             "--out %s/unwritable-front.h5 --force 2>/dev/null",
             pf, RG_TEST_TMPDIR, RG_TEST_TMPDIR);
    assert_int_equal(run(args), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_benchmark_evaluation),
        cmocka_unit_test(test_cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
