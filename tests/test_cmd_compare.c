/* regimen compare: the table, the CSV and the trajectory files on a problem whose numbers
 * are known in closed form (one clone, half_life 0, linear kill: B = B(0) exp((r - emax u) t)),
 * and the exit statuses. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static char dir[1024];

/* r = 0.03/day; emax 0.1. MTD: net -0.07/day, never progresses in 56 days (censored).
 * low: level 0.1, net +0.02/day: B >= 1.2 B(0) first at a visit t >= ln 1.2 / 0.02 = 9.12:
 * day 10. AT: stop at the first t_k (7-day grid) with exp(-0.07 t) <= 0.5 (t >= 9.9: t = 14),
 * hold until exp(-0.98 + 0.03 (t - 14)) >= 1 (t >= 46.7: t = 49): treated on intervals 0, 1
 * and 7 = 21 MTD-days. Limit 30 MTD-days: MTD gives 56 (violation 26, normalised 26/30). */
static const char *problem_text =
    "name = \"compare test\";\n"
    "horizon_days = 56.0; decision_days = 7.0; visit_days = 1.0;\n"
    "carrying_capacity = 1.0e30; emergence_cells = 1.0e30;\n"
    "drugs = ( { name = \"cisplatin\"; half_life_days = 0.0; effect = \"linear\";\n"
    "            emax = 0.1; ec50 = 1.0; max_cumulative_dose = 30.0; } );\n"
    "clones = ( { name = \"s\"; cells = 2.385e9; growth_rate = 0.03; } );\n"
    "regimens = (\n"
    "  { name = \"MTD\"; policy = \"mtd\"; drugs = [\"cisplatin\"]; },\n"
    "  { name = \"low\"; policy = \"metronomic\"; drugs = [\"cisplatin\"]; level = 0.1; },\n"
    "  { name = \"AT_50-100\"; policy = \"adaptive\"; drugs = [\"cisplatin\"];\n"
    "    dose = 1.0; stop_below = 0.5; resume_above = 1.0; }\n"
    ");\n";

static int run(const char *args, const char *out)
{
    char cmd[8192];
    int n = snprintf(cmd, sizeof cmd, "%s %s > %s 2>&1", RG_REGIMEN_EXE, args, out);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s", RG_TEST_TMPDIR);
    mkdir(dir, 0777);
    char path[1200];
    snprintf(path, sizeof path, "%s/p.cfg", dir);
    write_file(path, problem_text);
    return 0;
}

/* Splits one CSV line (no quotes in the fields used here) into at most n fields. */
static size_t split(char *line, char **f, size_t n)
{
    size_t k = 0;
    f[k++] = line;
    for (char *c = line; *c && k < n; c++)
        if (*c == ',') {
            *c = '\0';
            f[k++] = c + 1;
        }
    return k;
}

static int column(char **head, size_t n, const char *name)
{
    for (size_t j = 0; j < n; j++)
        if (!strcmp(head[j], name))
            return (int)j;
    fail_msg("no column %s", name);
    return -1;
}

static void test_csv(void **state)
{
    (void)state;
    char args[4096], out[1200], csv[1200];
    snprintf(out, sizeof out, "%s/out.txt", dir);
    snprintf(csv, sizeof csv, "%s/cmp.csv", dir);
    snprintf(args, sizeof args, "compare %s/p.cfg --csv %s --trajectories %s/traj --force", dir,
             csv, dir);
    assert_int_equal(run(args, out), 0);
    char *text = slurp(csv);
    assert_non_null(text);
    char *lines[8];
    size_t nl = 0;
    for (char *s = strtok(text, "\n"); s && nl < 8; s = strtok(NULL, "\n"))
        lines[nl++] = s;
    assert_int_equal(nl, 4); /* header + 3 regimens */
    char *head[64], *row[3][64];
    size_t nh = split(lines[0], head, 64);
    for (size_t r = 0; r < 3; r++)
        assert_int_equal(split(lines[r + 1], row[r], 64), nh);
    int c_reg = column(head, nh, "regimen"), c_ttp = column(head, nh, "ttp"),
        c_fb = column(head, nh, "final_burden_cells"),
        c_rb = column(head, nh, "resistant_burden_cells"),
        c_cd = column(head, nh, "cumulative_dose_cisplatin"),
        c_di = column(head, nh, "dose_intensity"), c_fe = column(head, nh, "feasible"),
        c_vi = column(head, nh, "violation"), c_nn = column(head, nh, "neutrophil_nadir");
    assert_string_equal(row[0][c_reg], "MTD");
    assert_string_equal(row[1][c_reg], "low");
    assert_string_equal(row[2][c_reg], "AT_50-100");
    /* TTP, then ttp_censored: a censored TTP is the horizon (56 days) */
    assert_int_equal(column(head, nh, "ttp_censored"), c_ttp + 1);
    assert_close(atof(row[0][c_ttp]), 56.0, 0, 0);
    assert_string_equal(row[0][c_ttp + 1], "1");
    assert_close(atof(row[1][c_ttp]), 10.0, 0, 0);
    assert_string_equal(row[1][c_ttp + 1], "0");
    assert_close(atof(row[2][c_ttp]), 56.0, 0, 0);
    assert_string_equal(row[2][c_ttp + 1], "1");
    const double b0 = 2.385e9;
    assert_close(atof(row[0][c_fb]), b0 * exp(-0.07 * 56.0), 1e-6, 0);
    /* low progresses on day 10: its burden is read there, at t_end (docs/model.md section 8) */
    assert_close(atof(row[1][c_fb]), b0 * exp(0.02 * 10.0), 1e-6, 0);
    /* AT: treated 21 days, held 35 */
    assert_close(atof(row[2][c_fb]), b0 * exp(-0.07 * 21.0 + 0.03 * 35.0), 1e-6, 0);
    assert_close(atof(row[2][c_cd]), 21.0, 1e-12, 0);
    assert_close(atof(row[2][c_di]), 21.0 / 56.0, 1e-12, 0);
    assert_close(atof(row[0][c_rb]), 0.0, 0, 0); /* cells, not log10 */
    assert_string_equal(row[0][c_nn], "");       /* no neutrophil model */
    /* MTD breaks max_cumulative_dose by 26 MTD-days */
    assert_string_equal(row[0][c_fe], "0");
    assert_close(atof(row[0][c_vi]), 26.0 / 30.0, 1e-12, 0);
    assert_string_equal(row[1][c_fe], "1");
    assert_close(atof(row[1][c_vi]), 0.0, 0, 0);

    /* the table for people */
    text = slurp(out);
    assert_non_null(text);
    assert_non_null(strstr(text, "none by day 56"));
    assert_non_null(strstr(text, "max_cumulative_dose cisplatin 56 > 30"));
    assert_non_null(strstr(text, "feasible"));

    /* trajectories: one file per regimen, named after it */
    char path[1400];
    snprintf(path, sizeof path, "%s/traj/AT_50-100.csv", dir);
    text = slurp(path);
    assert_non_null(text);
    char *first = strtok(text, "\n");
    assert_string_equal(first, "source,t,on_protocol,burden,resistant,clone_s,conc_cisplatin,"
                               "dose_cisplatin");
    size_t n = 1;
    char *l, *last = first;
    while ((l = strtok(NULL, "\n"))) {
        last = l;
        n++;
    }
    assert_int_equal(n, 1 + 57); /* visits t = 0 .. 56 */
    char *f[9];
    assert_int_equal(split(last, f, 9), 8);
    assert_string_equal(f[0], "regimen:AT_50-100");
    assert_close(atof(f[1]), 56.0, 0, 0);
    assert_string_equal(f[2], "1"); /* no progression: on protocol to the horizon */
    assert_close(atof(f[3]), b0 * exp(-0.07 * 21.0 + 0.03 * 35.0), 1e-6, 0);
    /* --csv -: the CSV alone on stdout */
    char out2[1200];
    snprintf(out2, sizeof out2, "%s/stdout.csv", dir);
    snprintf(args, sizeof args, "compare %s/p.cfg --csv -", dir);
    assert_int_equal(run(args, out2), 0);
    text = slurp(out2);
    assert_non_null(text);
    assert_true(!strncmp(text, "regimen,policy,ttp,", 19));
    assert_null(strstr(text, "none by day"));
    snprintf(path, sizeof path, "%s/traj/MTD.csv", dir);
    assert_non_null(slurp(path));
    snprintf(path, sizeof path, "%s/traj/low.csv", dir);
    assert_non_null(slurp(path));
}

static void test_exit_status(void **state)
{
    (void)state;
    char args[4096], out[1200];
    snprintf(out, sizeof out, "%s/err.txt", dir);
    assert_int_equal(run("compare", out), 2);
    snprintf(args, sizeof args, "compare %s/p.cfg --bogus", dir);
    assert_int_equal(run(args, out), 2);
    snprintf(args, sizeof args, "compare %s/p.cfg --csv", dir);
    assert_int_equal(run(args, out), 2);
    snprintf(args, sizeof args, "compare %s/does-not-exist.cfg", dir);
    assert_int_equal(run(args, out), 2);
    /* a bad key: exit 2 with the loader's message naming the file */
    char path[1200];
    snprintf(path, sizeof path, "%s/bad.cfg", dir);
    write_file(path, "horizon_days = 56.0; decision_days = 7.0; carrying_capacity = 1.0;\n"
                     "clones = ( { name = \"s\"; cells = 1.0; growth_rate = 0.03; } );\n"
                     "no_such_key = 1;\n");
    snprintf(args, sizeof args, "compare %s", path);
    assert_int_equal(run(args, out), 2);
    assert_non_null(strstr(slurp(out), "bad.cfg"));
    /* no regimens to compare */
    snprintf(path, sizeof path, "%s/none.cfg", dir);
    write_file(path, "horizon_days = 56.0; decision_days = 7.0; carrying_capacity = 1.0;\n"
                     "clones = ( { name = \"s\"; cells = 1.0; growth_rate = 0.03; } );\n");
    snprintf(args, sizeof args, "compare %s", path);
    assert_int_equal(run(args, out), 2);
    assert_non_null(strstr(slurp(out), "no regimens"));
    /* an unwritable CSV: runtime failure, and no half-written file */
    snprintf(args, sizeof args, "compare %s/p.cfg --csv %s/no/such/dir/x.csv", dir, dir);
    assert_int_equal(run(args, out), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_exit_status),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
