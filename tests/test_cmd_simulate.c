/* `regimen simulate` (src/cli/cmd_simulate.c): the summary and the per-visit CSV agree with
 * the kernel called directly; bad input exits 2 and writes nothing. */
#include "rg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "regimen/policy.h"
#include "regimen/problem.h"
#include "regimen/problem_load.h"
#include "regimen/sim.h"

#define EXAMPLE RG_SOURCE_DIR "/problems/example.cfg"

static int run(const char *args, char *out, size_t cap)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' simulate %s 2>&1", RG_REGIMEN_EXE, args);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    size_t n = fread(out, 1, cap - 1, f);
    out[n] = '\0';
    char rest[4096]; /* the rest unread, so that a long output does not die of SIGPIPE */
    while (fread(rest, 1, sizeof rest, f) > 0)
        ;
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_summary_and_csv(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    const char *csv = RG_TEST_TMPDIR "/mtd.csv";
    remove(csv);
    static char out[16384];
    char args[1024];
    snprintf(args, sizeof args, "'%s' --regimen MTD_inhibitor --csv '%s'", EXAMPLE, csv);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "regimen: MTD_inhibitor (mtd)"));
    assert_non_null(strstr(out, "time to progression:"));
    /* MTD_inhibitor progresses on day 17, before it breaks any limit: its doses end there */
    assert_null(strstr(out, "broken"));
    snprintf(args, sizeof args, "'%s/problems/default.cfg' --regimen MTD", RG_SOURCE_DIR);
    static char out2[16384];
    assert_int_equal(run(args, out2, sizeof out2), 0);
    assert_non_null(strstr(out2, "max_cumulative_dose of doxorubicin broken"));

    /* the kernel directly */
    rg_problem *p = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_problem_load(EXAMPLE, &p, &diag), RG_OK);
    int ri = rg_problem_regimen_index(p, "MTD_inhibitor");
    rg_policy pol;
    assert_int_equal(rg_policy_init_regimen(&pol, p, &p->regimens[ri]), RG_OK);
    rg_sim_workspace *w = rg_sim_alloc(p);
    rg_trajectory tr;
    assert_int_equal(rg_trajectory_alloc(&tr, p), RG_OK);
    rg_sim_summary s;
    rg_dosing dose = rg_policy_dosing(&pol);
    assert_int_equal(rg_sim_run(w, p, &dose, NULL, &s, &tr), RG_OK);
    char line[256];
    snprintf(line, sizeof line, "time to progression: %g days", s.ttp);
    assert_true(s.progressed);
    assert_non_null(strstr(out, line));

    FILE *f = fopen(csv, "r");
    assert_non_null(f);
    static char buf[4096];
    assert_non_null(fgets(buf, sizeof buf, f));
    /* the layout of every trajectory table (docs/results-format.md, "Exports") */
    assert_string_equal(buf, "source,t,on_protocol,burden,resistant,clone_sensitive,"
                             "clone_ABCB1_high,clone_BCL2_high,conc_doxorubicin,"
                             "conc_tariquidar,dose_doxorubicin,dose_tariquidar,anc\n");
    size_t rows = 0;
    while (fgets(buf, sizeof buf, f)) {
        double v[11];
        int on = -1;
        assert_true(!strncmp(buf, "regimen:MTD_inhibitor,", 22));
        int got = sscanf(buf + 22, "%lf,%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf", &v[0], &on,
                         &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9], &v[10]);
        assert_int_equal(got, 12);
        assert_close(v[0], tr.t[rows], 0.0, 1e-9);
        /* on protocol up to the progression visit, off after it (docs/model.md section 8) */
        assert_int_equal(on, tr.t[rows] <= s.ttp ? 1 : 0);
        assert_close(v[1], tr.burden[rows], 1e-15, 0.0);
        assert_close(v[2], tr.resistant[rows], 1e-15, 0.0);
        assert_close(v[1], v[3] + v[4] + v[5], 1e-9, 0.0);
        assert_close(v[6], tr.conc[rows], 1e-15, 1e-300);
        /* the dose of the decision interval that holds t (the last one at the horizon) */
        size_t k = (size_t)floor(tr.t[rows] / p->decision_days + 1e-9);
        if (k >= tr.n_intervals)
            k = tr.n_intervals - 1;
        assert_close(v[8], tr.levels[k], 0.0, 0.0);
        assert_close(v[10], tr.anc[rows], 1e-15, 0.0);
        rows++;
    }
    fclose(f);
    assert_int_equal(rows, tr.n_visits);
    rg_trajectory_free(&tr);
    rg_sim_free(w);
    rg_problem_free(p);
}

static void test_bad_input(void **state)
{
    (void)state;
    static char out[16384];
    char args[1024];
    const char *csv = RG_TEST_TMPDIR "/none.csv";
    remove(csv);
    snprintf(args, sizeof args, "'%s' --regimen nosuch --csv '%s'", EXAMPLE, csv);
    assert_int_equal(run(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "nosuch"));
    struct stat sb;
    assert_int_not_equal(stat(csv, &sb), 0);
    assert_int_equal(run("/nonexistent/problem.cfg", out, sizeof out), 2);
    assert_int_equal(run("", out, sizeof out), 2);
    snprintf(args, sizeof args, "'%s' --bogus", EXAMPLE);
    assert_int_equal(run(args, out, sizeof out), 2);
    /* the first regimen by default; with --csv - the CSV alone on stdout */
    snprintf(args, sizeof args, "'%s'", EXAMPLE);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_non_null(strstr(out, "regimen: MTD (mtd)"));
    assert_null(strstr(out, "trajectory:"));
    snprintf(args, sizeof args, "'%s' --csv -", EXAMPLE);
    assert_int_equal(run(args, out, sizeof out), 0);
    assert_null(strstr(out, "regimen: MTD (mtd)"));
    assert_true(strncmp(out, "source,t,", 9) == 0);
}

/* The CSV goes through the atomic writer: an existing file is kept without --force (exit 2,
 * nothing left behind), replaced with it; the file is created with mode 0644 (less umask). */
static void test_csv_overwrite(void **state)
{
    (void)state;
    mkdir(RG_TEST_TMPDIR, 0755);
    const char *csv = RG_TEST_TMPDIR "/kept.csv";
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("old\n", f);
    fclose(f);
    static char out[16384];
    char args[1024];
    snprintf(args, sizeof args, "'%s' --csv '%s'", EXAMPLE, csv);
    assert_int_equal(run(args, out, sizeof out), 2);
    assert_non_null(strstr(out, "--force"));
    assert_null(strstr(out, "time to progression"));
    char buf[64];
    f = fopen(csv, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "old\n");
    snprintf(args, sizeof args, "ls -a '%s' | grep -q '^\\.kept\\.csv\\.tmp-'", RG_TEST_TMPDIR);
    assert_int_not_equal(system(args), 0); /* no temporary left */

    snprintf(args, sizeof args, "'%s' --csv '%s' --force", EXAMPLE, csv);
    assert_int_equal(run(args, out, sizeof out), 0);
    f = fopen(csv, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_true(!strncmp(buf, "source,t,on_protocol,", 21));
    struct stat sb;
    assert_int_equal(stat(csv, &sb), 0);
    mode_t mask = umask(022);
    umask(mask);
    assert_int_equal(sb.st_mode & 0777, 0644 & ~mask);
    remove(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_and_csv),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_csv_overwrite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
